#include "penalty_sign_search.h"

#include <algorithm>
#include <cmath>

#include "exact_dropout_criterion.h"
#include "output_shift.h"
#include "random_network.h"
#include "risk.h"

namespace dropout_lab {

PenaltySignSearchResult search_penalty_sign(
    const PenaltySignSearchOptions& options, at::Generator generator) {
  torch::NoGradGuard no_grad;
  const double low = options.non_negative ? 0.0 : -1.0;
  constexpr double kRounding = 1e-12;

  PenaltySignSearchResult result;
  result.min_relative_penalty = INFINITY;
  for (int64_t trial = 0; trial < options.trials; ++trial) {
    std::vector<int64_t> widths{
        uniform_integer(1, options.max_inputs, generator)};
    const int64_t depth = uniform_integer(1, options.max_depth, generator);
    for (int64_t l = 1; l < depth; ++l) {
      widths.push_back(uniform_integer(1, options.max_width, generator));
    }
    widths.push_back(1);
    const double keep_prob = uniform_values(1, 0.05, 1.0, generator).front();
    auto net = random_network(widths, keep_prob, low, 1.0, generator);

    const int64_t n_examples =
        uniform_integer(1, options.max_examples, generator);
    std::vector<std::vector<double>> inputs;
    for (int64_t i = 0; i < n_examples; ++i) {
      inputs.push_back(uniform_values(widths.front(), low, 1.0, generator));
    }
    auto labels = uniform_values(n_examples, -3.0, 3.0, generator);
    auto data =
        make_distribution(
            inputs, labels, std::vector<double>(n_examples, 1.0), "search")
            .to(torch::TensorOptions()
                    .dtype(torch::kFloat64)
                    .device(options.device));
    net->to(options.device);

    const double criterion = dropout_criterion(net, data).item<double>();
    const double plain_risk = risk(net, data).item<double>();
    const double penalty = criterion - plain_risk;
    const double relative = penalty / (criterion + plain_risk + 1e-300);

    auto moments = output_shift_moments(net, data.x);
    auto plain = net->forward(data.x);
    const double shift =
        (moments.mean.abs() / (1.0 + plain.abs())).max().item<double>();
    result.max_relative_mean_shift =
        std::max(result.max_relative_mean_shift, shift);

    ++result.trials;
    if (penalty < -kRounding * (criterion + plain_risk)) {
      ++result.negative_count;
    }
    if (relative < result.min_relative_penalty) {
      result.min_relative_penalty = relative;
      result.min_penalty = penalty;
      result.witness = parameters_of(net);
      result.witness_inputs = inputs;
      result.witness_labels = labels;
    }
  }
  return result;
}

}  // namespace dropout_lab
