#include "quantile.h"

#include <algorithm>
#include <cmath>

namespace dropout_lab {

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) {
    return NAN;
  }
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const auto above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

}  // namespace dropout_lab
