#include <algorithm>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "cli_options.h"
#include "data_csv.h"
#include "dropout_pattern.h"
#include "errors.h"
#include "exact_dropout_criterion.h"
#include "invariance_check.h"
#include "network_json.h"
#include "risk.h"

namespace dropout_lab {
namespace {

std::vector<std::string> split_kinds(const std::string& text) {
  std::vector<std::string> kinds;
  std::stringstream stream(text);
  std::string kind;
  while (std::getline(stream, kind, ',')) {
    require_input(!kind.empty(), "--kinds: empty name in the list");
    require_input(
        std::find(rescaling_kinds().begin(), rescaling_kinds().end(), kind) !=
            rescaling_kinds().end(),
        fmt::format(
            "--kinds: unknown kind '{}' (kinds: {})",
            kind,
            fmt::join(rescaling_kinds(), ", ")));
    kinds.push_back(kind);
  }
  require_input(!kinds.empty(), "--kinds: no kind given");
  return kinds;
}

nlohmann::json to_json(const KindResult& kind) {
  return {
      {"kind", kind.kind},
      {"expected_invariant", kind.expected_invariant},
      {"trials", kind.trials},
      {"output_difference", kind.output_difference},
      {"risk_difference", kind.risk_difference},
      {"dropout_criterion_difference", kind.criterion_difference},
      {"dropout_penalty_difference", kind.penalty_difference},
      {"l2_change_min", kind.l2_change_min},
      {"l2_change_max", kind.l2_change_max},
      {"worst_draw", kind.worst_draw},
      {"holds", kind.holds}};
}

}  // namespace

int check_invariance_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab check-invariance",
      "Draws random rescalings of a network (inputs W1 -> W1 A^-1, layers "
      "c_1..c_d, one hidden unit, the output) and reports, per kind, the "
      "largest relative difference of D over patterns and examples and of "
      "R, JD, the dropout penalty, with the change of the L2 penalty. Exit "
      "0 when every kind asked for holds, 1 when one does not.");
  // clang-format off
  options.add_options()
      ("net", "Network file (JSON)", cxxopts::value<std::string>())
      ("data", "Data file (CSV: x1,...,xK,y[,mass])",
       cxxopts::value<std::string>())
      ("keep-prob", "Keep probability p in (0, 1]; default: the network "
       "file's, else 0.5", cxxopts::value<std::string>())
      ("trials", "Random draws per kind",
       cxxopts::value<std::string>()->default_value("5"))
      ("seed", "Seed for the draws",
       cxxopts::value<std::string>()->default_value("1"))
      ("kinds", "Comma-separated kinds: input, layer, unit, output (the "
       "invariances, default), negative-unit, center (not invariances)",
       cxxopts::value<std::string>())
      ("patterns", "Patterns compared one by one: all 2^U when at most this "
       "many, else a fixed sample of this many",
       cxxopts::value<std::string>()->default_value("4096"))
      ("tolerance", "Largest relative difference that counts as equal",
       cxxopts::value<std::string>()->default_value("1e-12"))
      ("max-patterns", "Largest pattern count the exact JD enumerates",
       cxxopts::value<std::string>()->default_value(
           std::to_string(kDefaultMaxPatterns)))
      ("json", "Print one JSON object instead of text");
  // clang-format on
  add_help_option(options);
  cxxopts::ParseResult parsed;
  if (!parse_options(options, argc, argv, parsed)) {
    return kExitSuccess;
  }

  require_input(parsed.count("net") > 0, "--net FILE is required");
  require_input(parsed.count("data") > 0, "--data FILE is required");
  InvarianceOptions check_options;
  check_options.trials = integer_option(parsed, "trials");
  require_input(
      check_options.trials >= 1 && check_options.trials <= 100000,
      fmt::format(
          "--trials: must lie in [1, 100000], got {}", check_options.trials));
  check_options.pattern_limit = integer_option(parsed, "patterns");
  require_input(
      check_options.pattern_limit >= 1 &&
          check_options.pattern_limit <= (int64_t{1} << 20),
      fmt::format(
          "--patterns: must lie in [1, 2^20], got {}",
          check_options.pattern_limit));
  check_options.max_patterns = integer_option(parsed, "max-patterns");
  require_input(
      check_options.max_patterns >= 1,
      fmt::format(
          "--max-patterns: must be >= 1, got {}", check_options.max_patterns));
  check_options.tolerance = double_option(parsed, "tolerance");
  require_input(
      check_options.tolerance >= 0,
      fmt::format(
          "--tolerance: must be >= 0, got {}", check_options.tolerance));
  const auto seed = seed_option(parsed);
  const auto keep_prob = keep_prob_option(parsed);

  const auto net_path = parsed["net"].as<std::string>();
  auto net = network_from(read_network_file(net_path, keep_prob), net_path);
  const auto data_path = parsed["data"].as<std::string>();
  const auto data = read_data_file(data_path);
  require_matching_inputs(
      net, data, fmt::format("{} and {}", net_path, data_path));
  if (parsed.count("kinds") > 0) {
    check_options.kinds = split_kinds(parsed["kinds"].as<std::string>());
  } else if (net->depth() == 1) {
    // A network without hidden units has no unit to rescale.
    check_options.kinds = {"input", "layer", "output"};
  }
  for (const auto& kind : check_options.kinds) {
    require_input(
        net->depth() >= 2 || kind.find("unit") == std::string::npos,
        fmt::format(
            "--kinds: '{}' needs a hidden layer; {} has none", kind, net_path));
  }
  // The exact JD is computed for every draw; refuse before any work.
  exact_pattern_count(net, check_options.max_patterns);

  const auto report =
      check_invariance(net, data, make_generator(seed), check_options);

  if (parsed.count("json") > 0) {
    nlohmann::json kinds = nlohmann::json::array();
    for (const auto& kind : report.kinds) {
      kinds.push_back(to_json(kind));
    }
    const nlohmann::json output = {
        {"keep_prob", report.keep_prob},
        {"patterns", report.patterns},
        {"enumerated", report.enumerated},
        {"tolerance", report.tolerance},
        {"trials", check_options.trials},
        {"seed", seed},
        {"kinds", kinds},
        {"all_hold", report.all_hold()}};
    fmt::print("{}\n", output.dump());
  } else {
    fmt::print(
        "p = {}; D compared on {} pattern{} ({}) x {} examples; {} draws "
        "per kind; tolerance {:g} (relative)\n",
        report.keep_prob,
        report.patterns,
        report.patterns == 1 ? "" : "s",
        report.enumerated ? "all of them" : "a fixed random sample",
        data.size(),
        check_options.trials,
        report.tolerance);
    fmt::print(
        "{:<14} {:>10} {:>10} {:>10} {:>10} {:>24}  {}\n",
        "kind",
        "D",
        "R",
        "JD",
        "JD - R",
        "L2 change (min, max)",
        "verdict");
    for (const auto& kind : report.kinds) {
      fmt::print(
          "{:<14} {:>10.2e} {:>10.2e} {:>10.2e} {:>10.2e} {:>11.3g}, {:>10.3g} "
          " "
          "{}\n",
          kind.kind,
          kind.output_difference,
          kind.risk_difference,
          kind.criterion_difference,
          kind.penalty_difference,
          kind.l2_change_min,
          kind.l2_change_max,
          kind.holds ? "invariant"
                     : fmt::format("NOT invariant (e.g. {})", kind.worst_draw));
    }
  }
  return report.all_hold() ? kExitSuccess : kExitCheckFailed;
}

}  // namespace dropout_lab
