#include "exact_dropout_criterion.h"

#include <algorithm>

#include "marginal_squared_error.h"
#include "risk.h"

namespace dropout_lab {

int64_t exact_pattern_count(
    const DropoutNet& net, int64_t max_patterns, bool marginalise_last_layer) {
  return checked_pattern_count(
      marginalise_last_layer ? net->n_enumerated_units()
                             : net->n_droppable_units(),
      max_patterns,
      "the exact dropout criterion");
}

torch::Tensor dropout_criterion(
    DropoutNet& net,
    const ExampleDistribution& data,
    const ExactCriterionOptions& options) {
  require_matching_inputs(net, data, "dropout criterion");
  const bool marginalise = options.marginalise_last_layer;
  const int64_t n_patterns =
      exact_pattern_count(net, options.max_patterns, marginalise);
  const int64_t n_units =
      marginalise ? net->n_enumerated_units() : net->n_droppable_units();
  const auto tensor_options = data.x.options();

  const auto widest =
      *std::max_element(net->widths().begin(), net->widths().end());
  const int64_t chunk =
      std::max<int64_t>(1, options.chunk_elements / (data.size() * widest));

  auto total = torch::zeros({}, tensor_options);
  for (int64_t first = 0; first < n_patterns; first += chunk) {
    const int64_t count = std::min(chunk, n_patterns - first);
    auto patterns = enumerate_patterns(first, count, n_units, tensor_options);
    auto probability = pattern_probabilities(patterns, net->keep_prob());

    auto loss =
        marginalise
            ? marginal_squared_error(
                  net, net->values_below_output(data.x, patterns), data.y)
            : (net->forward_with_patterns(data.x, patterns) - data.y).square();

    // sum_R Pr(R) sum_x P(x) loss(R, x) for this chunk.
    total = total + torch::matmul(probability, torch::matmul(loss, data.mass));
    if (options.progress != nullptr) {
      options.progress->advance(count);
    }
  }
  return total;
}

torch::Tensor dropout_penalty(
    DropoutNet& net,
    const ExampleDistribution& data,
    const ExactCriterionOptions& options) {
  return dropout_criterion(net, data, options) - risk(net, data);
}

}  // namespace dropout_lab
