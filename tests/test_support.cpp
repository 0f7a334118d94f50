#include "test_support.h"

#include <cmath>

#include "random_network.h"

namespace dropout_lab::testing {

DropoutNet mixed_sign_network(
    const std::vector<int64_t>& widths,
    double keep_prob,
    at::Generator generator) {
  return random_network(widths, keep_prob, -1.0, 1.0, generator);
}

ExampleDistribution random_examples(
    int64_t n_inputs, int64_t n_examples, at::Generator generator) {
  std::vector<std::vector<double>> inputs;
  for (int64_t i = 0; i < n_examples; ++i) {
    inputs.push_back(uniform_values(n_inputs, -1.0, 1.0, generator));
  }
  return make_distribution(
      inputs,
      uniform_values(n_examples, -2.0, 2.0, generator),
      uniform_values(n_examples, 0.1, 1.0, generator),
      "test data");
}

double relative_difference(double a, double b) {
  return std::abs(a - b) / std::max(std::abs(b), 1e-300);
}

}  // namespace dropout_lab::testing
