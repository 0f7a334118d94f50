#pragma once

#include <cstdint>
#include <vector>

#include "dropout_net.h"
#include "example_distribution.h"
#include "fit.h"

namespace dropout_lab {

/// Exact-JD minimisation of one distribution at several input scales.
struct ScaledDropoutFit {
  double scale = 1.0;
  /// The best of the direct fits at this scale: random starts fitted on the
  /// inputs times `scale`.
  double direct_criterion = 0.0;
  double direct_risk = 0.0;
  /// The pooled minimiser: the direct fit with the lowest JD over all
  /// scales, carried here by W1 -> W1 (s_from / s), which leaves every
  /// D(W, x, R), and so JD and R, unchanged. Its JD and risk recomputed on
  /// this scale's data, and the scale it was found at.
  double pooled_criterion = 0.0;
  double pooled_risk = 0.0;
  double found_at_scale = 1.0;
  /// The largest relative change of JD or R when any scale's best fit is
  /// carried here: rounding if the input-rescaling invariance holds.
  double largest_carry_change = 0.0;
};

/// Fits exact JD (keep probability `keep_prob`, depth 2, `n_hidden` hidden
/// units) to `data` with its inputs multiplied by each of `scales`, from
/// `restarts` random starts per scale (parameters uniform in [-1, 1] from
/// `generator`), with `fit`. Every scale's best fit is then carried to
/// every other scale, and the lowest of them all is each scale's pooled
/// minimiser.
///
/// Direct fits alone can land in different local minima at different
/// scales (the optimiser's path is not scale-equivariant even though the
/// criterion is); pooling compares like with like, and the direct results
/// are reported beside it so that the optimiser's spread stays visible.
std::vector<ScaledDropoutFit> fit_dropout_across_scales(
    const ExampleDistribution& data,
    const std::vector<double>& scales,
    int64_t n_hidden,
    double keep_prob,
    int64_t restarts,
    const FitOptions& fit,
    at::Generator generator);

}  // namespace dropout_lab
