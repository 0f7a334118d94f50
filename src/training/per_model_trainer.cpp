// The reference trainer: one DropoutNet per model, its loss differentiated by
// autograd and stepped by LuaSgd. Slow, and deliberately written without
// anything the fast trainers share except the random stream, so that
// agreement between them means something.

#include <cmath>

#include "ensemble_trainer.h"
#include "progress_bar.h"
#include "training_stream.h"

namespace dropout_lab {
namespace detail {

TrainingOutcome train_per_model(
    const Ensemble& ensemble, const TrainingOptions& options) {
  const int64_t models = ensemble.size();
  const int64_t n_examples = ensemble.n_examples();
  TrainingOutcome outcome;
  outcome.parameters = ensemble.parameters.clone();
  outcome.diverged_at.assign(models, -1);
  ProgressBar bar(
      options.progress_label, models * options.steps, options.progress);

  for (int64_t i = 0; i < models; ++i) {
    const auto& training = ensemble.training[i];
    auto net = network_from_flat(
        ensemble.widths, ensemble.parameters[i], training.keep_prob);
    std::vector<torch::Tensor> weights;
    std::vector<torch::Tensor> biases;
    for (int64_t l = 1; l <= net->depth(); ++l) {
      weights.push_back(net->layer(l)->weight);
      biases.push_back(net->layer(l)->bias);
    }
    LuaSgd sgd(weights, biases, training.sgd);

    const TrainingStream stream(training.stream_key);
    const uint64_t threshold = keep_threshold(training.keep_prob);
    std::vector<int64_t> order(n_examples);
    auto pattern = torch::ones({1, net->n_droppable_units()}, torch::kFloat64);
    const auto inputs = ensemble.inputs[i];
    const auto labels = ensemble.labels[i];

    for (int64_t t = 0; t < options.steps; ++t) {
      if (t % n_examples == 0) {
        stream.epoch_order(t / n_examples, n_examples, order.data());
      }
      const int64_t example = order[t % n_examples];
      if (training.keep_prob < 1.0) {
        stream.dropout_pattern(
            t, pattern.size(1), threshold, pattern.data_ptr<double>());
      }

      net->zero_grad();
      auto output =
          net->forward_with_mask(inputs[example].unsqueeze(0), pattern);
      auto loss = (output - labels[example]).square().sum();
      const double value = loss.item<double>();
      if (!std::isfinite(value) || value > options.divergence_threshold) {
        outcome.diverged_at[i] = t;
        break;
      }
      loss.backward();
      sgd.step();
      ++outcome.model_steps;
    }

    outcome.parameters[i].copy_(flatten_parameters(net));
    bar.advance(options.steps);
  }
  bar.finish();
  return outcome;
}

}  // namespace detail
}  // namespace dropout_lab
