#include "label_witness_network.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "keep_prob.h"
#include "uniform_weight_network.h"

namespace dropout_lab {

DropoutNet label_witness_network(double keep_prob) {
  return uniform_weight_network(2, 2, 2, 1.0, keep_prob);
}

std::vector<double> label_witness_input() {
  return {1.0, -2.0};
}

double label_witness_mean_shift(double keep_prob) {
  return 2.0 * drop_prob(keep_prob);
}

double label_witness_mean_square_shift(double keep_prob) {
  return 2.0 * drop_prob(keep_prob) * (1.0 + keep_prob) /
         (keep_prob * keep_prob);
}

double label_witness_penalty(double keep_prob, double label) {
  return label_witness_mean_square_shift(keep_prob) -
         2.0 * label * label_witness_mean_shift(keep_prob);
}

double label_witness_turning_drop_prob(double label) {
  require_input(
      label > 1.0,
      fmt::format(
          "the witness penalty is monotone in q unless y > 1, got y = {}",
          label));
  return 1.0 - std::cbrt(1.0 / label);
}

}  // namespace dropout_lab
