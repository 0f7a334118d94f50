#include "brute_force_dropout_criterion.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

double plain_dropout_output(
    const NetworkParameters& parameters,
    const std::vector<double>& x,
    const std::vector<bool>& pattern) {
  const double p = parameters.keep_prob;
  std::vector<double> values = x;
  size_t bit = 0;
  for (size_t l = 0; l < parameters.layers.size(); ++l) {
    for (double& value : values) {
      value = pattern[bit++] ? value / p : 0.0;
    }

    const auto& layer = parameters.layers[l];
    const bool hidden = l + 1 < parameters.layers.size();
    std::vector<double> next(layer.weight.size());
    for (size_t r = 0; r < layer.weight.size(); ++r) {
      double sum = layer.bias[r];
      for (size_t c = 0; c < values.size(); ++c) {
        sum += layer.weight[r][c] * values[c];
      }
      next[r] = hidden ? std::max(sum, 0.0) : sum;
    }
    values = std::move(next);
  }
  return values.front();
}

double brute_force_dropout_criterion(
    const NetworkParameters& parameters,
    const ExampleDistribution& data,
    int64_t max_units) {
  const auto widths = parameters.widths();
  int64_t n_units = 0;
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    n_units += widths[i];
  }
  require_input(
      n_units <= max_units,
      fmt::format(
          "brute force: {} droppable units, more than the limit {}",
          n_units,
          max_units));

  auto x = data.x.to(torch::kCPU, torch::kFloat64).contiguous();
  auto y = data.y.to(torch::kCPU, torch::kFloat64).contiguous();
  auto mass = data.mass.to(torch::kCPU, torch::kFloat64).contiguous();
  const int64_t n_inputs = data.input_dim();

  const double p = parameters.keep_prob;
  // Neumaier's compensated sum: millions of terms are added one by one, and
  // a reference should not lose digits to plain accumulation.
  double total = 0.0;
  double compensation = 0.0;
  std::vector<bool> pattern(n_units);
  for (int64_t index = 0; index < (int64_t{1} << n_units); ++index) {
    int64_t kept = 0;
    for (int64_t j = 0; j < n_units; ++j) {
      pattern[j] = ((index >> j) & 1) != 0;
      kept += pattern[j] ? 1 : 0;
    }
    const double probability =
        std::pow(p, kept) * std::pow(1.0 - p, n_units - kept);
    if (probability == 0.0) {
      continue;
    }

    for (int64_t i = 0; i < data.size(); ++i) {
      std::vector<double> example(
          x.data_ptr<double>() + i * n_inputs,
          x.data_ptr<double>() + (i + 1) * n_inputs);
      const double residual =
          plain_dropout_output(parameters, example, pattern) -
          y.data_ptr<double>()[i];
      const double term =
          probability * mass.data_ptr<double>()[i] * residual * residual;
      const double sum = total + term;
      compensation += std::abs(total) >= std::abs(term) ? (total - sum) + term
                                                        : (term - sum) + total;
      total = sum;
    }
  }
  return total + compensation;
}

}  // namespace dropout_lab
