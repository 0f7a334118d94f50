// label-dependence: unlike dropout in generalised linear models, the
// dropout penalty of a ReLU network depends on the labels.
//
// The witness network (two hidden units, all weights 1, biases 0) at
// x = (1, -2) has W(x) = 0. Writing delta = D - W(x), the penalty is
// E[delta^2] + 2 (W(x) - y) E[delta], linear in y with slope -2 E[delta]
// = -4 q, which is non-zero for every q in (0, 1).

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "exact_dropout_criterion.h"
#include "label_witness_network.h"
#include "output_shift.h"
#include "registry.h"

namespace dropout_lab {
namespace {

ExperimentResult run_label_dependence(const ExperimentContext& context) {
  torch::NoGradGuard no_grad;
  const std::vector<double> drop_probs{0.1, 0.25, 0.5, 0.75, 0.9};
  std::vector<double> labels;
  for (int y = -2; y <= 6; ++y) {
    labels.push_back(y);
  }
  const auto x = label_witness_input();

  ExperimentResult result;
  result.parameters = {
      {"x", x},
      {"drop_probs", drop_probs},
      {"labels", labels},
      {"network", "K = 2, d = 2, n = 2, weights 1, biases 0"}};

  Table table{"penalties", "Penalty of the witness against the label", {}, {}};
  table.columns = {
      "q",
      "y",
      "penalty",
      "E_delta",
      "E_delta_squared",
      "moment_formula",
      "closed_form"};
  Table slopes{"slopes", "Least-squares line of penalty against y", {}, {}};
  slopes.columns = {
      "q",
      "fitted_slope",
      "minus_2_E_delta",
      "fitted_intercept",
      "max_line_residual"};
  Plot plot{
      "penalty_vs_label",
      "Dropout penalty of the witness against y",
      "label y",
      "dropout penalty JD - R",
      false,
      false,
      {}};

  double formula_error = 0.0;
  double closed_form_error = 0.0;
  double slope_error = 0.0;
  double max_residual = 0.0;
  double min_spread = INFINITY;
  for (double q : drop_probs) {
    auto net = label_witness_network(1.0 - q);
    net->to(context.device);
    auto input = torch::tensor(x, context.tensor_options()).unsqueeze(0);
    const double plain = net->forward(input).item<double>();
    const auto moments = output_shift_moments(net, input);
    const double mean = moments.mean.item<double>();
    const double mean_square = moments.mean_square.item<double>();

    PlotSeries series{fmt::format("q = {}", q)};
    std::vector<double> penalties;
    for (double y : labels) {
      auto data = point_mass(x, y).to(context.tensor_options());
      const double penalty = dropout_penalty(net, data).item<double>();
      const double formula = mean_square + 2.0 * (plain - y) * mean;
      const double closed = label_witness_penalty(1.0 - q, y);
      const double scale = std::max(1.0, std::abs(closed));
      formula_error =
          std::max(formula_error, std::abs(penalty - formula) / scale);
      closed_form_error =
          std::max(closed_form_error, std::abs(penalty - closed) / scale);
      penalties.push_back(penalty);
      table.add_row({q, y, penalty, mean, mean_square, formula, closed});
      series.x.push_back(y);
      series.y.push_back(penalty);
    }
    plot.series.push_back(series);

    // Ordinary least squares of penalty on y.
    const double n = static_cast<double>(labels.size());
    double sy = 0, sp = 0, syy = 0, syp = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
      sy += labels[i];
      sp += penalties[i];
      syy += labels[i] * labels[i];
      syp += labels[i] * penalties[i];
    }
    const double slope = (n * syp - sy * sp) / (n * syy - sy * sy);
    const double intercept = (sp - slope * sy) / n;
    double residual = 0.0;
    for (size_t i = 0; i < labels.size(); ++i) {
      residual = std::max(
          residual, std::abs(penalties[i] - intercept - slope * labels[i]));
    }
    slope_error = std::max(
        slope_error, std::abs(slope + 2.0 * mean) / std::abs(2.0 * mean));
    max_residual =
        std::max(max_residual, residual / std::max(1.0, std::abs(intercept)));
    const auto [low, high] =
        std::minmax_element(penalties.begin(), penalties.end());
    min_spread = std::min(min_spread, *high - *low);
    slopes.add_row({q, slope, -2.0 * mean, intercept, residual});
  }

  result.checks.push_back(check_absolute(
      "max relative error, exact penalty vs E[d^2] + 2 (W(x) - y) E[d]",
      formula_error,
      0.0,
      1e-12));
  result.checks.push_back(check_absolute(
      "max relative error, exact penalty vs closed form 2q(1+p)/p^2 - 4qy",
      closed_form_error,
      0.0,
      1e-12));
  result.checks.push_back(check_absolute(
      "max relative error, fitted slope vs -2 E[delta]",
      slope_error,
      0.0,
      1e-10));
  result.checks.push_back(check_absolute(
      "max residual from a straight line in y (relative)",
      max_residual,
      0.0,
      1e-10));
  result.checks.push_back(check_at_least(
      "min over q of the penalty's spread across labels", min_spread, 1e-6));

  result.tables.push_back(slopes);
  result.tables.push_back(table);
  result.plots.push_back(plot);
  return result;
}

}  // namespace

Experiment label_dependence_experiment() {
  return {
      "label-dependence",
      "The dropout penalty depends on the labels (R10): linear in y with "
      "slope -2 E[D - W(x)], non-zero for every q.",
      run_label_dependence};
}

}  // namespace dropout_lab
