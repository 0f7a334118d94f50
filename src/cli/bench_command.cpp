#include <fmt/format.h>

#include "cli.h"
#include "cli_options.h"
#include "criterion_benchmark.h"
#include "errors.h"

namespace dropout_lab {

int bench_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab bench",
      "Measure speed as ratios against a baseline timed in the same run; "
      "medians of repeated timings.");
  options.positional_help("[criterion]");
  // clang-format off
  options.add_options()
      ("repeats", "Timed repetitions per method",
       cxxopts::value<std::string>()->default_value("5"))
      ("quiet", "No progress bar")
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
      what == "criterion",
      fmt::format("unknown benchmark '{}' (available: criterion)", what));
  CriterionBenchmarkOptions bench_options;
  bench_options.repeats = integer_option(parsed, "repeats");
  require_input(
      bench_options.repeats >= 1 && bench_options.repeats <= 1000,
      fmt::format(
          "--repeats: must lie in [1, 1000], got {}", bench_options.repeats));
  bench_options.quiet = parsed.count("quiet") > 0;

  const auto table = run_criterion_benchmark(bench_options);
  fmt::print("{}", to_markdown(table));
  return kExitSuccess;
}

}  // namespace dropout_lab
