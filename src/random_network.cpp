#include "random_network.h"

namespace dropout_lab {

DropoutNet random_network(
    const std::vector<int64_t>& widths,
    double keep_prob,
    double low,
    double high,
    at::Generator generator) {
  DropoutNet net(widths, keep_prob);
  torch::NoGradGuard no_grad;
  for (auto& parameter : net->parameters()) {
    parameter.uniform_(low, high, generator);
  }
  return net;
}

std::vector<double> uniform_values(
    int64_t count, double low, double high, at::Generator generator) {
  auto values = torch::empty({count}, torch::kFloat64);
  values.uniform_(low, high, generator);
  return {values.data_ptr<double>(), values.data_ptr<double>() + count};
}

int64_t uniform_integer(int64_t low, int64_t high, at::Generator generator) {
  return torch::randint(low, high + 1, {1}, generator).item<int64_t>();
}

}  // namespace dropout_lab
