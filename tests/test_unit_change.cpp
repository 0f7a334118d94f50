// Fits in several systems of units (theorems 4 and 6 on data): the dropout
// fit carried into other units keeps JD and R up to c^2 and stays where it
// is when refitted; the weight-decay fit carried over changes J2 and moves
// when refitted.

#include <cmath>

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "test_support.h"
#include "unit_change.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

TEST_CASE(
    "a dropout fit carried into other units keeps JD, a J2 fit does not",
    "[unit-change]") {
  auto generator = make_generator(71);
  const auto data = random_examples(3, 6, generator);
  const std::vector<DataUnits> units{
      {"original", {1, 1, 1}}, {"other", {10, 0.25, -2}, 3.0}};
  UnitChangeOptions options;
  options.width = 2;
  options.lambda = 0.1;
  options.restarts = 1;
  options.fit.max_iterations = 200;
  options.dropout_fit.max_iterations = 200;
  const auto fits = fit_in_units(data, units, options, generator);
  REQUIRE(fits.size() == 4);
  const auto& dropout = fits[0];
  const auto& dropout_other = fits[1];
  const auto& decay = fits[2];
  const auto& decay_other = fits[3];
  CHECK(dropout.criterion == "dropout");
  CHECK(decay.criterion == "l2");

  // Dropout: JD and R times c^2 = 9 in the other units, to rounding.
  CHECK(
      std::abs(dropout_other.carried_value - 9 * dropout.carried_value) <=
      1e-12 * 9 * dropout.carried_value);
  CHECK(
      std::abs(dropout_other.carried_risk - 9 * dropout.carried_risk) <=
      1e-12 * 9 * dropout.carried_risk);
  // Weight decay: R follows the same map but J2 does not.
  CHECK(
      std::abs(decay_other.carried_risk - 9 * decay.carried_risk) <=
      1e-12 * 9 * decay.carried_risk);
  CHECK(
      std::abs(decay_other.carried_value - 9 * decay.carried_value) >
      1e-3 * 9 * decay.carried_value);
  // A refit never ends above where it started.
  for (const auto& fit : fits) {
    CHECK(fit.value <= fit.carried_value * (1 + 1e-12));
  }
}
