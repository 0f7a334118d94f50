// Exact-JD fits pooled across input scales through the input-rescaling
// invariance.

#include <cmath>

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "scale_pooled_fit.h"

using namespace dropout_lab;

TEST_CASE("pooled exact-JD fits agree across input scales", "[scale_pool]") {
  FitOptions fit;
  fit.method = FitMethod::adam;
  fit.adam_steps = 300;
  const std::vector<double> scales{0.5, 1.0, 3.0};
  const auto fits = fit_dropout_across_scales(
      pair_with_zero({0.6, -0.8}, 1.0),
      scales,
      2,
      0.5,
      2,
      fit,
      make_generator(6));
  REQUIRE(fits.size() == 3);

  double lowest_direct = INFINITY;
  for (const auto& result : fits) {
    lowest_direct = std::min(lowest_direct, result.direct_criterion);
  }
  for (const auto& result : fits) {
    // Carrying changes JD and R only by rounding.
    CHECK(result.largest_carry_change < 1e-12);
    // The pooled minimiser is the lowest direct fit, wherever it was found,
    // and no direct fit is below it.
    CHECK(result.pooled_criterion == Approx(lowest_direct).epsilon(1e-12));
    CHECK(result.direct_criterion >= result.pooled_criterion - 1e-12);
    CHECK(result.pooled_risk == Approx(fits[0].pooled_risk).epsilon(1e-12));
    // The fit beats the constant predictor 1/2, whose JD is 1/4.
    CHECK(result.pooled_criterion < 0.25);
  }
}
