#include "monte_carlo_dropout_criterion.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dropout_pattern.h"
#include "errors.h"
#include "marginal_squared_error.h"
#include "risk.h"

namespace dropout_lab {

MonteCarloEstimate dropout_criterion_monte_carlo(
    DropoutNet& net,
    const ExampleDistribution& data,
    at::Generator generator,
    const MonteCarloOptions& options) {
  require_matching_inputs(net, data, "dropout criterion");
  require_input(
      options.samples >= 2,
      fmt::format(
          "--samples: need at least 2 Monte Carlo samples, got {}",
          options.samples));
  torch::NoGradGuard no_grad;
  const auto tensor_options = data.x.options();
  const int64_t n_units = options.marginalise_last_layer
                              ? net->n_enumerated_units()
                              : net->n_droppable_units();

  const auto widest =
      *std::max_element(net->widths().begin(), net->widths().end());
  const int64_t chunk =
      std::max<int64_t>(1, options.chunk_elements / (data.size() * widest));

  // Chan et al.'s pairwise update of the mean and the sum of squared
  // deviations keeps the variance accurate over many chunks.
  double mean = 0.0;
  double squared_deviations = 0.0;
  int64_t seen = 0;
  for (int64_t first = 0; first < options.samples; first += chunk) {
    const int64_t count = std::min(chunk, options.samples - first);
    auto patterns = sample_patterns(
        count, n_units, net->keep_prob(), generator, tensor_options);
    torch::Tensor squared_error;
    if (options.marginalise_last_layer) {
      auto h = net->values_below_output(data.x, patterns);
      squared_error = marginal_squared_error(net, h, data.y);
    } else {
      squared_error =
          (net->forward_with_patterns(data.x, patterns) - data.y).square();
    }
    auto score = torch::matmul(squared_error, data.mass).to(torch::kCPU);

    const double chunk_mean = score.mean().item<double>();
    const double chunk_deviations =
        (score - chunk_mean).square().sum().item<double>();
    const int64_t combined = seen + count;
    const double delta = chunk_mean - mean;
    mean += delta * count / combined;
    squared_deviations += chunk_deviations + delta * delta *
                                                 static_cast<double>(seen) *
                                                 count / combined;
    seen = combined;
    if (options.progress != nullptr) {
      options.progress->advance(count);
    }
  }

  MonteCarloEstimate estimate;
  estimate.mean = mean;
  estimate.samples = seen;
  estimate.stderr_ = std::sqrt(squared_deviations / (seen - 1) / seen);
  return estimate;
}

}  // namespace dropout_lab
