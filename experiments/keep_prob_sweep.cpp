// keep-prob-sweep: the dropout penalty is often not monotone in the drop
// probability q.
//
// For the label-dependence witness with label y the penalty is
// 2 / (1 - q)^2 - 2 - 4 q y: monotone for y <= 1, and for y > 1 it falls to
// a minimum at q* = 1 - y^(-1/3) and rises after. The sweep must find
// exactly that turn. Random networks with mixed signs are swept too, and
// the ones that turn are reported with where they turn.

#include "keep_prob_sweep.h"

#include <cmath>

#include <fmt/format.h>

#include "label_witness_network.h"
#include "progress_bar.h"
#include "random_network.h"
#include "registry.h"

namespace dropout_lab {
namespace {

ExperimentResult run_keep_prob_sweep(const ExperimentContext& context) {
  const std::vector<double> witness_labels{0.5, 2.0, 5.0};
  const auto grid = drop_prob_grid(context.quick ? 49 : 99);
  const int64_t n_random = context.quick ? 40 : 300;
  const auto random_grid = drop_prob_grid(context.quick ? 19 : 39);
  auto generator = context.generator("keep-prob-sweep");

  ExperimentResult result;
  result.parameters = {
      {"witness_labels", witness_labels},
      {"grid_points", grid.size()},
      {"random_networks", n_random},
      {"random_grid_points", random_grid.size()},
      {"random_widths", "K in 1..3, d in 2..3, hidden widths 1..3"},
      {"random_values",
       "weights, biases, inputs in [-1, 1], labels in [-3, 3]"}};
  ProgressBar progress(
      "keep-prob-sweep",
      static_cast<int64_t>(witness_labels.size()) + n_random,
      progress_wanted(context.quiet));

  Table sweep_table{
      "witness_sweep", "Penalty of the witness against q", {}, {}};
  sweep_table.columns = {"y", "q", "penalty", "closed_form"};
  Table turns{"turning_points", "Where the penalty turns", {}, {}};
  turns.columns = {
      "network", "y", "turning_q", "penalty", "kind", "expected_q"};
  // Penalties grow like 1 / (1 - q)^2 near q = 1, which would flatten every
  // turn in a plot; plots stop at q = 0.75 (the tables do not).
  constexpr double kPlotMaxDropProb = 0.75;
  constexpr int64_t kPlottedRandomNetworks = 4;
  Plot plot{
      "penalty_vs_q",
      "Dropout penalty of the witness against the drop probability q",
      "q",
      "dropout penalty JD - R",
      false,
      false,
      {}};
  PlotSeries witness_turns{"turning points found", {}, {}, {}, "points"};
  Plot random_plot{
      "random_penalty_vs_q",
      "Random networks whose penalty turns",
      "q",
      "penalty / its max |penalty| on q <= 0.75",
      false,
      false,
      {}};
  PlotSeries random_turns{"turning points found", {}, {}, {}, "points"};

  double closed_form_error = 0.0;
  for (double y : witness_labels) {
    auto net = label_witness_network();
    net->to(context.device);
    auto data =
        point_mass(label_witness_input(), y).to(context.tensor_options());
    const auto sweep = sweep_keep_prob(net, data, grid);

    PlotSeries series{fmt::format("witness, y = {}", y)};
    for (size_t i = 0; i < grid.size(); ++i) {
      const double closed = label_witness_penalty(1.0 - grid[i], y);
      closed_form_error = std::max(
          closed_form_error,
          std::abs(sweep.penalties[i] - closed) /
              std::max(1.0, std::abs(closed)));
      sweep_table.add_row({y, grid[i], sweep.penalties[i], closed});
      if (grid[i] <= kPlotMaxDropProb) {
        series.x.push_back(grid[i]);
        series.y.push_back(sweep.penalties[i]);
      }
    }
    plot.series.push_back(series);

    const auto name = fmt::format("witness y = {}", y);
    if (y > 1.0) {
      const double expected = label_witness_turning_drop_prob(y);
      result.checks.push_back(check_absolute(
          fmt::format("{}: number of turning points", name),
          static_cast<double>(sweep.turning_drop_probs.size()),
          1.0,
          0.0));
      if (!sweep.turning_drop_probs.empty()) {
        result.checks.push_back(check_absolute(
            fmt::format("{}: turning q vs 1 - y^(-1/3)", name),
            sweep.turning_drop_probs.front(),
            expected,
            1e-6));
      }
    } else {
      result.checks.push_back(check_absolute(
          fmt::format("{}: number of turning points (monotone)", name),
          static_cast<double>(sweep.turning_drop_probs.size()),
          0.0,
          0.0));
    }
    for (size_t t = 0; t < sweep.turning_drop_probs.size(); ++t) {
      turns.add_row(
          {std::string("witness"),
           y,
           sweep.turning_drop_probs[t],
           sweep.turning_penalties[t],
           std::string(sweep.turning_is_minimum[t] ? "minimum" : "maximum"),
           y > 1.0 ? Cell(label_witness_turning_drop_prob(y)) : Cell()});
      witness_turns.x.push_back(sweep.turning_drop_probs[t]);
      witness_turns.y.push_back(sweep.turning_penalties[t]);
    }
    progress.advance();
  }
  result.checks.push_back(check_absolute(
      "witness: max relative error, sweep vs closed form",
      closed_form_error,
      0.0,
      1e-12));

  int64_t non_monotone = 0;
  int64_t plotted = 0;
  for (int64_t i = 0; i < n_random; ++i) {
    std::vector<int64_t> widths{uniform_integer(1, 3, generator)};
    const int64_t depth = uniform_integer(2, 3, generator);
    for (int64_t l = 1; l < depth; ++l) {
      widths.push_back(uniform_integer(1, 3, generator));
    }
    widths.push_back(1);
    auto net = random_network(widths, 0.5, -1.0, 1.0, generator);
    net->to(context.device);
    const int64_t n_examples = uniform_integer(1, 3, generator);
    std::vector<std::vector<double>> inputs;
    for (int64_t e = 0; e < n_examples; ++e) {
      inputs.push_back(uniform_values(widths.front(), -1.0, 1.0, generator));
    }
    auto data = make_distribution(
                    inputs,
                    uniform_values(n_examples, -3.0, 3.0, generator),
                    std::vector<double>(n_examples, 1.0),
                    "random")
                    .to(context.tensor_options());
    const auto sweep = sweep_keep_prob(net, data, random_grid);
    progress.advance();
    if (sweep.monotone()) {
      continue;
    }
    ++non_monotone;
    for (size_t t = 0; t < sweep.turning_drop_probs.size(); ++t) {
      turns.add_row(
          {fmt::format("random {}", i),
           Cell(),
           sweep.turning_drop_probs[t],
           sweep.turning_penalties[t],
           std::string(sweep.turning_is_minimum[t] ? "minimum" : "maximum"),
           Cell()});
    }
    // Plot the first few that turn below the plot's limit, each scaled to
    // its largest |penalty| there so that the shapes can be compared.
    if (plotted < kPlottedRandomNetworks &&
        sweep.turning_drop_probs.front() <= kPlotMaxDropProb) {
      double largest = 0.0;
      for (size_t k = 0; k < sweep.drop_probs.size(); ++k) {
        if (sweep.drop_probs[k] <= kPlotMaxDropProb) {
          largest = std::max(largest, std::abs(sweep.penalties[k]));
        }
      }
      PlotSeries series{fmt::format("random network {}", i)};
      for (size_t k = 0; k < sweep.drop_probs.size(); ++k) {
        if (sweep.drop_probs[k] <= kPlotMaxDropProb) {
          series.x.push_back(sweep.drop_probs[k]);
          series.y.push_back(sweep.penalties[k] / largest);
        }
      }
      random_plot.series.push_back(series);
      for (size_t t = 0; t < sweep.turning_drop_probs.size(); ++t) {
        if (sweep.turning_drop_probs[t] <= kPlotMaxDropProb) {
          random_turns.x.push_back(sweep.turning_drop_probs[t]);
          random_turns.y.push_back(sweep.turning_penalties[t] / largest);
        }
      }
      ++plotted;
    }
  }
  progress.finish();

  result.checks.push_back(check_at_least(
      "random networks with a penalty not monotone in q",
      static_cast<double>(non_monotone),
      1.0));

  Table summary{"summary", "Monotonicity of the penalty in q", {}, {}};
  summary.columns = {"networks", "non_monotone", "fraction_non_monotone"};
  summary.add_row(
      {n_random, non_monotone, static_cast<double>(non_monotone) / n_random});
  result.tables.push_back(summary);
  result.tables.push_back(turns);
  result.tables.push_back(sweep_table);
  plot.series.push_back(witness_turns);
  random_plot.series.push_back(random_turns);
  result.plots.push_back(plot);
  result.plots.push_back(random_plot);
  return result;
}

}  // namespace

Experiment keep_prob_sweep_experiment() {
  return {
      "keep-prob-sweep",
      "The dropout penalty is often not monotone in the drop probability "
      "(R11): where it turns, for the witness and random networks.",
      run_keep_prob_sweep};
}

}  // namespace dropout_lab
