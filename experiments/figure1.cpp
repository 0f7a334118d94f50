// figure1: the dropout penalty can be negative.
//
// K = 2 inputs, one hidden layer of two ReLUs, every weight 1, every bias 0,
// one example x = (1, -1) with y = 8, p = 1/2. Expected: R = 64, JD = 54,
// penalty -10, with the exact criterion equal to a brute-force enumeration
// of all 16 patterns.

#include <fmt/format.h>

#include "brute_force_dropout_criterion.h"
#include "data_csv.h"
#include "exact_dropout_criterion.h"
#include "figure1_network.h"
#include "monte_carlo_dropout_criterion.h"
#include "network_json.h"
#include "network_parameters.h"
#include "registry.h"
#include "risk.h"

namespace dropout_lab {
namespace {

// The values the paper reports for this network.
constexpr double kPaperRisk = 64.0;
constexpr double kPaperCriterion = 54.0;
constexpr double kPaperPenalty = -10.0;

Table pattern_table(DropoutNet& net, const ExampleDistribution& data) {
  const int64_t n_units = net->n_droppable_units();
  auto patterns =
      enumerate_patterns(0, int64_t{1} << n_units, n_units, data.x.options());
  auto outputs = net->forward_with_patterns(data.x, patterns).squeeze(1);
  auto probability = pattern_probabilities(patterns, net->keep_prob());
  const double y = data.y[0].item<double>();

  Table table{"patterns", "Every dropout pattern of the example", {}, {}};
  table.columns = {
      "r_x1", "r_x2", "r_h1", "r_h2", "probability", "D", "squared_error"};
  for (int64_t i = 0; i < patterns.size(0); ++i) {
    std::vector<Cell> row;
    for (int64_t j = 0; j < n_units; ++j) {
      row.emplace_back(static_cast<int64_t>(patterns[i][j].item<double>()));
    }
    const double d = outputs[i].item<double>();
    row.emplace_back(probability[i].item<double>());
    row.emplace_back(d);
    row.emplace_back((d - y) * (d - y));
    table.add_row(std::move(row));
  }
  return table;
}

ExperimentResult run_figure1(const ExperimentContext& context) {
  torch::NoGradGuard no_grad;
  auto net = figure1_network(0.5);
  net->to(context.device);
  auto data = figure1_data().to(context.tensor_options());

  ExperimentResult result;
  result.parameters = {
      {"K", 2},
      {"d", 2},
      {"n", 2},
      {"x", {1, -1}},
      {"y", 8},
      {"keep_prob", 0.5},
      {"mc_samples", context.quick ? 20000 : 200000}};

  const double plain_risk = risk(net, data).item<double>();
  const double criterion = dropout_criterion(net, data).item<double>();
  const double penalty = criterion - plain_risk;
  const double brute_force =
      brute_force_dropout_criterion(parameters_of(net), data);

  MonteCarloOptions mc_options;
  mc_options.samples = context.quick ? 20000 : 200000;
  auto estimate = dropout_criterion_monte_carlo(
      net, data, context.generator("figure1"), mc_options);

  result.checks.push_back(check_relative(
      "JD exact = brute force (16 patterns)", criterion, brute_force, 1e-12));
  result.checks.push_back(
      check_relative("R = paper's 64", plain_risk, kPaperRisk, 1e-12));
  result.checks.push_back(
      check_relative("JD = paper's 54", criterion, kPaperCriterion, 1e-12));
  result.checks.push_back(check_relative(
      "penalty JD - R = paper's -10", penalty, kPaperPenalty, 1e-12));
  result.checks.push_back(check_within_interval(
      "JD Monte Carlo within 4 standard errors of exact",
      estimate.mean,
      estimate.stderr_,
      criterion,
      4.0));

  Table summary{"summary", "Criteria of the network", {}, {}};
  summary.columns = {"quantity", "value", "stderr"};
  summary.add_row({std::string("risk R"), plain_risk, 0.0});
  summary.add_row({std::string("JD exact"), criterion, 0.0});
  summary.add_row({std::string("JD brute force"), brute_force, 0.0});
  summary.add_row(
      {std::string("JD Monte Carlo"), estimate.mean, estimate.stderr_});
  summary.add_row({std::string("penalty JD - R"), penalty, 0.0});
  result.tables.push_back(summary);
  result.tables.push_back(pattern_table(net, data));

  result.notes.push_back(fmt::format(
      "The plain output is 0, so R = {}; under dropout the pattern that keeps "
      "x1 and drops x2 lets the hidden units fire and moves the output "
      "towards y = 8, so JD = {} and the penalty is {}.",
      plain_risk,
      criterion,
      penalty));
  result.files.emplace_back(
      "network.json", network_to_json(parameters_of(net)).dump(2) + "\n");
  result.files.emplace_back("data.csv", data_to_csv(data));
  return result;
}

}  // namespace

Experiment figure1_experiment() {
  return {
      "figure1",
      "A negative dropout penalty: JD = 54 < R = 64 on one example (R1).",
      run_figure1};
}

}  // namespace dropout_lab
