#pragma once

#include <cstdint>
#include <vector>

#include "dropout_net.h"
#include "dropout_pattern.h"
#include "example_distribution.h"

namespace dropout_lab {

/// The exact dropout penalty JD - R of one network and distribution as a
/// function of the drop probability q = 1 - p.
struct KeepProbSweep {
  std::vector<double> drop_probs;
  std::vector<double> penalties;
  /// Interior local minima and maxima of the penalty in q, each located to
  /// about 1e-9 by golden-section search between the neighbouring grid
  /// points where the discrete slope changes sign.
  std::vector<double> turning_drop_probs;
  std::vector<bool> turning_is_minimum;
  /// The penalty at each turning point.
  std::vector<double> turning_penalties;

  bool monotone() const {
    return turning_drop_probs.empty();
  }
};

/// Evaluates the penalty on the grid `drop_probs` (increasing, inside
/// (0, 1)) and locates its turning points. The network's own keep
/// probability is restored afterwards.
KeepProbSweep sweep_keep_prob(
    DropoutNet& net,
    const ExampleDistribution& data,
    const std::vector<double>& drop_probs,
    int64_t max_patterns = kDefaultMaxPatterns);

/// An evenly spaced grid of `count` drop probabilities strictly inside
/// (0, 1): q_i = i / (count + 1).
std::vector<double> drop_prob_grid(int64_t count);

}  // namespace dropout_lab
