#include "uniform_weight_network.h"

namespace dropout_lab {

DropoutNet uniform_weight_network(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double weight,
    double keep_prob) {
  auto net = standard_architecture(n_inputs, depth, width, keep_prob);
  torch::NoGradGuard no_grad;
  for (int64_t l = 1; l <= depth; ++l) {
    net->layer(l)->weight.fill_(weight);
    net->layer(l)->bias.zero_();
  }
  return net;
}

int64_t standard_weight_count(int64_t n_inputs, int64_t depth, int64_t width) {
  if (depth == 1) {
    return n_inputs;
  }
  return n_inputs * width + width * width * (depth - 2) + width;
}

}  // namespace dropout_lab
