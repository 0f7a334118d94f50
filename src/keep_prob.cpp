#include "keep_prob.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

void validate_keep_prob(double keep_prob, const std::string& field) {
  // Written so that NaN fails the test as well.
  require_input(
      keep_prob > 0.0 && keep_prob <= 1.0,
      fmt::format(
          "{}: keep probability must lie in (0, 1], got {}", field, keep_prob));
}

}  // namespace dropout_lab
