#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "table.h"

namespace dropout_lab {

struct Figure2BenchmarkOptions {
  /// Timed repetitions per configuration; the median is reported.
  int64_t repeats = 3;
  /// Divide every step count by 100: a smoke test of the benchmark itself.
  bool quick = false;
  bool quiet = false;
  /// Where the batched-tensor rows run.
  torch::Device device = torch::kCPU;
  uint64_t seed = 1;
};

/// Times the figure2 protocol's trainings in one process: the per-model
/// autograd reference on a slice of three trainings (the baseline), the
/// full protocol with the CPU-loop and batched-tensor trainers, the CPU
/// loop with 150, 1500 and 15000 models, and with wider hidden layers.
/// Each row reports the median seconds, model-steps per second,
/// microseconds per model-step and the speed-up over the baseline (ratio of
/// seconds per model-step); the slice row also reports how far the fast
/// trainer's parameters are from the reference's.
Table run_figure2_benchmark(const Figure2BenchmarkOptions& options);

}  // namespace dropout_lab
