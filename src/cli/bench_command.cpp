#include <fmt/format.h>

#include "cli.h"
#include "cli_options.h"
#include "criterion_benchmark.h"
#include "device.h"
#include "errors.h"
#include "figure2_benchmark.h"
#include "number_parsing.h"

namespace dropout_lab {

int bench_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab bench",
      "Measure speed as ratios against a baseline timed in the same run; "
      "medians of repeated timings.");
  options.positional_help("[criterion|figure2]");
  // clang-format off
  options.add_options()
      ("repeats", "Timed repetitions per method (default 5 for criterion, "
       "3 for figure2)", cxxopts::value<std::string>())
      ("quiet", "No progress bar")
      ("quick", "figure2: every step count divided by 100 (a smoke test)")
      ("device", "figure2: where the batched-tensor rows run (cpu or "
       "cuda[:N])", cxxopts::value<std::string>()->default_value("cpu"))
      ("seed", "figure2: seed of the protocol's data and initialisation",
       cxxopts::value<std::string>()->default_value("1"))
      ("what", "Benchmark",
       cxxopts::value<std::string>()->default_value("criterion"));
  // clang-format on
  options.parse_positional({"what"});
  add_help_option(options);
  cxxopts::ParseResult parsed;
  if (!parse_options(options, argc, argv, parsed)) {
    return kExitSuccess;
  }
  const auto what = parsed["what"].as<std::string>();
  require_input(
      what == "criterion" || what == "figure2",
      fmt::format(
          "unknown benchmark {} (available: criterion, figure2)",
          quote_for_message(what)));
  const int64_t repeats = parsed.count("repeats") > 0
                              ? integer_option(parsed, "repeats")
                              : (what == "criterion" ? 5 : 3);
  require_input(repeats >= 1 && repeats <= 1000, [&] {
    return fmt::format("--repeats: must lie in [1, 1000], got {}", repeats);
  });
  const bool quiet = parsed.count("quiet") > 0;

  if (what == "figure2") {
    Figure2BenchmarkOptions bench_options;
    bench_options.repeats = repeats;
    bench_options.quick = parsed.count("quick") > 0;
    bench_options.quiet = quiet;
    bench_options.device = parse_device(parsed["device"].as<std::string>());
    bench_options.seed = seed_option(parsed);
    fmt::print("{}", to_markdown(run_figure2_benchmark(bench_options)));
    return kExitSuccess;
  }

  for (const char* option : {"quick", "device", "seed"}) {
    require_input(parsed.count(option) == 0, [&] {
      return fmt::format("--{} applies to the figure2 benchmark only", option);
    });
  }
  CriterionBenchmarkOptions bench_options;
  bench_options.repeats = repeats;
  bench_options.quiet = quiet;
  fmt::print("{}", to_markdown(run_criterion_benchmark(bench_options)));
  return kExitSuccess;
}

}  // namespace dropout_lab
