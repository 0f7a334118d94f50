#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dropout_net.h"
#include "example_distribution.h"
#include "progress_bar.h"
#include "unit_change.h"

namespace dropout_lab {

/// One fit from one start in one system of units.
struct StartFit {
  std::string units;
  /// "dropout" (exact JD) or "l2" (J2 with lambda).
  std::string criterion;
  /// Index of the start, the same start in every system.
  int64_t start = 0;
  /// The fitted network read in these units: its criterion (JD or J2), its
  /// risk R, exact JD and ||W||^2 (weights only).
  double value = 0.0;
  double risk = 0.0;
  double dropout_criterion = 0.0;
  double squared_norm = 0.0;
  /// The gradient norm of value / Var(y) in the fitting coordinates (see
  /// fit_each_system), where the stopping rule reads it.
  double gradient_norm = 0.0;
  int64_t iterations = 0;
  bool converged = false;
  /// The fitted network, for the data in these units.
  DropoutNet net{nullptr};
  /// W(x) of `net` on every example in these units, [n].
  torch::Tensor predictions;
};

/// Fits exact JD and J2 afresh in every system of `units`, from the same
/// `options.restarts` starts, with a procedure that does not depend on the
/// units of the inputs:
///
/// - the network is fitted in coordinates where every input has unit root
///   mean square: with s = (sum_x P(x) x_k^2)^(1/2) per input, the network
///   V acting on x / s is the network W = V diag(1/s) on x (theorem 4's
///   map), so this is a diagonal preconditioner and no change of model;
/// - the starts are drawn once in those coordinates (weights uniform in
///   +-1/sqrt(K), the output bias at the mean label);
/// - the criterion minimised is JD(W) / Var(y), or J2(W) / Var(y) with
///   J2(W) = R(W) + (lambda / 2) ||W||^2 and W1 = V1 diag(1/s): weight decay
///   penalises the weights of the raw units, not the preconditioned ones.
///
/// JD(V diag(1/s); x) = JD(V; x / s) and x / s is the same data in every
/// system, so dropout's fits agree across systems up to how the optimiser
/// amplifies rounding; J2's penalty changes with s, so weight decay's fits
/// move. This holds for positive unit factors: a negative one flips an
/// input's sign, which s does not see, so the same start is another network
/// there (JD's invariance itself holds for any non-zero factor), so every
/// factor, the label's included, must be finite and positive (InputError).
/// Returns every fit, dropout first, systems in order, starts in order within
/// each; `progress`, when given, advances once per fit.
std::vector<StartFit> fit_each_system(
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units,
    const UnitChangeOptions& options,
    at::Generator generator,
    ProgressBar* progress = nullptr);

/// The gradient norm fit_each_system's stopping rule reads, at `net`, a
/// network for `data` in `units`: the gradient of JD / Var(y) or
/// J2 / Var(y) ("dropout" or "l2") with respect to V = W diag(s), where s
/// holds each input's root mean square in these units.
double unit_free_gradient_norm(
    const DropoutNet& net,
    const ExampleDistribution& data,
    const DataUnits& units,
    const std::string& criterion,
    double lambda);

/// The fit with the smallest criterion for every criterion and system of
/// `fits`, in their order of first appearance. Non-finite fits are passed
/// over; a system with no finite fit is an InputError.
std::vector<StartFit> best_per_system(const std::vector<StartFit>& fits);

}  // namespace dropout_lab
