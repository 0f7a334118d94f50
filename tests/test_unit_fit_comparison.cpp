// Comparing fits across systems of units: the distance between fitted
// functions against a hand computation, the collapse test, and every fit
// carried into the other systems.

#include <cmath>

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "errors.h"
#include "test_support.h"
#include "unit_fit_comparison.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

TEST_CASE(
    "prediction_change is the weighted RMS difference in label sd",
    "[unit-fit-comparison]") {
  // Masses 1/4, 3/4; labels 0 and 4: mean 3, variance 3, sd sqrt(3).
  const ExampleDistribution data{
      torch::zeros({2, 1}, torch::kFloat64),
      torch::tensor({0.0, 4.0}, torch::kFloat64),
      torch::tensor({0.25, 0.75}, torch::kFloat64)};
  const auto a = torch::tensor({1.0, 2.0}, torch::kFloat64);
  const auto b = torch::tensor({3.0, 1.0}, torch::kFloat64);
  // sqrt(1/4 * 4 + 3/4 * 1) / sqrt(3) = sqrt(7/4) / sqrt(3).
  CHECK(
      prediction_change(a, b, data) ==
      Approx(std::sqrt(7.0 / 4.0) / std::sqrt(3.0)).epsilon(1e-14));
  CHECK(prediction_change(a, a, data) == 0.0);

  CHECK(collapsed_to_constant(
      torch::full({2}, 5.0, torch::kFloat64), data, 1e-3));
  CHECK_FALSE(collapsed_to_constant(data.y, data, 1e-3));
  // Predictions whose sd is 1e-4 label sd: collapsed at tolerance 1e-3,
  // not at 1e-5.
  const auto small = 3.0 + 1e-4 * (data.y - 3.0);
  CHECK(collapsed_to_constant(small, data, 1e-3));
  CHECK_FALSE(collapsed_to_constant(small, data, 1e-5));
}

TEST_CASE(
    "fits carried into other systems keep JD, R and a dropout fit's gradient",
    "[unit-fit-comparison]") {
  auto generator = make_generator(11);
  const auto data = random_examples(3, 6, generator);
  const std::vector<DataUnits> units{
      {"original", {1, 1, 1}},
      {"other", {10, 0.25, 3}},
      {"third", {2, 5, 0.5}}};
  UnitChangeOptions options;
  options.width = 2;
  options.keep_prob = 0.5;
  options.lambda = 0.05;
  options.restarts = 1;
  options.fit.max_iterations = 200;
  options.dropout_fit.max_iterations = 200;
  const auto fits = fit_each_system(data, units, options, generator);

  const auto carried =
      carry_into_other_systems(fits, data, units, options.lambda);
  REQUIRE(carried.size() == fits.size() * 2);
  for (const auto& row : carried) {
    INFO(row.criterion << " from " << row.from_units << " to " << row.to_units);
    CHECK(row.from_units != row.to_units);
    CHECK(row.dropout_criterion_difference <= 1e-12);
    CHECK(row.risk_difference <= 1e-12);
    CHECK(row.weight_decay_change > 1e-6);
    if (row.criterion == "dropout") {
      CHECK(std::abs(row.gradient_norm_ratio - 1.0) <= 1e-8);
    }
  }

  const auto changes = changes_from_first_system(fits, data, units);
  REQUIRE(changes.size() == fits.size());
  const auto first = data_in_units(data, units.front());
  for (size_t i = 0; i < fits.size(); ++i) {
    INFO(fits[i].criterion << " in " << fits[i].units);
    if (fits[i].units == "original") {
      CHECK(changes[i] == 0.0);
    }
    // Fits are ordered criterion, system, start (one start here).
    const auto& reference = fits[i < 3 ? 0 : 3];
    CHECK(
        changes[i] ==
        prediction_change(fits[i].predictions, reference.predictions, first));
  }
  CHECK_THROWS_AS(units_named(units, "nowhere"), InputError);
}
