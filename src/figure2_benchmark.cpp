#include "figure2_benchmark.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "figure2_protocol.h"
#include "progress_bar.h"

namespace dropout_lab {
namespace {

struct Configuration {
  std::string name;
  TrainingBackend backend;
  int64_t runs;
  int64_t width;
  int64_t steps;
};

struct Timing {
  double median_seconds = 0.0;
  int64_t model_steps = 0;
  torch::Tensor parameters;
};

// Median wall time of `repeats` trainings of `ensemble`.
Timing time_training(
    const Ensemble& ensemble,
    const TrainingOptions& training,
    int64_t repeats,
    ProgressBar& progress) {
  Timing timing;
  std::vector<double> seconds;
  for (int64_t i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = train_ensemble(ensemble, training);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    timing.model_steps = outcome.model_steps;
    timing.parameters = outcome.parameters;
    progress.advance();
  }
  std::sort(seconds.begin(), seconds.end());
  const auto middle = seconds.size() / 2;
  timing.median_seconds = seconds.size() % 2 == 1
                              ? seconds[middle]
                              : 0.5 * (seconds[middle - 1] + seconds[middle]);
  return timing;
}

}  // namespace

Table run_figure2_benchmark(const Figure2BenchmarkOptions& options) {
  const int64_t divide = options.quick ? 100 : 1;
  const std::vector<Configuration> configurations{
      {"full protocol", TrainingBackend::cpu_loop, 10, 5, 100000},
      {"full protocol", TrainingBackend::batched_tensors, 10, 5, 2000},
      {"150 models", TrainingBackend::cpu_loop, 10, 5, 20000},
      {"1500 models", TrainingBackend::cpu_loop, 100, 5, 20000},
      {"15000 models", TrainingBackend::cpu_loop, 1000, 5, 2000},
      {"15000 models", TrainingBackend::batched_tensors, 1000, 5, 200},
      {"width 20", TrainingBackend::cpu_loop, 10, 20, 20000},
      {"width 50", TrainingBackend::cpu_loop, 10, 50, 5000},
  };
  const int64_t reference_steps = 2000 / divide;
  ProgressBar progress(
      "bench",
      options.repeats * static_cast<int64_t>(configurations.size() + 2),
      progress_wanted(options.quiet));

  Table table{
      "bench_figure2",
      "figure2 training speed (medians; speed-up over the per-model "
      "autograd reference timed in the same run)",
      {"configuration",
       "backend",
       "device",
       "models",
       "steps",
       "median_seconds",
       "model_steps_per_second",
       "microseconds_per_model_step",
       "speedup_vs_per_model",
       "largest_difference_vs_reference"},
      {}};

  // The baseline: the reference trainer on one run's first scale, every
  // variant; the fast trainer on the same slice must agree with it.
  Figure2Options protocol;
  protocol.seed = options.seed;
  const auto slice = slice_ensemble(figure2_ensemble(protocol), 0, 3);
  TrainingOptions training;
  training.steps = reference_steps;
  training.backend = TrainingBackend::per_model;
  const auto reference =
      time_training(slice, training, options.repeats, progress);
  const double reference_per_step =
      reference.median_seconds / static_cast<double>(reference.model_steps);
  training.backend = TrainingBackend::cpu_loop;
  const auto fast = time_training(slice, training, options.repeats, progress);
  const double difference =
      largest_parameter_difference(fast.parameters, reference.parameters);

  auto add_row = [&](const std::string& name,
                     TrainingBackend backend,
                     const torch::Device& device,
                     int64_t models,
                     int64_t steps,
                     const Timing& timing,
                     Cell difference_cell) {
    const double per_step =
        timing.median_seconds / static_cast<double>(timing.model_steps);
    table.add_row({
        name,
        backend_name(backend),
        device.str(),
        models,
        steps,
        timing.median_seconds,
        1.0 / per_step,
        per_step * 1e6,
        reference_per_step / per_step,
        difference_cell,
    });
  };
  add_row(
      "slice of 3 (reference)",
      TrainingBackend::per_model,
      torch::kCPU,
      3,
      reference_steps,
      reference,
      Cell{});
  add_row(
      "slice of 3",
      TrainingBackend::cpu_loop,
      torch::kCPU,
      3,
      reference_steps,
      fast,
      Cell{difference});

  for (const auto& configuration : configurations) {
    Figure2Options sized = protocol;
    sized.runs = configuration.runs;
    sized.width = configuration.width;
    const auto ensemble = figure2_ensemble(sized);
    training.steps = configuration.steps / divide;
    training.backend = configuration.backend;
    training.device = configuration.backend == TrainingBackend::batched_tensors
                          ? options.device
                          : torch::Device(torch::kCPU);
    const auto timing =
        time_training(ensemble, training, options.repeats, progress);
    add_row(
        configuration.name,
        configuration.backend,
        training.device,
        ensemble.size(),
        training.steps,
        timing,
        Cell{});
  }
  progress.finish();
  return table;
}

}  // namespace dropout_lab
