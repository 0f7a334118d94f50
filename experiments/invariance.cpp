// invariance: the rescaling invariances of theorems 4, 5 and 6 (R2-R4).
//
// Part 1: random mixed-sign networks of several depths, widths and keep
// probabilities; check_invariance draws input (W1 A^-1), layer-wise,
// node-wise and output rescalings and compares D pattern by pattern and R,
// JD, the penalty. Expected: relative differences at float64 rounding
// (<= 1e-12), the L2 penalty moving; a negative unit factor and centred
// inputs detected as non-invariances.
//
// Part 2: aversions under rescaling. On two teacher distributions (labels
// from a network of the fitted architecture, so inf R = 0 and the aversion
// is the risk at the minimiser) exact JD and J2 are minimised for P (best
// of a few restarts); each fit is carried to A o P (several diagonal A, one
// with a negative entry) and to P with labels times c by the theorems' map
// and refitted there. Expected: the carried dropout fit has c^2 the JD and
// R of P's (to 1e-12), so it is a minimiser of the map too and the refit
// stays there (JD within 1e-3, aversion within 2e-2, the fits' stopping
// noise); the carried weight-decay fit is not a J2 minimiser, and its refit
// moves the aversion by more than 5%.
//
// Limitation: "minimiser" means the best of a few L-BFGS restarts, which
// can stop at a ReLU kink; independent fits of P and of A o P land in
// different local minima (JD apart by several percent), which is why the
// aversions are compared along the carried fit. A global search (or a
// kink-aware local method) would make the aversions certain rather than
// the best found.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "invariance_check.h"
#include "minimiser_search.h"
#include "progress_bar.h"
#include "random_network.h"
#include "registry.h"
#include "unit_change.h"

namespace dropout_lab {
namespace {

constexpr double kExactTolerance = 1e-12;
// The fits stop at gradient norm 1e-7 or at a ReLU kink (see fit.h); a
// refit of a carried dropout minimiser may then slide a little further
// along the kink, by less than these relative amounts.
constexpr double kFitJdTolerance = 1e-3;
constexpr double kFitAversionTolerance = 2e-2;

std::string widths_name(const std::vector<int64_t>& widths) {
  return fmt::format("{}", fmt::join(widths, "-"));
}

void check_random_networks(
    const ExperimentContext& context,
    at::Generator generator,
    ExperimentResult& result) {
  const std::vector<std::vector<int64_t>> architectures =
      context.quick
          ? std::vector<std::vector<int64_t>>{{3, 4, 1}, {2, 3, 2, 1}}
          : std::vector<std::vector<int64_t>>{
                {3, 1}, {3, 4, 1}, {5, 3, 1}, {2, 3, 2, 1}, {3, 2, 2, 2, 1}};
  const std::vector<double> keep_probs =
      context.quick ? std::vector<double>{0.5} : std::vector<double>{0.5, 0.8};
  InvarianceOptions options;
  options.kinds = rescaling_kinds();
  options.trials = context.quick ? 3 : 10;
  options.tolerance = kExactTolerance;

  Table table{
      "random_networks",
      "Largest relative differences under random rescalings (random "
      "networks, 6 examples in [-1, 1]^K)",
      {},
      {}};
  table.columns = {
      "widths",
      "p",
      "kind",
      "D",
      "R",
      "JD",
      "penalty",
      "L2_change_min",
      "L2_change_max",
      "holds"};
  double worst_invariant = 0.0;
  double least_detected = INFINITY;
  for (const auto& widths : architectures) {
    for (double p : keep_probs) {
      std::vector<std::vector<double>> inputs;
      for (int i = 0; i < 6; ++i) {
        inputs.push_back(uniform_values(widths.front(), -1.0, 1.0, generator));
      }
      auto data = make_distribution(
          inputs,
          uniform_values(6, -2.0, 2.0, generator),
          std::vector<double>(6, 1.0));
      // A network with a dead unit would pass every map of that unit
      // trivially; draw until every hidden unit fires on some example.
      auto net = random_network(widths, p, -1.0, 1.0, generator);
      while (!every_hidden_unit_fires(net, data)) {
        net = random_network(widths, p, -1.0, 1.0, generator);
      }
      options.kinds = widths.size() > 2 ? rescaling_kinds()
                                        : std::vector<std::string>{
                                              "input", "layer", "output"};
      const auto report = check_invariance(net, data, generator, options);
      for (const auto& kind : report.kinds) {
        const double largest = std::max(
            {kind.output_difference,
             kind.risk_difference,
             kind.criterion_difference,
             kind.penalty_difference});
        if (kind.expected_invariant) {
          worst_invariant = std::max(worst_invariant, largest);
        } else {
          least_detected = std::min(least_detected, kind.criterion_difference);
        }
        table.add_row(
            {widths_name(widths),
             p,
             kind.kind,
             kind.output_difference,
             kind.risk_difference,
             kind.criterion_difference,
             kind.penalty_difference,
             kind.l2_change_min,
             kind.l2_change_max,
             std::string(kind.holds ? "yes" : "no")});
      }
    }
  }
  result.checks.push_back(check_at_most(
      "invariances: largest relative difference of D, R, JD or penalty",
      worst_invariant,
      kExactTolerance));
  result.checks.push_back(check_at_least(
      "non-invariances (negative unit factor, centring): smallest relative "
      "change of JD",
      least_detected,
      1e-6));
  result.tables.push_back(table);
}

// The dropout and weight-decay fits of two teacher distributions (labels
// from a network of the fitted architecture, so inf R = 0 and the aversion
// is the risk at the minimiser) in several systems of units: inputs
// A o P and labels times c, each from the same starts carried over.
void check_aversions(
    const ExperimentContext& context,
    at::Generator generator,
    ExperimentResult& result,
    ProgressBar& progress) {
  UnitChangeOptions options;
  options.keep_prob = 0.5;
  options.lambda = 0.05;
  options.restarts = context.quick ? 2 : 4;
  struct Setup {
    std::string name;
    std::vector<int64_t> widths;
    int64_t n_examples;
    std::vector<DataUnits> units;
  };
  std::vector<Setup> setups{
      {"teacher K=2, n=3",
       {2, 3, 1},
       6,
       {{"P", {1, 1}},
        {"A = diag(0.5, 2)", {0.5, 2}},
        {"A = diag(3, 0.25)", {3, 0.25}},
        {"A = diag(-1.5, 0.7)", {-1.5, 0.7}},
        {"labels times 2", {1, 1}, 2},
        {"labels times 0.5", {1, 1}, 0.5}}},
      {"teacher K=3, n=2",
       {3, 2, 1},
       8,
       {{"P", {1, 1, 1}},
        {"A = diag(0.25, 1, 4)", {0.25, 1, 4}},
        {"A = diag(2, -3, 0.5)", {2, -3, 0.5}},
        {"labels times 3", {1, 1, 1}, 3}}}};
  if (context.quick) {
    setups.pop_back();
    setups.front().units = {
        setups.front().units[0],
        setups.front().units[1],
        setups.front().units[4]};
  }

  Table table{
      "aversions",
      "Aversions (risk at the fitted minimiser; inf R = 0): the fit for P "
      "carried to each map, and refitted there",
      {},
      {}};
  table.columns = {
      "distribution",
      "map",
      "c^2",
      "JD_carried",
      "dropout_aversion_carried",
      "JD_refit",
      "dropout_aversion_refit",
      "dropout_ratio_to_P",
      "JD_gradient_norm",
      "J2_carried",
      "J2_refit",
      "weight_decay_aversion_refit",
      "weight_decay_ratio_to_P",
      "J2_gradient_norm"};
  double worst_carried = 0.0;
  double worst_jd = 0.0;
  double worst_aversion = 0.0;
  double largest_decay_move = 0.0;
  for (const auto& setup : setups) {
    options.width = setup.widths[1];
    const auto data =
        teacher_distribution(setup.widths, setup.n_examples, generator);
    const auto fits = fit_in_units(data, setup.units, options, generator);
    const size_t n_units = setup.units.size();
    const auto& base_d = fits[0];
    const auto& base_2 = fits[n_units];
    for (size_t i = 0; i < n_units; ++i) {
      const auto& fit_d = fits[i];
      const auto& fit_2 = fits[n_units + i];
      const double c = setup.units[i].label_scale;
      const double f = c * c;
      // Exact: the carried fit has c^2 the JD and R of P's fit.
      worst_carried = std::max(
          {worst_carried,
           std::abs(fit_d.carried_value - f * base_d.carried_value) /
               (f * base_d.carried_value),
           std::abs(fit_d.carried_risk - f * base_d.carried_risk) /
               (f * base_d.carried_risk)});
      // The refit from there: for dropout it is already at a minimiser.
      worst_jd = std::max(
          worst_jd,
          std::abs(fit_d.value - f * base_d.value) / (f * base_d.value));
      worst_aversion = std::max(
          worst_aversion,
          std::abs(fit_d.risk - f * base_d.risk) / (f * base_d.risk));
      const double decay_ratio = fit_2.risk / (f * base_2.risk);
      largest_decay_move =
          std::max(largest_decay_move, std::abs(decay_ratio - 1.0));
      table.add_row(
          {setup.name,
           setup.units[i].name,
           f,
           fit_d.carried_value,
           fit_d.carried_risk,
           fit_d.value,
           fit_d.risk,
           fit_d.risk / (f * base_d.risk),
           fit_d.gradient_norm,
           fit_2.carried_value,
           fit_2.value,
           fit_2.risk,
           decay_ratio,
           fit_2.gradient_norm});
    }
    progress.advance();
  }
  result.checks.push_back(check_at_most(
      "dropout: JD and R of the fit for P carried to each map (W1 A^-1, "
      "output times c) against c^2 times P's, largest relative difference",
      worst_carried,
      1e-12));
  result.checks.push_back(check_at_most(
      "dropout: refitted JD of each map against c^2 JD of P's refit, largest "
      "relative difference",
      worst_jd,
      kFitJdTolerance));
  result.checks.push_back(check_at_most(
      "dropout: aversion of each map against c^2 aversion of P, largest "
      "relative difference",
      worst_aversion,
      kFitAversionTolerance));
  result.checks.push_back(check_at_least(
      "weight decay: largest |aversion of the map / (c^2 aversion of P) - 1|",
      largest_decay_move,
      0.05));
  result.tables.push_back(table);
  result.parameters["aversion_keep_prob"] = options.keep_prob;
  result.parameters["aversion_lambda"] = options.lambda;
  result.parameters["aversion_restarts"] = options.restarts;
}

ExperimentResult run_invariance(const ExperimentContext& context) {
  auto generator = context.generator("invariance");
  ExperimentResult result;
  result.parameters = {
      {"tolerance", kExactTolerance},
      {"factors", "log-uniform in [1/4, 4]; input factors with random signs"},
      {"fit", "L-BFGS, strong Wolfe, gradient norm < 1e-7"}};
  ProgressBar progress(
      "invariance", context.quick ? 2 : 3, progress_wanted(context.quiet));
  check_random_networks(context, generator, result);
  progress.advance();
  check_aversions(context, generator, result, progress);
  progress.finish();
  result.notes.push_back(
      "Dropout's aversion does not see the units of the inputs (any "
      "non-zero diagonal A, signs included) and scales as c^2 with the "
      "labels; weight decay's moves with A. The fit for P is carried to "
      "each map by the theorems' map (exact: JD and R times c^2) and "
      "refitted there: dropout's refit stays (allowing for fits that stop "
      "at a ReLU kink with a gradient near 1e-5), weight decay's moves, "
      "since the map changes the weights it penalises.");
  return result;
}

}  // namespace

Experiment invariance_experiment() {
  return {
      "invariance",
      "Input, layer-wise, node-wise and output rescalings leave dropout "
      "unchanged (theorems 4-6, R2-R4); aversions under rescaling.",
      run_invariance};
}

}  // namespace dropout_lab
