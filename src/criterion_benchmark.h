#pragma once

#include <cstdint>

#include "table.h"

namespace dropout_lab {

struct CriterionBenchmarkOptions {
  /// Timed repetitions per method; the median is reported.
  int64_t repeats = 5;
  bool quiet = false;
};

/// Times the exact dropout criterion (batched, last layer marginalised)
/// against the brute-force loop over every pattern, for a depth-2 and a
/// depth-3 network, within one process. Reports the median seconds per
/// evaluation, the throughput in pattern-example pairs per second (counting
/// the pairs each method actually evaluates), the speed-up as a ratio of
/// median times, and the relative difference of the two values.
Table run_criterion_benchmark(const CriterionBenchmarkOptions& options);

}  // namespace dropout_lab
