#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "example_distribution.h"
#include "fit.h"

namespace dropout_lab {

/// Where one training run from a random start ended.
struct RestartOutcome {
  /// Exact JD of the final network.
  double dropout_criterion = 0.0;
  /// Its most negative weight (biases excluded), 0 when none is negative.
  double most_negative_weight = 0.0;
  /// Its plain risk R.
  double risk = 0.0;
  /// Training diverged (stochastic training only); the other fields are
  /// then NaN.
  bool diverged = false;
  /// The step (from 0) at which a diverged run met a non-finite value.
  int64_t diverged_at_step = -1;
};

/// The distribution of outcomes over many starts.
struct RestartSummary {
  int64_t runs = 0;
  int64_t diverged = 0;
  /// Quantiles of the final JD over the runs that did not diverge.
  double min = 0.0;
  double lower_quartile = 0.0;
  double median = 0.0;
  double upper_quartile = 0.0;
  double max = 0.0;
  /// Fraction of the finished runs with a weight below -tolerance.
  double fraction_negative = 0.0;
  /// Fraction of the finished runs with JD below `bound`. When `bound` is
  /// a lower bound on JD over non-negative networks, each such run
  /// provably needs its negative weights, whereas a negative weight alone
  /// may sit on a unit that never fires.
  double fraction_below_bound = 0.0;
  /// The most negative weight over every finished run.
  double most_negative_weight = 0.0;
};

/// `starts` networks with the given widths, every weight and bias drawn
/// uniformly from [-init_range, init_range], each fitted to the exact JD
/// on `data` with fit_criterion(options).
std::vector<RestartOutcome> fit_dropout_criterion_from_random_starts(
    const std::vector<int64_t>& widths,
    const ExampleDistribution& data,
    int64_t starts,
    double init_range,
    const FitOptions& options,
    double keep_prob,
    at::Generator generator);

/// The same starts trained by stochastic dropout SGD (train_dropout_sgd),
/// each scored by the exact JD at the end.
std::vector<RestartOutcome> train_dropout_sgd_from_random_starts(
    const std::vector<int64_t>& widths,
    const ExampleDistribution& data,
    int64_t starts,
    double init_range,
    const DropoutSgdOptions& options,
    double keep_prob,
    at::Generator generator);

/// Quantiles (linear interpolation between order statistics), the fraction
/// with a weight below -`negative_tolerance`, the fraction with JD below
/// `bound`, and the most negative weight.
RestartSummary summarise_restarts(
    const std::vector<RestartOutcome>& outcomes,
    double negative_tolerance,
    double bound);

}  // namespace dropout_lab
