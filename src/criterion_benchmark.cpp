#include "criterion_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "brute_force_dropout_criterion.h"
#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "network_parameters.h"
#include "progress_bar.h"
#include "random_network.h"

namespace dropout_lab {
namespace {

struct Method {
  std::string name;
  int64_t patterns;
  std::function<double()> run;
};

struct BenchmarkCase {
  std::string name;
  std::vector<int64_t> widths;
  int64_t n_examples;
};

double median_seconds(
    const std::function<double()>& work,
    int64_t repeats,
    double& value,
    ProgressBar& progress) {
  std::vector<double> seconds;
  for (int64_t i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    value = work();
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    progress.advance();
  }
  std::sort(seconds.begin(), seconds.end());
  const auto middle = seconds.size() / 2;
  return seconds.size() % 2 == 1
             ? seconds[middle]
             : 0.5 * (seconds[middle - 1] + seconds[middle]);
}

}  // namespace

Table run_criterion_benchmark(const CriterionBenchmarkOptions& options) {
  torch::NoGradGuard no_grad;
  const std::vector<BenchmarkCase> cases{
      {"depth 2 (K=10, n=8)", {10, 8, 1}, 32},
      {"depth 3 (K=6, n=5)", {6, 5, 5, 1}, 32},
  };
  auto generator = make_generator(12345);

  Table table{"bench_criterion", "Exact dropout criterion speed", {}, {}};
  table.columns = {
      "network",
      "method",
      "patterns",
      "examples",
      "median_seconds",
      "pattern_examples_per_second",
      "speedup_vs_brute_force",
      "relative_difference"};
  ProgressBar progress(
      "bench",
      3 * options.repeats * static_cast<int64_t>(cases.size()),
      progress_wanted(options.quiet));
  for (const auto& bench : cases) {
    auto net = random_network(bench.widths, 0.5, -1.0, 1.0, generator);
    std::vector<std::vector<double>> inputs;
    for (int64_t i = 0; i < bench.n_examples; ++i) {
      inputs.push_back(
          uniform_values(bench.widths.front(), -1.0, 1.0, generator));
    }
    auto data = make_distribution(
        inputs,
        uniform_values(bench.n_examples, -2.0, 2.0, generator),
        std::vector<double>(bench.n_examples, 1.0),
        "bench");
    const auto parameters = parameters_of(net);

    ExactCriterionOptions every_pattern;
    every_pattern.marginalise_last_layer = false;
    const auto marginalised_patterns = int64_t{1} << net->n_enumerated_units();
    const auto all_patterns = int64_t{1} << net->n_droppable_units();
    // The brute-force loop comes first: it is the baseline of the ratios.
    const std::vector<Method> methods{
        {"brute-force loop",
         all_patterns,
         [&] {
           return brute_force_dropout_criterion(parameters, data);
         }},
        {"exact (batched, every pattern)",
         all_patterns,
         [&] {
           return dropout_criterion(net, data, every_pattern).item<double>();
         }},
        {"exact (batched, marginalised)",
         marginalised_patterns,
         [&] {
           return dropout_criterion(net, data).item<double>();
         }},
    };

    double baseline_seconds = 0.0;
    double baseline_value = 0.0;
    for (const auto& method : methods) {
      double value = 0.0;
      const double seconds =
          median_seconds(method.run, options.repeats, value, progress);
      if (baseline_seconds == 0.0) {
        baseline_seconds = seconds;
        baseline_value = value;
      }
      table.add_row(
          {bench.name,
           method.name,
           method.patterns,
           bench.n_examples,
           seconds,
           method.patterns * bench.n_examples / seconds,
           baseline_seconds / seconds,
           std::abs(value - baseline_value) / std::abs(baseline_value)});
    }
  }
  return table;
}

}  // namespace dropout_lab
