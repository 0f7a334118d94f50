#pragma once

#include <cstdint>
#include <vector>

#include "dropout_net.h"
#include "example_distribution.h"
#include "fit.h"
#include "hessian.h"

namespace dropout_lab {

struct MinimiserSearchOptions {
  /// Independent random starts, parameters uniform in [-init, init].
  int64_t restarts = 5;
  double init = 1.0;
  FitOptions fit;
};

/// The best of several deterministic fits (fit_criterion) from random
/// starts: the smallest criterion among the converged fits, or among all
/// fits when none converged.
struct MinimiserSearch {
  DropoutNet net{nullptr};
  FitResult fit;
  int64_t restarts = 0;
  int64_t converged_restarts = 0;
  /// Largest criterion difference between converged fits and the best one,
  /// relative to the best: how much the restarts disagree.
  double converged_spread = 0.0;
};

/// Fits `criterion` from `options.restarts` random networks with `widths`
/// and keep probability `keep_prob` drawn from `generator`.
MinimiserSearch search_minimiser(
    const std::vector<int64_t>& widths,
    double keep_prob,
    const NetworkCriterion& criterion,
    at::Generator generator,
    const MinimiserSearchOptions& options = {});

/// A distribution whose labels a network of the given widths computes
/// exactly, so inf_W R(W) = 0 over that architecture: `n_examples` inputs
/// uniform in [-1, 1]^K with equal masses, labelled by a teacher network
/// whose parameters are uniform in [-1, 1], redrawn until every hidden unit
/// fires on some input.
ExampleDistribution teacher_distribution(
    const std::vector<int64_t>& widths,
    int64_t n_examples,
    at::Generator generator);

}  // namespace dropout_lab
