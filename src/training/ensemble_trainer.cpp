#include "ensemble_trainer.h"

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

TrainingOutcome train_ensemble(
    const Ensemble& ensemble, const TrainingOptions& options) {
  validate_ensemble(ensemble);
  require_input(options.steps >= 0, [&] {
    return fmt::format("steps: must be >= 0, got {}", options.steps);
  });

  auto backend = options.backend;
  if (backend == TrainingBackend::automatic) {
    backend = options.device.is_cpu() ? TrainingBackend::cpu_loop
                                      : TrainingBackend::batched_tensors;
  }
  require_input(
      options.device.is_cpu() || backend == TrainingBackend::batched_tensors,
      [&] {
        return fmt::format(
            "backend {} runs on the CPU only; use batched-tensors on {}",
            backend_name(backend),
            options.device.str());
      });

  switch (backend) {
    case TrainingBackend::cpu_loop:
      return detail::train_cpu_loop(ensemble, options);
    case TrainingBackend::batched_tensors:
      return detail::train_batched_tensors(ensemble, options);
    case TrainingBackend::per_model:
      return detail::train_per_model(ensemble, options);
    case TrainingBackend::automatic:
      break;
  }
  TORCH_INTERNAL_ASSERT(false, "unhandled training backend");
}

double largest_parameter_difference(
    const torch::Tensor& parameters, const torch::Tensor& reference) {
  return ((parameters - reference).abs() / reference.abs().clamp_min(1.0))
      .max()
      .item<double>();
}

std::string backend_name(TrainingBackend backend) {
  switch (backend) {
    case TrainingBackend::automatic:
      return "automatic";
    case TrainingBackend::cpu_loop:
      return "cpu-loop";
    case TrainingBackend::batched_tensors:
      return "batched-tensors";
    case TrainingBackend::per_model:
      return "per-model";
  }
  return "unknown";
}

TrainingBackend parse_backend(const std::string& name) {
  for (auto backend :
       {TrainingBackend::automatic,
        TrainingBackend::cpu_loop,
        TrainingBackend::batched_tensors,
        TrainingBackend::per_model}) {
    if (backend_name(backend) == name) {
      return backend;
    }
  }
  throw InputError(fmt::format(
      "--backend: unknown backend '{}' (automatic, cpu-loop, "
      "batched-tensors, per-model)",
      name));
}

}  // namespace dropout_lab
