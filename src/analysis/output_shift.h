#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "dropout_net.h"
#include "dropout_pattern.h"

namespace dropout_lab {

/// Moments of the shift delta = D(W, x, R) - W(x) that dropout makes in the
/// output, per example, over all patterns R.
struct OutputShiftMoments {
  torch::Tensor mean;         ///< [B] E_R[delta].
  torch::Tensor mean_square;  ///< [B] E_R[delta^2].
};

/// The moments by full enumeration of every pattern, the last hidden layer
/// included (no closed-form marginalisation), so they serve as a check of
/// the exact criterion. Since
///   (D - y)^2 = delta^2 + 2 (W(x) - y) delta + (W(x) - y)^2,
/// the per-example dropout penalty is E[delta^2] + 2 (W(x) - y) E[delta],
/// linear in the label y.
OutputShiftMoments output_shift_moments(
    DropoutNet& net,
    const torch::Tensor& x,
    int64_t max_patterns = kDefaultMaxPatterns);

}  // namespace dropout_lab
