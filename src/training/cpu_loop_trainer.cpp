// The CPU trainer: each model's whole run in plain loops over doubles, models
// spread over threads. A step of the paper's 5-5-1 network is a few hundred
// floating-point operations, far too little for a tensor library's per-call
// overhead, so here loops beat batched tensors by a wide margin.

#include <algorithm>
#include <cmath>
#include <vector>

#include "ensemble_trainer.h"
#include "parallel_chunks.h"
#include "progress_bar.h"
#include "training_stream.h"

namespace dropout_lab {
namespace detail {
namespace {

// Where each layer's weights and biases sit in the flat parameter vector.
struct Layout {
  std::vector<int64_t> widths;
  std::vector<int64_t> weight_offset;  // per layer l = 1..d, index l - 1
  std::vector<int64_t> bias_offset;
  std::vector<int64_t> unit_offset;      // first pattern bit of layer l's input
  std::vector<unsigned char> is_weight;  // per flat parameter
  int64_t n_parameters = 0;
  int64_t n_units = 0;  // droppable units
  int64_t widest = 0;

  explicit Layout(const std::vector<int64_t>& layer_widths)
      : widths(layer_widths) {
    for (size_t l = 1; l < widths.size(); ++l) {
      weight_offset.push_back(n_parameters);
      n_parameters += widths[l] * widths[l - 1];
      bias_offset.push_back(n_parameters);
      n_parameters += widths[l];
      unit_offset.push_back(n_units);
      n_units += widths[l - 1];
    }
    is_weight.assign(n_parameters, 0);
    for (size_t l = 1; l < widths.size(); ++l) {
      for (int64_t j = 0; j < widths[l] * widths[l - 1]; ++j) {
        is_weight[weight_offset[l - 1] + j] = 1;
      }
    }
    for (auto width : widths) {
      widest = std::max(widest, width);
    }
  }

  int64_t depth() const {
    return static_cast<int64_t>(widths.size()) - 1;
  }
};

// Scratch space for one model's run, reused across the models of a thread.
struct Workspace {
  std::vector<double> parameters;
  std::vector<double> velocity;
  std::vector<double> gradient;
  std::vector<double> keep;
  // keep / p: 0 for a dropped unit, 1/p for a kept one.
  std::vector<double> scaled_keep;
  // Per parameter, lambda where it is decayed, else 0.
  std::vector<double> decay;
  // values[l] is the input of layer l + 1 after dropout (values[0] = inputs);
  // pre[l] the pre-activation of layer l + 1.
  std::vector<std::vector<double>> values;
  std::vector<std::vector<double>> pre;
  std::vector<double> delta;
  std::vector<double> delta_below;
  std::vector<int64_t> order;

  Workspace(const Layout& layout, int64_t n_examples)
      : parameters(layout.n_parameters),
        velocity(layout.n_parameters),
        gradient(layout.n_parameters),
        keep(layout.n_units, 1.0),
        scaled_keep(layout.n_units, 1.0),
        decay(layout.n_parameters, 0.0),
        delta(layout.widest),
        delta_below(layout.widest),
        order(n_examples) {
    for (int64_t l = 0; l < layout.depth(); ++l) {
      values.emplace_back(layout.widths[l]);
      pre.emplace_back(layout.widths[l + 1]);
    }
  }
};

// Trains model `i`, leaving its parameters in `work.parameters`; returns the
// step at which it diverged, or -1, and adds the steps taken to `steps_taken`.
int64_t train_model(
    const Ensemble& ensemble,
    const double* all_inputs,
    const double* all_labels,
    const double* all_parameters,
    const Layout& layout,
    const TrainingOptions& options,
    int64_t i,
    Workspace& work,
    int64_t& steps_taken) {
  const auto& training = ensemble.training[i];
  const auto& sgd = training.sgd;
  const double p = training.keep_prob;
  const bool dropout = p < 1.0;
  // Kept values are scaled by 1/p; a multiplication is several times
  // cheaper than a division in these inner loops.
  const double inverse_p = 1.0 / p;
  const uint64_t threshold = keep_threshold(p);
  const TrainingStream stream(training.stream_key);
  const int64_t n_examples = ensemble.n_examples();
  const int64_t depth = layout.depth();
  const int64_t n_inputs = layout.widths.front();
  const double* inputs = all_inputs + i * n_examples * n_inputs;
  const double* labels = all_labels + i * n_examples;
  double* w = work.parameters.data();
  double* v = work.velocity.data();
  double* g = work.gradient.data();
  const double* keep = work.scaled_keep.data();
  std::copy_n(all_parameters + i * layout.n_parameters, layout.n_parameters, w);
  // The workspace may come from another model: reset what depends on it.
  std::fill(work.scaled_keep.begin(), work.scaled_keep.end(), inverse_p);
  for (int64_t j = 0; j < layout.n_parameters; ++j) {
    work.decay[j] =
        layout.is_weight[j] || sgd.decay_biases ? sgd.weight_decay : 0.0;
  }
  const double* decay = work.decay.data();

  // The inner loops below are free of data-dependent branches: dropout
  // patterns are random, so branching on them would be mispredicted half
  // the time.
  for (int64_t t = 0; t < options.steps; ++t) {
    if (t % n_examples == 0) {
      stream.epoch_order(t / n_examples, n_examples, work.order.data());
    }
    const int64_t example = work.order[t % n_examples];
    const double* x = inputs + example * n_inputs;
    if (dropout) {
      stream.dropout_pattern(t, layout.n_units, threshold, work.keep.data());
      for (int64_t u = 0; u < layout.n_units; ++u) {
        work.scaled_keep[u] = work.keep[u] * inverse_p;
      }
    }

    // Forward: values[0] = x .* r_0 / p; pre = W values + b; the next values
    // are relu(pre) .* r / p; the output is the last pre-activation.
    for (int64_t k = 0; k < n_inputs; ++k) {
      work.values[0][k] = x[k] * keep[k];
    }
    for (int64_t l = 0; l < depth; ++l) {
      const int64_t in = layout.widths[l];
      const int64_t out = layout.widths[l + 1];
      const double* weight = w + layout.weight_offset[l];
      const double* bias = w + layout.bias_offset[l];
      const double* h = work.values[l].data();
      double* z = work.pre[l].data();
      for (int64_t j = 0; j < out; ++j) {
        double sum = 0.0;
        for (int64_t k = 0; k < in; ++k) {
          sum += weight[j * in + k] * h[k];
        }
        z[j] = sum + bias[j];
      }
      if (l + 1 < depth) {
        const double* r = keep + layout.unit_offset[l + 1];
        double* next = work.values[l + 1].data();
        for (int64_t j = 0; j < out; ++j) {
          next[j] = (z[j] > 0.0 ? z[j] : 0.0) * r[j];
        }
      }
    }
    const double residual = work.pre[depth - 1][0] - labels[example];
    const double loss = residual * residual;
    if (!std::isfinite(loss) || loss > options.divergence_threshold) {
      return t;
    }

    // Backward: delta is d loss / d pre of the current layer.
    work.delta[0] = 2.0 * residual;
    for (int64_t l = depth - 1; l >= 0; --l) {
      const int64_t in = layout.widths[l];
      const int64_t out = layout.widths[l + 1];
      const double* weight = w + layout.weight_offset[l];
      const double* h = work.values[l].data();
      double* weight_gradient = g + layout.weight_offset[l];
      double* bias_gradient = g + layout.bias_offset[l];
      for (int64_t j = 0; j < out; ++j) {
        const double d = work.delta[j];
        for (int64_t k = 0; k < in; ++k) {
          weight_gradient[j * in + k] = d * h[k];
        }
        bias_gradient[j] = d;
      }
      if (l == 0) {
        break;
      }
      const double* r = keep + layout.unit_offset[l];
      const double* z_below = work.pre[l - 1].data();
      for (int64_t k = 0; k < in; ++k) {
        double sum = 0.0;
        for (int64_t j = 0; j < out; ++j) {
          sum += weight[j * in + k] * work.delta[j];
        }
        work.delta_below[k] = z_below[k] > 0.0 ? sum * r[k] : 0.0;
      }
      std::swap(work.delta, work.delta_below);
    }

    // Lua Torch SGD, parameter by parameter: g + lambda w, then the
    // momentum buffer (seeded with the first gradient), then the step.
    const double step_size = lua_sgd_step_size(sgd, t);
    if (sgd.momentum == 0.0) {
      for (int64_t j = 0; j < layout.n_parameters; ++j) {
        w[j] -= step_size * (g[j] + decay[j] * w[j]);
      }
    } else if (t == 0) {
      for (int64_t j = 0; j < layout.n_parameters; ++j) {
        v[j] = g[j] + decay[j] * w[j];
        w[j] -= step_size * v[j];
      }
    } else {
      const double momentum = sgd.momentum;
      const double undamped = 1.0 - sgd.dampening;
      for (int64_t j = 0; j < layout.n_parameters; ++j) {
        v[j] = momentum * v[j] + undamped * (g[j] + decay[j] * w[j]);
        w[j] -= step_size * v[j];
      }
    }
    ++steps_taken;
  }
  return -1;
}

}  // namespace

TrainingOutcome train_cpu_loop(
    const Ensemble& ensemble, const TrainingOptions& options) {
  const Layout layout(ensemble.widths);
  const int64_t models = ensemble.size();
  const auto inputs = ensemble.inputs.contiguous();
  const auto labels = ensemble.labels.contiguous();
  const auto initial = ensemble.parameters.contiguous();
  TrainingOutcome outcome;
  outcome.parameters = torch::empty_like(ensemble.parameters);
  outcome.diverged_at.assign(models, -1);
  std::vector<int64_t> steps_taken(models, 0);
  ProgressBar bar(
      options.progress_label, models * options.steps, options.progress);

  // Blocks of models between progress updates; within a block, threads
  // take contiguous runs of models.
  const int64_t threads =
      options.threads > 0 ? options.threads : default_training_threads();
  const int64_t block = std::max<int64_t>(64, 8 * threads);
  for (int64_t first = 0; first < models; first += block) {
    const int64_t last = std::min(models, first + block);
    parallel_chunks(first, last, threads, [&](int64_t begin, int64_t end) {
      Workspace work(layout, ensemble.n_examples());
      for (int64_t i = begin; i < end; ++i) {
        outcome.diverged_at[i] = train_model(
            ensemble,
            inputs.data_ptr<double>(),
            labels.data_ptr<double>(),
            initial.data_ptr<double>(),
            layout,
            options,
            i,
            work,
            steps_taken[i]);
        std::copy_n(
            work.parameters.data(),
            layout.n_parameters,
            outcome.parameters.data_ptr<double>() + i * layout.n_parameters);
      }
    });
    bar.advance((last - first) * options.steps);
  }
  bar.finish();

  for (auto steps : steps_taken) {
    outcome.model_steps += steps;
  }
  return outcome;
}

}  // namespace detail
}  // namespace dropout_lab
