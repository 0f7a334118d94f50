#include "output_shift.h"

#include <algorithm>

namespace dropout_lab {

OutputShiftMoments output_shift_moments(
    DropoutNet& net, const torch::Tensor& x, int64_t max_patterns) {
  torch::NoGradGuard no_grad;
  const int64_t n_units = net->n_droppable_units();
  const int64_t n_patterns =
      checked_pattern_count(n_units, max_patterns, "the output-shift moments");
  const auto plain = net->forward(x);
  const int64_t chunk = std::max<int64_t>(1, (int64_t{1} << 18) / x.size(0));

  auto mean = torch::zeros_like(plain);
  auto mean_square = torch::zeros_like(plain);
  for (int64_t first = 0; first < n_patterns; first += chunk) {
    const int64_t count = std::min(chunk, n_patterns - first);
    auto patterns = enumerate_patterns(first, count, n_units, x.options());
    auto probability = pattern_probabilities(patterns, net->keep_prob());
    auto delta = net->forward_with_patterns(x, patterns) - plain;
    mean += torch::matmul(probability, delta);
    mean_square += torch::matmul(probability, delta.square());
  }
  return {mean, mean_square};
}

}  // namespace dropout_lab
