// depth: the dropout penalty can grow exponentially with depth while the
// L2 penalty grows only polynomially.
//
// For K = n in {2, 3, 4} and d = 1..12 (quick: K = n in {2, 3}, d = 1..6),
// the single example x = (1, ..., 1) with y = 2^d and the network whose
// weights all equal c = (y / (K n^(d-1)))^(1/d): R = 0 and
// JD = y^2 ((1 + q/(pK)) (1 + q/(pn))^(d-1) - 1). JD is exact where the
// pattern count fits under --max-patterns and Monte Carlo beyond; both are
// checked against the closed form, for p = 1/2 and for other p.

#include <cmath>

#include <fmt/format.h>

#include "depth_network.h"
#include "exact_dropout_criterion.h"
#include "monte_carlo_dropout_criterion.h"
#include "registry.h"
#include "risk.h"
#include "uniform_weight_network.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

constexpr double kLambda = 1.0;
constexpr double kIntervalZ = 4.0;

struct DepthRow {
  int64_t width;
  int64_t depth;
  double keep_prob;
  double label;
  double weight;
  double risk;
  double criterion;
  double standard_error;
  std::string method;
  double closed_form;
  double l2_penalty;
  double l2_closed_form;
  double l2_bound;
};

DepthRow evaluate(
    const ExperimentContext& context,
    int64_t width,
    int64_t depth,
    double keep_prob,
    int64_t mc_samples,
    at::Generator generator) {
  const int64_t n_inputs = width;
  const double label = std::ldexp(1.0, static_cast<int>(depth));
  auto net = depth_network(n_inputs, depth, width, label, keep_prob);
  net->to(context.device);
  auto data = point_mass(std::vector<double>(n_inputs, 1.0), label)
                  .to(context.tensor_options());

  DepthRow row{width, depth, keep_prob, label};
  row.weight = depth_network_weight(n_inputs, depth, width, label);
  row.risk = risk(net, data).item<double>();

  const bool fits =
      net->n_enumerated_units() <= kMaxEnumerableUnits &&
      (int64_t{1} << net->n_enumerated_units()) <= context.max_patterns;
  if (fits) {
    ExactCriterionOptions options;
    options.max_patterns = context.max_patterns;
    row.criterion = dropout_criterion(net, data, options).item<double>();
    row.standard_error = 0.0;
    row.method = "exact";
  } else {
    MonteCarloOptions options;
    options.samples = mc_samples;
    auto estimate =
        dropout_criterion_monte_carlo(net, data, generator, options);
    row.criterion = estimate.mean;
    row.standard_error = estimate.stderr_;
    row.method = "mc";
  }
  row.closed_form =
      depth_network_dropout_criterion(n_inputs, depth, width, label, keep_prob);
  row.l2_penalty = l2_penalty(net, kLambda).item<double>();
  row.l2_closed_form =
      depth_network_l2_penalty(n_inputs, depth, width, label, kLambda);
  row.l2_bound = depth_network_l2_bound(n_inputs, depth, width, label, kLambda);
  return row;
}

// Adds to `result` the aggregate checks over `rows`: exact rows equal the
// closed form, Monte Carlo rows cover it, R = 0, L2 matches its closed form
// and bound.
void check_rows(
    const std::vector<DepthRow>& rows,
    const std::string& label,
    ExperimentResult& result) {
  double exact_error = 0.0;
  double worst_z = 0.0;
  double risk_error = 0.0;
  double l2_error = 0.0;
  double l2_excess = -INFINITY;
  int64_t n_exact = 0;
  int64_t n_mc = 0;
  for (const auto& row : rows) {
    if (row.method == "exact") {
      ++n_exact;
      exact_error = std::max(
          exact_error,
          std::abs(row.criterion - row.closed_form) / row.closed_form);
    } else {
      ++n_mc;
      worst_z = std::max(
          worst_z,
          std::abs(row.criterion - row.closed_form) / row.standard_error);
    }
    risk_error = std::max(risk_error, row.risk / (row.label * row.label));
    l2_error = std::max(
        l2_error,
        std::abs(row.l2_penalty - row.l2_closed_form) / row.l2_closed_form);
    l2_excess = std::max(l2_excess, row.l2_penalty - row.l2_bound);
  }
  if (n_exact > 0) {
    result.checks.push_back(check_absolute(
        fmt::format(
            "{}: max relative error, exact JD vs closed form ({} rows)",
            label,
            n_exact),
        exact_error,
        0.0,
        1e-12));
  }
  if (n_mc > 0) {
    result.checks.push_back(check_at_most(
        fmt::format(
            "{}: max |MC - closed form| / stderr ({} rows)", label, n_mc),
        worst_z,
        kIntervalZ));
  }
  result.checks.push_back(check_absolute(
      fmt::format("{}: max R / y^2 (R = 0 by construction)", label),
      risk_error,
      0.0,
      1e-12));
  result.checks.push_back(check_absolute(
      fmt::format("{}: max relative error, L2 penalty vs closed form", label),
      l2_error,
      0.0,
      1e-12));
  result.checks.push_back(check_at_most(
      fmt::format(
          "{}: max L2 penalty - bound (lambda/2) y^(2/d) #weights", label),
      l2_excess,
      0.0,
      1e-9));
}

ExperimentResult run_depth(const ExperimentContext& context) {
  torch::NoGradGuard no_grad;
  const std::vector<int64_t> widths = context.quick
                                          ? std::vector<int64_t>{2, 3}
                                          : std::vector<int64_t>{2, 3, 4};
  const int64_t max_depth = context.quick ? 6 : 12;
  const int64_t mc_samples = context.quick ? 20000 : 200000;
  const std::vector<double> other_keep_probs{0.25, 0.75, 0.9};
  const int64_t other_max_depth = context.quick ? 4 : 8;
  auto generator = context.generator("depth");

  ExperimentResult result;
  result.parameters = {
      {"K_equals_n", widths},
      {"depths", fmt::format("1..{}", max_depth)},
      {"label", "2^d"},
      {"lambda", kLambda},
      {"mc_samples", mc_samples},
      {"interval_z", kIntervalZ},
      {"max_patterns", context.max_patterns},
      {"other_keep_probs", other_keep_probs},
      {"other_keep_prob_depths", fmt::format("1..{}", other_max_depth)}};

  const int64_t total =
      static_cast<int64_t>(widths.size()) * max_depth +
      static_cast<int64_t>(other_keep_probs.size()) * other_max_depth;
  ProgressBar progress("depth", total, progress_wanted(context.quiet));

  std::vector<DepthRow> half_rows;
  for (int64_t width : widths) {
    for (int64_t depth = 1; depth <= max_depth; ++depth) {
      half_rows.push_back(
          evaluate(context, width, depth, 0.5, mc_samples, generator));
      progress.advance();
    }
  }
  std::vector<DepthRow> other_rows;
  for (double keep_prob : other_keep_probs) {
    for (int64_t depth = 1; depth <= other_max_depth; ++depth) {
      other_rows.push_back(
          evaluate(context, 2, depth, keep_prob, mc_samples, generator));
      progress.advance();
    }
  }
  progress.finish();

  check_rows(half_rows, "p = 1/2", result);
  check_rows(other_rows, "p in {0.25, 0.75, 0.9}", result);

  // The theorem's lower bound JD >= y^2 / K at p = 1/2, and the widening gap:
  // the ratio of dropout to L2 penalty must rise with every extra layer.
  double bound_slack = INFINITY;
  int64_t non_increasing = 0;
  for (size_t i = 0; i < half_rows.size(); ++i) {
    const auto& row = half_rows[i];
    bound_slack = std::min(
        bound_slack,
        row.criterion - row.risk - row.label * row.label / row.width -
            kIntervalZ * row.standard_error);
    if (i > 0 && half_rows[i - 1].width == row.width) {
      const auto& previous = half_rows[i - 1];
      if (row.criterion / row.l2_penalty <=
          previous.criterion / previous.l2_penalty) {
        ++non_increasing;
      }
    }
  }
  result.checks.push_back(check_at_least(
      "p = 1/2: min of penalty - y^2/K (minus 4 stderr for MC rows)",
      bound_slack,
      0.0,
      1e-9));
  result.checks.push_back(check_absolute(
      "steps in d where dropout/L2 penalty ratio does not grow",
      static_cast<double>(non_increasing),
      0.0,
      0.0));

  Table table{"depth", "Dropout and L2 penalties of the depth network", {}, {}};
  table.columns = {
      "K",
      "n",
      "d",
      "keep_prob",
      "y",
      "c",
      "risk",
      "JD",
      "stderr",
      "method",
      "JD_closed_form",
      "dropout_penalty",
      "l2_penalty",
      "l2_bound"};
  for (const auto* rows : {&half_rows, &other_rows}) {
    for (const auto& row : *rows) {
      table.add_row(
          {row.width,
           row.width,
           row.depth,
           row.keep_prob,
           row.label,
           row.weight,
           row.risk,
           row.criterion,
           row.standard_error,
           row.method,
           row.closed_form,
           row.criterion - row.risk,
           row.l2_penalty,
           row.l2_bound});
    }
  }
  result.tables.push_back(table);

  Plot plot{
      "penalties",
      "Dropout vs L2 penalty of the depth network (p = 1/2, lambda = 1)",
      "depth d",
      "penalty",
      false,
      true,
      {}};
  for (int64_t width : widths) {
    PlotSeries dropout{fmt::format("dropout, K = n = {}", width)};
    PlotSeries l2{fmt::format("L2, K = n = {}", width)};
    for (const auto& row : half_rows) {
      if (row.width == width) {
        dropout.x.push_back(row.depth);
        dropout.y.push_back(row.criterion - row.risk);
        l2.x.push_back(row.depth);
        l2.y.push_back(row.l2_penalty);
      }
    }
    plot.series.push_back(dropout);
    plot.series.push_back(l2);
  }
  result.plots.push_back(plot);

  result.notes.push_back(
      "With y = 2^d the dropout penalty grows like y^2 (1 + 1/n)^(d-1), "
      "exponentially in d, while the L2 penalty is at most "
      "(lambda/2) y^(2/d) (K n + n^2 (d-2) + n), quadratic in d. For general "
      "p the closed form is JD = y^2 ((1 + q/(pK)) (1 + q/(pn))^(d-1) - 1).");
  return result;
}

}  // namespace

Experiment depth_experiment() {
  return {
      "depth",
      "The dropout penalty grows exponentially with depth, the L2 penalty "
      "polynomially (R8), for p = 1/2 and general p.",
      run_depth};
}

}  // namespace dropout_lab
