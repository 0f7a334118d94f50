#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "dropout_net.h"
#include "example_distribution.h"
#include "progress_bar.h"

namespace dropout_lab {

/// A Monte Carlo estimate with its standard error.
struct MonteCarloEstimate {
  double mean = 0.0;
  double stderr_ = 0.0;  ///< Standard error of `mean` (sd / sqrt(samples)).
  int64_t samples = 0;

  /// Half-width of the two-sided interval mean +- z * stderr.
  double half_width(double z) const {
    return z * stderr_;
  }
};

struct MonteCarloOptions {
  int64_t samples = 100000;
  /// Patterns x examples x width held in memory at once.
  int64_t chunk_elements = int64_t{1} << 17;
  ProgressBar* progress = nullptr;
  /// Score each sample by the closed-form average over the bits of the
  /// layer feeding the output (the default). When false every bit is
  /// sampled and each sample is scored by (D - y)^2 itself: a larger
  /// variance, but one that its standard error can see when the enumerated
  /// bits alone vary only through rare events (for a depth-2 network, only
  /// the K input bits are sampled otherwise).
  bool marginalise_last_layer = true;
};

/// An unbiased Monte Carlo estimate of the dropout criterion JD(W).
///
/// Each sample draws the bits of every unit below the layer feeding the
/// output and scores it with the closed-form average over that layer's bits
/// (marginal_squared_error), summed over the examples with their masses.
/// This conditional expectation has the same mean as (D - y)^2 and a
/// smaller variance. Patterns come from `generator` on the CPU.
///
/// NOTE: the standard error is estimated from the samples, so an event too
/// rare to be sampled is invisible to it. W_neg at depth 2 is an example:
/// the marginalised score takes one value unless every input is dropped
/// (probability q^K), so its samples are nearly all equal; there
/// `marginalise_last_layer = false` gives an honest interval.
MonteCarloEstimate dropout_criterion_monte_carlo(
    DropoutNet& net,
    const ExampleDistribution& data,
    at::Generator generator,
    const MonteCarloOptions& options = {});

}  // namespace dropout_lab
