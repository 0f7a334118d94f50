// Quantiles of sorted values against hand-worked interpolations.

#include <cmath>

#include <catch2/catch.hpp>

#include "quantile.h"

using namespace dropout_lab;

TEST_CASE("quantile interpolates between sorted neighbours", "[quantile]") {
  const std::vector<double> odd{1, 2, 10};
  CHECK(quantile(odd, 0.5) == 2.0);
  CHECK(quantile(odd, 0.0) == 1.0);
  CHECK(quantile(odd, 1.0) == 10.0);
  // Position 0.75 * 2 = 1.5: halfway from 2 to 10.
  CHECK(quantile(odd, 0.75) == 6.0);

  const std::vector<double> even{1, 3, 4, 8};
  CHECK(quantile(even, 0.5) == 3.5);
  CHECK(quantile(std::vector<double>{5}, 0.5) == 5.0);
  CHECK(std::isnan(quantile({}, 0.5)));
}
