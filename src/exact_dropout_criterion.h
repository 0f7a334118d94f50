#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "dropout_net.h"
#include "dropout_pattern.h"
#include "example_distribution.h"
#include "progress_bar.h"

namespace dropout_lab {

struct ExactCriterionOptions {
  /// Refuse networks that need more patterns than this.
  int64_t max_patterns = kDefaultMaxPatterns;
  /// Patterns x examples x width held in memory at once.
  int64_t chunk_elements = int64_t{1} << 17;
  /// Optional; advanced by the number of patterns done.
  ProgressBar* progress = nullptr;
  /// Average the bits of the layer feeding the output in closed form (the
  /// default). When false every one of the 2^U patterns is enumerated and
  /// pushed through the network: slower, but a second exact method.
  bool marginalise_last_layer = true;
};

/// The dropout criterion computed exactly,
///
///   JD(W) = sum_x P(x) sum_R Pr(R) (D(W, x, R) - y)^2,
///
/// enumerating the 2^(U - n_{d-1}) patterns of every unit except the layer
/// feeding the output, whose bits are averaged in closed form (see
/// marginal_squared_error). A depth-2 network costs 2^K patterns and a
/// depth-1 network none. Patterns are processed in batched chunks; the
/// result is a scalar tensor differentiable with autograd.
///
/// Limitation: with autograd on, the graph of every chunk is kept until the
/// caller runs backward; a per-chunk backward would lift the memory cost for
/// large pattern counts.
torch::Tensor dropout_criterion(
    DropoutNet& net,
    const ExampleDistribution& data,
    const ExactCriterionOptions& options = {});

/// The dropout penalty JD(W) - R(W), exactly.
torch::Tensor dropout_penalty(
    DropoutNet& net,
    const ExampleDistribution& data,
    const ExactCriterionOptions& options = {});

/// Number of patterns dropout_criterion enumerates for `net`, with or
/// without the closed-form average over the layer feeding the output.
int64_t exact_pattern_count(
    const DropoutNet& net,
    int64_t max_patterns,
    bool marginalise_last_layer = true);

}  // namespace dropout_lab
