#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "dropout_net.h"
#include "dropout_pattern.h"
#include "example_distribution.h"

namespace dropout_lab {

/// The kinds of map check_invariance draws. The first four are the paper's
/// invariances (theorems 4-6): "input" (W1 -> W1 A^-1 on data A x, A
/// diagonal with random signs), "layer" (c_1..c_d > 0, labels times
/// prod c), "unit" (one hidden unit, c > 0), "output" (c > 0, labels times
/// c). The last two are maps that are *not* dropout invariances, to show
/// that the check can fail: "negative-unit" (a unit rescaled by c < 0) and
/// "center" (inputs centred at their mean, b1 -> b1 + W1 mean, which keeps
/// the plain output but not D).
const std::vector<std::string>& rescaling_kinds();

/// The four kinds that are invariances.
const std::vector<std::string>& invariance_kinds();

/// One random draw of a map: the mapped network and data and the factor f
/// with D(W', x', R) = f D(W, x, R) expected for every pattern and example
/// (so JD' = f^2 JD and R' = f^2 R when labels are scaled by f).
struct RescalingDraw {
  std::string kind;
  std::string description;
  DropoutNet net{nullptr};
  ExampleDistribution data;
  double output_factor = 1.0;
};

/// Draws a map of `kind` (one of rescaling_kinds()) for `net` on `data`.
/// Factors are log-uniform in [1/4, 4]; input factors get random signs.
/// Throws InputError for an unknown kind or a kind the network lacks (a
/// unit kind needs a hidden layer).
RescalingDraw draw_rescaling(
    const std::string& kind,
    const DropoutNet& net,
    const ExampleDistribution& data,
    at::Generator generator);

struct InvarianceOptions {
  std::vector<std::string> kinds = invariance_kinds();
  /// Random draws per kind.
  int64_t trials = 5;
  /// Patterns are compared one by one: all 2^U of them when there are at
  /// most this many, else this many drawn once and used for every draw.
  int64_t pattern_limit = 4096;
  /// Cap for the exact criterion JD (see ExactCriterionOptions).
  int64_t max_patterns = kDefaultMaxPatterns;
  /// A dropout quantity agrees when its relative difference is at most
  /// this (float64 rounding is about 1e-16 per operation).
  double tolerance = 1e-12;
};

/// The outcome for one kind, the largest differences over its draws.
///
/// - output_difference: max over patterns R and examples x of
///   |D(W', x', R) - f D(W, x, R)|, divided by max |f D| over all of them;
/// - risk_, criterion_, penalty_difference: |Q' - f^2 Q| for Q = R, JD and
///   JD - R, each divided by f^2 max(JD, R);
/// - l2 change: ||W'||^2 / ||W||^2 - 1 over the weights (no biases), the
///   relative change of the L2 penalty, which is expected to move.
struct KindResult {
  std::string kind;
  bool expected_invariant = true;
  int64_t trials = 0;
  double output_difference = 0.0;
  double risk_difference = 0.0;
  double criterion_difference = 0.0;
  double penalty_difference = 0.0;
  double l2_change_min = 0.0;
  double l2_change_max = 0.0;
  /// The draw with the largest output difference.
  std::string worst_draw;
  /// Every dropout difference (output, JD, penalty) and the risk difference
  /// are at most the tolerance.
  bool holds = false;
};

struct InvarianceReport {
  std::vector<KindResult> kinds;
  /// Patterns compared per example and whether they were all of them.
  int64_t patterns = 0;
  bool enumerated = true;
  double tolerance = 0.0;
  double keep_prob = 0.5;
  /// Every kind holds.
  bool all_hold() const;
};

/// True when every hidden unit has a positive pre-activation on some
/// example of `data` with nothing dropped: a unit that never fires makes
/// every map of that unit an invariance trivially.
bool every_hidden_unit_fires(DropoutNet& net, const ExampleDistribution& data);

/// Draws `options.trials` maps of each kind and compares the mapped network
/// on the mapped data with the original, pattern by pattern and through the
/// criteria, in float64.
InvarianceReport check_invariance(
    DropoutNet& net,
    const ExampleDistribution& data,
    at::Generator generator,
    const InvarianceOptions& options = {});

}  // namespace dropout_lab
