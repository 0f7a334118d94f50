#pragma once

#include <string>

namespace dropout_lab {

/// Checks that a keep probability `p` lies in (0, 1] (p = 1 means no
/// dropout) and throws InputError naming `field` otherwise; NaN is rejected.
void validate_keep_prob(double keep_prob, const std::string& field);

/// The drop probability q = 1 - p.
inline double drop_prob(double keep_prob) {
  return 1.0 - keep_prob;
}

}  // namespace dropout_lab
