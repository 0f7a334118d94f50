#pragma once

#include <vector>

namespace dropout_lab {

/// The q-quantile (0 <= q <= 1) of `sorted`, values in ascending order,
/// interpolating linearly between neighbours: q = 0.5 is the median, the
/// mean of the two middle values for an even count. NaN when empty.
double quantile(const std::vector<double>& sorted, double q);

}  // namespace dropout_lab
