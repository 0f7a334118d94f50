// The device trainer: the whole ensemble as batched tensors, one step for
// every model at a time. Gradients are written out by hand (the network is a
// chain of batched matrix products), which avoids building an autograd graph
// per step; the per-model trainer checks them.

#include <algorithm>
#include <vector>

#include "ensemble_trainer.h"
#include "parallel_chunks.h"
#include "progress_bar.h"
#include "training_stream.h"

namespace dropout_lab {
namespace detail {
namespace {

// Steps whose random draws are prepared together on the CPU and moved to the
// device in one transfer.
constexpr int64_t kChunkSteps = 256;

// The examples [S, M] and dropout patterns [S, M, U] of steps
// first..first+S-1 of every model, from the models' TrainingStreams.
// Limitation: drawn on the CPU and copied over; computing the counter hash
// on the device would remove the transfer.
struct StepDraws {
  torch::Tensor examples;
  torch::Tensor patterns;
};

StepDraws draw_steps(
    const Ensemble& ensemble,
    int64_t n_units,
    int64_t first,
    int64_t count,
    int64_t threads) {
  const int64_t models = ensemble.size();
  const int64_t n_examples = ensemble.n_examples();
  StepDraws draws{
      torch::empty({count, models}, torch::kInt64),
      torch::ones({count, models, n_units}, torch::kFloat64)};
  auto* examples = draws.examples.data_ptr<int64_t>();
  auto* patterns = draws.patterns.data_ptr<double>();

  parallel_chunks(0, models, threads, [&](int64_t begin, int64_t end) {
    std::vector<int64_t> order(n_examples);
    for (int64_t i = begin; i < end; ++i) {
      const auto& training = ensemble.training[i];
      const TrainingStream stream(training.stream_key);
      const uint64_t threshold = keep_threshold(training.keep_prob);
      int64_t epoch = -1;
      for (int64_t s = 0; s < count; ++s) {
        const int64_t t = first + s;
        if (t / n_examples != epoch) {
          epoch = t / n_examples;
          stream.epoch_order(epoch, n_examples, order.data());
        }
        examples[s * models + i] = order[t % n_examples];
        if (training.keep_prob < 1.0) {
          stream.dropout_pattern(
              t, n_units, threshold, patterns + (s * models + i) * n_units);
        }
      }
    }
  });
  return draws;
}

// Per-model settings as [M, 1] columns on the device.
torch::Tensor column(
    const Ensemble& ensemble,
    const torch::TensorOptions& options,
    double (*field)(const ModelTraining&)) {
  std::vector<double> values;
  for (const auto& training : ensemble.training) {
    values.push_back(field(training));
  }
  return torch::tensor(values, torch::kFloat64)
      .unsqueeze(1)
      .to(options.device());
}

}  // namespace

TrainingOutcome train_batched_tensors(
    const Ensemble& ensemble, const TrainingOptions& options) {
  torch::NoGradGuard no_grad;
  const int64_t threads =
      options.threads > 0 ? options.threads : default_training_threads();
  const auto device_options =
      torch::TensorOptions().dtype(torch::kFloat64).device(options.device);
  const auto& widths = ensemble.widths;
  const int64_t depth = static_cast<int64_t>(widths.size()) - 1;
  const int64_t models = ensemble.size();
  int64_t n_units = 0;
  for (int64_t l = 0; l < depth; ++l) {
    n_units += widths[l];
  }

  auto inputs = ensemble.inputs.to(options.device);
  auto labels = ensemble.labels.to(options.device);
  auto parameters = ensemble.parameters.to(options.device).clone();
  auto velocity = torch::zeros_like(parameters);
  auto gradient = torch::zeros_like(parameters);
  auto rows = torch::arange(models, device_options.dtype(torch::kInt64));

  // Views of each layer's weights [M, out, in] and biases [M, out] into the
  // flat parameters and gradient, plus each layer's slice of a pattern.
  std::vector<torch::Tensor> weight;
  std::vector<torch::Tensor> bias;
  std::vector<torch::Tensor> weight_gradient;
  std::vector<torch::Tensor> bias_gradient;
  std::vector<int64_t> unit_offset;
  auto decayed = torch::zeros({models, parameters.size(1)}, torch::kFloat64);
  int64_t offset = 0;
  int64_t units = 0;
  for (int64_t l = 0; l < depth; ++l) {
    const int64_t in = widths[l];
    const int64_t out = widths[l + 1];
    weight.push_back(
        parameters.narrow(1, offset, out * in).view({models, out, in}));
    weight_gradient.push_back(
        gradient.narrow(1, offset, out * in).view({models, out, in}));
    decayed.narrow(1, offset, out * in).fill_(1.0);
    offset += out * in;
    bias.push_back(parameters.narrow(1, offset, out));
    bias_gradient.push_back(gradient.narrow(1, offset, out));
    for (int64_t i = 0; i < models; ++i) {
      if (ensemble.training[i].sgd.decay_biases) {
        decayed[i].narrow(0, offset, out).fill_(1.0);
      }
    }
    offset += out;
    unit_offset.push_back(units);
    units += in;
  }

  const auto keep_prob =
      column(ensemble, device_options, [](const ModelTraining& m) {
        return m.keep_prob;
      });
  const auto learning_rate =
      column(ensemble, device_options, [](const ModelTraining& m) {
        return m.sgd.learning_rate;
      });
  const auto learning_rate_decay =
      column(ensemble, device_options, [](const ModelTraining& m) {
        return m.sgd.learning_rate_decay;
      });
  const auto momentum =
      column(ensemble, device_options, [](const ModelTraining& m) {
        return m.sgd.momentum;
      });
  const auto dampening =
      column(ensemble, device_options, [](const ModelTraining& m) {
        return m.sgd.dampening;
      });
  const auto weight_decay = column(
                                ensemble,
                                device_options,
                                [](const ModelTraining& m) {
                                  return m.sgd.weight_decay;
                                }) *
                            decayed.to(options.device);
  const auto without_momentum = momentum.eq(0.0);

  auto alive = torch::ones({models}, device_options.dtype(torch::kBool));
  auto diverged_step =
      torch::full({models}, -1, device_options.dtype(torch::kInt64));
  ProgressBar bar(
      options.progress_label, models * options.steps, options.progress);

  for (int64_t first = 0; first < options.steps; first += kChunkSteps) {
    const int64_t count = std::min(kChunkSteps, options.steps - first);
    auto draws = draw_steps(ensemble, n_units, first, count, threads);
    auto examples = draws.examples.to(options.device);
    auto patterns = draws.patterns.to(options.device);

    for (int64_t s = 0; s < count; ++s) {
      const int64_t t = first + s;
      auto example = examples[s];
      auto pattern = patterns[s];

      // Forward, keeping each layer's input and pre-activation.
      std::vector<torch::Tensor> values;
      std::vector<torch::Tensor> pre;
      auto h = inputs.index({rows, example}) * pattern.narrow(1, 0, widths[0]) /
               keep_prob;
      for (int64_t l = 0; l < depth; ++l) {
        values.push_back(h);
        auto z = torch::bmm(weight[l], h.unsqueeze(2)).squeeze(2) + bias[l];
        pre.push_back(z);
        if (l + 1 < depth) {
          h = torch::relu(z) *
              pattern.narrow(1, unit_offset[l + 1], widths[l + 1]) / keep_prob;
        }
      }
      auto residual = pre.back().squeeze(1) - labels.index({rows, example});
      auto loss = residual.square();

      auto diverging = alive & (loss.isfinite().logical_not() |
                                loss.gt(options.divergence_threshold));
      diverged_step.masked_fill_(diverging, t);
      alive.logical_and_(diverging.logical_not());

      // Backward by hand: delta = d loss / d pre-activation.
      auto delta = (2.0 * residual).unsqueeze(1);
      for (int64_t l = depth - 1; l >= 0; --l) {
        weight_gradient[l].copy_(delta.unsqueeze(2) * values[l].unsqueeze(1));
        bias_gradient[l].copy_(delta);
        if (l > 0) {
          auto back = torch::bmm(weight[l].transpose(1, 2), delta.unsqueeze(2))
                          .squeeze(2);
          delta = back / keep_prob *
                  pattern.narrow(1, unit_offset[l], widths[l]) *
                  pre[l - 1].gt(0.0);
        }
      }

      // Lua Torch SGD for every model at once; diverged models stay put.
      auto step_gradient = gradient + weight_decay * parameters;
      if (t == 0) {
        velocity.copy_(step_gradient);
      } else {
        velocity.mul_(momentum).add_((1.0 - dampening) * step_gradient);
      }
      auto direction = torch::where(without_momentum, step_gradient, velocity);
      auto step_size =
          learning_rate / (1.0 + static_cast<double>(t) * learning_rate_decay);
      parameters.copy_(torch::where(
          alive.unsqueeze(1), parameters - step_size * direction, parameters));
    }
    bar.advance(count * models);
  }
  bar.finish();

  TrainingOutcome outcome;
  outcome.parameters = parameters.cpu();
  auto steps = diverged_step.cpu();
  outcome.diverged_at.assign(
      steps.data_ptr<int64_t>(), steps.data_ptr<int64_t>() + models);
  for (auto step : outcome.diverged_at) {
    outcome.model_steps += step < 0 ? options.steps : step;
  }
  return outcome;
}

}  // namespace detail
}  // namespace dropout_lab
