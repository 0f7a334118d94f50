#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "example_distribution.h"
#include "unit_change.h"
#include "unit_free_fit.h"

namespace dropout_lab {

/// How far apart two fitted functions are on `data`, in standard
/// deviations of the label:
///
///   sqrt(sum_x P(x) (a(x) - b(x))^2) / sd(y),
///
/// for `a` and `b` the predictions on every example, [n].
double prediction_change(
    const torch::Tensor& a,
    const torch::Tensor& b,
    const ExampleDistribution& data);

/// The predictions vary by less than `tolerance` label standard deviations
/// on `data`: the fit has collapsed to a constant predictor.
bool collapsed_to_constant(
    const torch::Tensor& predictions,
    const ExampleDistribution& data,
    double tolerance);

/// One fit carried from the system it was made in into another by
/// carry_to_units (W1 -> W1 A^-1): the same function in other units.
struct CarriedFit {
  /// Index in the fits given of the fit carried.
  size_t fit = 0;
  std::string criterion;
  int64_t start = 0;
  std::string from_units;
  std::string to_units;
  /// |value there - value where made| / |value where made| for JD, R and
  /// J2. JD and R are zero up to rounding (theorem 4); J2 is not.
  double dropout_criterion_difference = 0.0;
  double risk_difference = 0.0;
  double weight_decay_change = 0.0;
  /// unit_free_gradient_norm of the fit's own criterion there over the
  /// one where it was made: 1 up to rounding for JD, so a dropout fit is a
  /// fit in every system; well above 1 for a weight-decay fit.
  double gradient_norm_ratio = 0.0;
};

/// Every fit of `fits` (from fit_each_system on `data` and `units`) carried
/// into every other system, in the order of `fits`, then of `units`.
std::vector<CarriedFit> carry_into_other_systems(
    const std::vector<StartFit>& fits,
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units,
    double lambda);

/// For every fit of `fits`, the index of the fit of the same criterion and
/// start in the first system of `units` (its own index there); an
/// InputError when one is missing.
std::vector<size_t> first_system_fits(
    const std::vector<StartFit>& fits, const std::vector<DataUnits>& units);

/// For every fit of `fits`, prediction_change from the fit of the same
/// criterion and start in the first system of `units`, measured on `data`
/// in the first system's units; zero for the first system's own fits.
std::vector<double> changes_from_first_system(
    const std::vector<StartFit>& fits,
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units);

/// The system of `units` called `name`; an InputError when none is.
const DataUnits& units_named(
    const std::vector<DataUnits>& units, const std::string& name);

}  // namespace dropout_lab
