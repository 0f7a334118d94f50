// Random restarts: the summary of many runs, and reproducibility by seed.

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "random_restarts.h"

using namespace dropout_lab;

TEST_CASE(
    "restart summary: quantiles, fractions and diverged runs",
    "[analysis][restarts]") {
  // Final JD 0.1 .. 0.5 in shuffled order, plus one diverged run that must
  // be counted but left out of every statistic. With five sorted values
  // the quartiles are the 2nd and 4th and the median the 3rd.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<RestartOutcome> outcomes{
      {0.3, -0.5, 0.0, false, -1},
      {0.1, -2.0, 0.0, false, -1},
      {nan, nan, nan, true, 17},
      {0.5, 0.0, 0.0, false, -1},
      {0.2, -1e-9, 0.0, false, -1},
      {0.4, 0.0, 0.0, false, -1}};
  const auto summary = summarise_restarts(outcomes, 1e-6, 0.25);
  CHECK(summary.runs == 6);
  CHECK(summary.diverged == 1);
  CHECK(summary.min == 0.1);
  CHECK(summary.lower_quartile == 0.2);
  CHECK(summary.median == 0.3);
  CHECK(summary.upper_quartile == 0.4);
  CHECK(summary.max == 0.5);
  // -1e-9 is within the tolerance: two of five runs count as negative.
  CHECK(summary.fraction_negative == Approx(0.4).epsilon(1e-15));
  CHECK(summary.fraction_below_bound == Approx(0.4).epsilon(1e-15));
  CHECK(summary.most_negative_weight == -2.0);

  // Four values: the median interpolates halfway between the middle two.
  const auto even = summarise_restarts(
      {{1.0, 0.0, 0.0, false, -1},
       {2.0, 0.0, 0.0, false, -1},
       {3.0, 0.0, 0.0, false, -1},
       {5.0, 0.0, 0.0, false, -1}},
      1e-6,
      0.0);
  CHECK(even.median == Approx(2.5).epsilon(1e-15));
  CHECK(even.lower_quartile == Approx(1.75).epsilon(1e-15));
  CHECK(even.fraction_below_bound == 0.0);
}

TEST_CASE(
    "restarts: the same seed gives the same fits and training runs",
    "[analysis][restarts]") {
  auto data = ones_pair(2);
  FitOptions fit;
  fit.method = FitMethod::adam;
  fit.adam_steps = 50;
  fit.polish = false;
  DropoutSgdOptions sgd;
  sgd.steps = 200;
  auto run = [&](uint64_t seed) {
    auto generator = make_generator(seed);
    auto fitted = fit_dropout_criterion_from_random_starts(
        {2, 4, 1}, data, 2, 1.0, fit, 0.5, generator);
    auto trained = train_dropout_sgd_from_random_starts(
        {2, 4, 1}, data, 2, 1.0, sgd, 0.5, generator);
    fitted.insert(fitted.end(), trained.begin(), trained.end());
    return fitted;
  };
  const auto first = run(3);
  const auto second = run(3);
  REQUIRE(first.size() == 4);
  for (size_t i = 0; i < first.size(); ++i) {
    CHECK(first[i].dropout_criterion == second[i].dropout_criterion);
    CHECK(first[i].most_negative_weight == second[i].most_negative_weight);
    CHECK(std::isfinite(first[i].dropout_criterion));
  }
  // Different starts end in different places.
  CHECK(first[0].dropout_criterion != first[1].dropout_criterion);
}
