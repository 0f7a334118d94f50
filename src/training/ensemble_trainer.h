#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "ensemble.h"

namespace dropout_lab {

/// How a training step is carried out; every way gives the same numbers up
/// to rounding.
enum class TrainingBackend {
  /// cpu_loop on the CPU, batched_tensors on any other device.
  automatic,
  /// Plain C++ loops, one model at a time, models spread over threads: the
  /// fastest on a CPU, where a step of a small network is too little work
  /// for tensor operations to pay for their overhead.
  cpu_loop,
  /// The whole ensemble as batched tensors [M, ...], one step at a time, on
  /// any device: the GPU path.
  batched_tensors,
  /// One DropoutNet per model, autograd and LuaSgd: the reference the
  /// others are checked against. Slow.
  per_model,
};

struct TrainingOptions {
  int64_t steps = 100000;
  /// A model has diverged at the first step whose squared loss is not
  /// finite or exceeds this; it is frozen there.
  double divergence_threshold = 1e6;
  TrainingBackend backend = TrainingBackend::automatic;
  torch::Device device = torch::kCPU;
  /// CPU threads (0: every hardware thread). Each model is trained by one
  /// thread, so the results do not depend on this.
  int64_t threads = 0;
  /// Draw a progress bar on stderr (see progress_wanted).
  bool progress = false;
  std::string progress_label = "training";
};

/// What training did to each model.
struct TrainingOutcome {
  /// [M, P] float64 on the CPU: the final parameters, or for a diverged
  /// model the parameters before the step at which it diverged.
  torch::Tensor parameters;
  /// -1 where the model trained for every step, else the 0-based step at
  /// which it diverged.
  std::vector<int64_t> diverged_at;
  /// Model-steps actually computed (diverged models stop early).
  int64_t model_steps = 0;
};

/// Trains every member of `ensemble` for `options.steps` steps of one example
/// each, with squared loss (D(W, x, R) - y)^2 (gradient 2 (D - y) dD/dW) under
/// the member's dropout (keep probability p, kept values scaled by 1/p) and
/// Lua Torch SGD (see LuaSgd). Step t of model i uses the example and pattern
/// that TrainingStream(training[i].stream_key) assigns to step t: example
/// `order[t % m]` of epoch `t / m`, pattern `dropout_pattern(t, ...)`.
TrainingOutcome train_ensemble(
    const Ensemble& ensemble, const TrainingOptions& options);

/// How far `parameters` [M, P] are from `reference` [M, P]: the largest
/// |a - b| / max(1, |b|) over every entry, the measure by which the fast
/// trainers are held to the per-model reference.
double largest_parameter_difference(
    const torch::Tensor& parameters, const torch::Tensor& reference);

/// The name of a backend ("cpu-loop", ...), and the inverse; the latter
/// throws InputError on an unknown name.
std::string backend_name(TrainingBackend backend);
TrainingBackend parse_backend(const std::string& name);

namespace detail {

TrainingOutcome train_cpu_loop(
    const Ensemble& ensemble, const TrainingOptions& options);
TrainingOutcome train_batched_tensors(
    const Ensemble& ensemble, const TrainingOptions& options);
TrainingOutcome train_per_model(
    const Ensemble& ensemble, const TrainingOptions& options);

}  // namespace detail

}  // namespace dropout_lab
