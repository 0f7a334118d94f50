// penalty-sign: the dropout penalty can be negative only if some weight,
// bias or input is negative.
//
// A randomised search over small networks, inputs, labels and keep
// probabilities. With everything non-negative the ReLUs act linearly, the
// mean of D over patterns is W(x) and JD >= R: no negative penalty is found
// and E_R D - W(x) vanishes to rounding. Allowing negative values finds
// negative penalties; the most negative one is saved as a network file.

#include <fmt/format.h>

#include "data_csv.h"
#include "network_json.h"
#include "penalty_sign_search.h"
#include "progress_bar.h"
#include "registry.h"

namespace dropout_lab {
namespace {

ExperimentResult run_penalty_sign(const ExperimentContext& context) {
  PenaltySignSearchOptions options;
  options.trials = context.quick ? 300 : 3000;
  options.device = context.device;
  auto generator = context.generator("penalty-sign");

  ExperimentResult result;
  result.parameters = {
      {"trials_per_search", options.trials},
      {"max_inputs", options.max_inputs},
      {"max_depth", options.max_depth},
      {"max_width", options.max_width},
      {"max_examples", options.max_examples},
      {"keep_prob_range", {0.05, 1.0}},
      {"value_range_non_negative", {0.0, 1.0}},
      {"value_range_mixed", {-1.0, 1.0}},
      {"label_range", {-3.0, 3.0}}};

  ProgressBar progress("penalty-sign", 2, progress_wanted(context.quiet));
  options.non_negative = true;
  const auto non_negative = search_penalty_sign(options, generator);
  progress.advance();
  options.non_negative = false;
  const auto mixed = search_penalty_sign(options, generator);
  progress.advance();
  progress.finish();

  result.checks.push_back(check_absolute(
      "non-negative networks: penalties below -1e-12 (JD + R)",
      static_cast<double>(non_negative.negative_count),
      0.0,
      0.0));
  result.checks.push_back(check_at_least(
      "non-negative networks: min penalty / (JD + R)",
      non_negative.min_relative_penalty,
      0.0,
      1e-12));
  result.checks.push_back(check_absolute(
      "non-negative networks: max |E_R D - W(x)| / (1 + |W(x)|)",
      non_negative.max_relative_mean_shift,
      0.0,
      1e-12));
  result.checks.push_back(check_at_least(
      "mixed-sign networks: negative penalties found",
      static_cast<double>(mixed.negative_count),
      1.0));

  Table table{"searches", "Randomised searches for negative penalties", {}, {}};
  table.columns = {
      "search",
      "trials",
      "negative_penalties",
      "fraction_negative",
      "min_penalty",
      "min_penalty_over_JD_plus_R",
      "max_mean_shift"};
  for (const auto* search : {&non_negative, &mixed}) {
    table.add_row(
        {std::string(search == &non_negative ? "non-negative" : "mixed-sign"),
         search->trials,
         search->negative_count,
         static_cast<double>(search->negative_count) / search->trials,
         search->min_penalty,
         search->min_relative_penalty,
         search->max_relative_mean_shift});
  }
  result.tables.push_back(table);

  auto witness = make_distribution(
      mixed.witness_inputs,
      mixed.witness_labels,
      std::vector<double>(mixed.witness_labels.size(), 1.0),
      "witness");
  result.files.emplace_back(
      "witness_network.json", network_to_json(mixed.witness).dump(2) + "\n");
  result.files.emplace_back("witness_data.csv", data_to_csv(witness));
  result.notes.push_back(fmt::format(
      "The most negative penalty found with mixed signs, {:.6g}, is saved as "
      "witness_network.json and witness_data.csv; `dropout-lab criterion "
      "--net witness_network.json --data witness_data.csv` recomputes it.",
      mixed.min_penalty));
  return result;
}

}  // namespace

Experiment penalty_sign_experiment() {
  return {
      "penalty-sign",
      "A negative dropout penalty needs a negative weight, bias or input "
      "(R9): randomised search with and without negatives.",
      run_penalty_sign};
}

}  // namespace dropout_lab
