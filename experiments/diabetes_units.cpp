// diabetes-units: on real data, dropout's fit does not depend on the units
// of the features and weight decay's does (theorem 4, R2, beyond the
// paper's toy distributions).
//
// The diabetes data of Efron et al. (2004; 442 patients, 10 raw features,
// data/diabetes.csv; the quick run takes the first 40) in three systems of
// units: as shipped, with several columns converted to other units (age in
// months, blood pressure in kPa, cholesterol and glucose in mmol/L), and
// with every column multiplied by a different arbitrary constant. Depth-2
// networks (3 hidden units, p = 0.8) are fitted to exact JD (2^10 input
// patterns, the hidden layer marginalised) and to J2 (lambda = 1) in the
// shipped units (best of 2 starts); each fit is carried into every system
// by W1 -> W1 A^-1 and refitted there. Expected: the carried JD fit has the
// same JD and R to rounding (1e-12), so dropout's minimisers, fits and risks
// correspond one to one; the weight-decay fit carried over changes J2, and the
// J2 refits' risks and weight norms move with the units (by more than 1%, and
// the risk at least twice as much as dropout's refits move).
//
// Limitation: the exact-JD fits stop on an iteration budget (50 per fit;
// every evaluation enumerates 2^10 patterns for 442 patients and the raw
// features span three decades; J2 fits stall too), far from a stationary
// point, so the refits in other units are shown but not checked: they move
// by optimisation noise. A preconditioned or longer fit (or the GPU for
// the enumeration) would let them converge and be compared.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "diabetes_data.h"
#include "progress_bar.h"
#include "registry.h"
#include "unit_change.h"

namespace dropout_lab {
namespace {

// Conversions of the shipped units (see data/README.md): age years ->
// months, bp mmHg -> kPa, s1-s3 cholesterol mg/dL -> mmol/L, s6 glucose
// mg/dL -> mmol/L; the other columns are kept.
const DataUnits kOtherUnits{
    "age in months, bp in kPa, s1-s3 and s6 in mmol/L",
    {12, 1, 1, 0.133322, 0.025860, 0.025860, 0.025860, 1, 1, 0.055506}};

// Every column times a different constant over three decades.
const DataUnits kArbitraryUnits{
    "each column times a different constant",
    {0.5, 3, 0.2, 2, 0.05, 4, 0.3, 8, 1.5, 0.1}};

// The first `count` patients, masses renormalised: the quick run's data.
ExampleDistribution first_rows(const ExampleDistribution& data, int64_t count) {
  auto mass = data.mass.narrow(0, 0, count);
  return {
      data.x.narrow(0, 0, count).clone(),
      data.y.narrow(0, 0, count).clone(),
      mass / mass.sum()};
}

ExperimentResult run_diabetes_units(const ExperimentContext& context) {
  // Each exact-JD evaluation enumerates 2^10 patterns for every patient, so
  // the quick run takes the first 40 patients.
  const auto all = diabetes_data();
  const auto data = context.quick ? first_rows(all, 40) : all;
  const std::vector<DataUnits> units{
      {"as shipped", std::vector<double>(10, 1.0)},
      kOtherUnits,
      kArbitraryUnits};
  UnitChangeOptions options;
  options.width = 3;
  options.keep_prob = 0.8;
  options.lambda = 1.0;
  options.restarts = context.quick ? 1 : 2;
  options.fit.gradient_tolerance = 1e-4;
  options.fit.max_iterations = 2000;
  // The budget keeps the full run near a minute on two cores.
  options.dropout_fit.gradient_tolerance = 1e-4;
  options.dropout_fit.max_iterations = 50;
  options.fit_rounds = 1;
  auto generator = context.generator("diabetes-units");

  ExperimentResult result;
  result.parameters = {
      {"data",
       fmt::format(
           "diabetes (Efron et al. 2004), {} patients x 10 raw features",
           data.size())},
      {"widths", {10, options.width, 1}},
      {"keep_prob", options.keep_prob},
      {"lambda", options.lambda},
      {"restarts", options.restarts},
      {"fit",
       fmt::format(
           "L-BFGS, strong Wolfe, gradient norm < {:g}; at most {} iterations "
           "for J2 and {} for exact JD",
           options.fit.gradient_tolerance,
           options.fit.max_iterations,
           options.dropout_fit.max_iterations)},
      {"units", {units[0].scale, units[1].scale, units[2].scale}}};

  ProgressBar progress("diabetes-units", 1, progress_wanted(context.quiet));
  const auto fits = fit_in_units(data, units, options, generator);
  progress.advance();
  progress.finish();

  Table table{
      "fits",
      "The fit in the shipped units carried into each system by "
      "W1 -> W1 A^-1, and refitted there",
      {},
      {}};
  table.columns = {
      "criterion",
      "units",
      "carried_value",
      "carried_risk",
      "carried_gradient_norm",
      "refit_value",
      "refit_risk",
      "refit_JD",
      "refit_squared_weight_norm",
      "refit_gradient_norm",
      "first_fit_restarts_converged"};
  const size_t n_units = units.size();
  double carried_dropout = 0.0;
  double decay_carried_risk = 0.0;
  double weakest_decay_carry = INFINITY;
  for (size_t i = 0; i < fits.size(); ++i) {
    const auto& fit = fits[i];
    const auto& reference = fits[i < n_units ? 0 : n_units];
    table.add_row(
        {fit.criterion,
         fit.units,
         fit.carried_value,
         fit.carried_risk,
         fit.carried_gradient_norm,
         fit.value,
         fit.risk,
         fit.dropout_criterion,
         fit.squared_norm,
         fit.gradient_norm,
         fmt::format("{}/{}", fit.converged_restarts, fit.restarts)});
    if (fit.criterion == "dropout") {
      carried_dropout = std::max(
          {carried_dropout,
           std::abs(fit.carried_value - reference.carried_value) /
               reference.carried_value,
           std::abs(fit.carried_risk - reference.carried_risk) /
               reference.carried_risk});
    } else if (&fit != &reference) {
      weakest_decay_carry = std::min(
          weakest_decay_carry,
          std::abs(fit.carried_value - reference.carried_value) /
              reference.carried_value);
      decay_carried_risk = std::max(
          decay_carried_risk,
          std::abs(fit.carried_risk - reference.carried_risk) /
              reference.carried_risk);
    }
  }
  result.tables.push_back(table);

  result.checks.push_back(check_at_most(
      "dropout: JD and R of the fit carried into other units, largest "
      "relative difference",
      carried_dropout,
      1e-12));
  result.checks.push_back(check_at_least(
      "weight decay: J2 of the fit carried into other units, smallest "
      "relative change",
      weakest_decay_carry,
      1e-3));
  result.checks.push_back(check_at_most(
      "weight decay: R of the fit carried into other units (the same "
      "function), largest relative difference",
      decay_carried_risk,
      1e-12));
  result.notes.push_back(
      "The fit in the shipped units is carried into each system (the same "
      "function there) and refitted. The carried JD fit has the same JD "
      "and R in every system, to rounding: dropout's fits correspond one to "
      "one. The JD refits stop on a budget (see the gradient norms), so "
      "their small differences are the optimiser's, which is not invariant "
      "to the units. Weight decay penalises the weights that the units "
      "force on W1, so its J2, refit, risk and weight norm move.");
  return result;
}

}  // namespace

Experiment diabetes_units_experiment() {
  return {
      "diabetes-units",
      "On the diabetes data (Efron et al. 2004) dropout's fit does not "
      "depend on the units of the features; weight decay's does (R2).",
      run_diabetes_units};
}

}  // namespace dropout_lab
