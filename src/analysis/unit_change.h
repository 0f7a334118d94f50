#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dropout_net.h"
#include "example_distribution.h"
#include "fit.h"

namespace dropout_lab {

/// One system of units for the data: input k of the original data is
/// multiplied by `scale[k]` and the label by `label_scale` (so the inputs
/// of A o P with A = diag(scale), and labels times c). Theorems 4 and 6
/// map a network for the original units to one for these by
/// W1 -> W1 A^-1 and the output unit's weights and bias times c, with D
/// multiplied by c and JD and R by c^2.
struct DataUnits {
  std::string name;
  std::vector<double> scale;
  double label_scale = 1.0;
};

/// `data` in `units`: input k times scale[k], the label times label_scale.
ExampleDistribution data_in_units(
    const ExampleDistribution& data, const DataUnits& units);

/// A network for the data in units `from` carried to units `to`: inputs
/// multiplied by to.scale[k] / from.scale[k] (W1 -> W1 A^-1) and labels by
/// the ratio of the label factors (the output unit's weights and bias times
/// c). D is multiplied by that c for every pattern, so JD and R by c^2.
DropoutNet carry_to_units(
    const DropoutNet& net, const DataUnits& from, const DataUnits& to);

struct UnitChangeOptions {
  /// Hidden units of the depth-2 networks fitted.
  int64_t width = 3;
  double keep_prob = 0.5;
  /// Weight-decay strength of J2.
  double lambda = 1.0;
  /// Random starts for the fit in the first system of units.
  int64_t restarts = 3;
  /// Fit settings for J2 and for exact JD, whose every evaluation
  /// enumerates 2^K input patterns and so may get a smaller budget.
  FitOptions fit;
  FitOptions dropout_fit;
  /// fit_criterion is called again, with a fresh L-BFGS memory, while it
  /// stops short of the gradient tolerance and still lowers the criterion,
  /// at most this many times in all: a stalled L-BFGS (at a ReLU kink or
  /// with a stale curvature model) often moves on from a fresh start.
  int64_t fit_rounds = 10;
};

/// One criterion in one system of units: the first system's fit carried
/// over by the theorems' map, and the refit from there.
struct UnitsFit {
  std::string units;
  /// "dropout" (exact JD) or "l2" (J2 with lambda).
  std::string criterion;
  /// The first system's best fit carried here: its criterion, risk and
  /// gradient norm in these units. For dropout the criterion and risk are
  /// the first fit's times (c / c_first)^2 and a zero gradient stays zero,
  /// so it is a minimiser here too; for weight decay the criterion moves.
  double carried_value = 0.0;
  double carried_risk = 0.0;
  double carried_gradient_norm = 0.0;
  /// The fit continued from the carried network in these units: the
  /// criterion, its risk R, exact JD, ||W||^2 (weights only), gradient norm.
  double value = 0.0;
  double risk = 0.0;
  double dropout_criterion = 0.0;
  double squared_norm = 0.0;
  double gradient_norm = 0.0;
  bool converged = false;
  /// Starts behind the first system's fit, and how many converged.
  int64_t restarts = 0;
  int64_t converged_restarts = 0;
};

/// Fits exact JD and J2 on `data` in the first system of `units` from
/// `options.restarts` random starts (weights and biases uniform in
/// +-1/sqrt(K) from `generator`, for inputs scaled to unit root mean
/// square), keeps the best, carries it into every
/// system (the first included) and continues the fit there. Returns, per
/// criterion, one entry per system, dropout first.
std::vector<UnitsFit> fit_in_units(
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units,
    const UnitChangeOptions& options,
    at::Generator generator);

}  // namespace dropout_lab
