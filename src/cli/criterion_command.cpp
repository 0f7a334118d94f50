#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "cli_options.h"
#include "data_csv.h"
#include "device.h"
#include "errors.h"
#include "exact_dropout_criterion.h"
#include "monte_carlo_dropout_criterion.h"
#include "network_json.h"
#include "risk.h"
#include "weight_decay.h"

namespace dropout_lab {

int criterion_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab criterion",
      "Risk R, dropout criterion JD, dropout penalty JD - R and, with "
      "--lambda, the weight-decay criterion J2 of a network on data.");
  // clang-format off
  options.add_options()
      ("net", "Network file (JSON)", cxxopts::value<std::string>())
      ("data", "Data file (CSV: x1,...,xK,y[,mass])",
       cxxopts::value<std::string>())
      ("keep-prob", "Keep probability p in (0, 1]; default: the network "
       "file's, else 0.5", cxxopts::value<std::string>())
      ("method", "exact or mc",
       cxxopts::value<std::string>()->default_value("exact"))
      ("samples", "Monte Carlo samples",
       cxxopts::value<std::string>()->default_value("100000"))
      ("lambda", "Weight-decay strength for J2", cxxopts::value<std::string>())
      ("seed", "Seed for Monte Carlo",
       cxxopts::value<std::string>()->default_value("1"))
      ("max-patterns", "Largest pattern count the exact method enumerates",
       cxxopts::value<std::string>()->default_value(
           std::to_string(kDefaultMaxPatterns)))
      ("device", "cpu or cuda[:N]",
       cxxopts::value<std::string>()->default_value("cpu"))
      ("json", "Print one JSON object instead of text")
      ("quiet", "No progress bar");
  // clang-format on
  add_help_option(options);
  cxxopts::ParseResult parsed;
  if (!parse_options(options, argc, argv, parsed)) {
    return kExitSuccess;
  }

  require_input(parsed.count("net") > 0, "--net FILE is required");
  require_input(parsed.count("data") > 0, "--data FILE is required");
  const auto method = parsed["method"].as<std::string>();
  require_input(
      method == "exact" || method == "mc",
      fmt::format("--method: expected 'exact' or 'mc', got '{}'", method));
  const auto max_patterns = integer_option(parsed, "max-patterns");
  require_input(
      max_patterns >= 1,
      fmt::format("--max-patterns: must be >= 1, got {}", max_patterns));
  const auto samples = integer_option(parsed, "samples");
  require_input(
      samples >= 2 && samples <= (int64_t{1} << 40),
      fmt::format("--samples: must lie in [2, 2^40], got {}", samples));
  const auto seed = seed_option(parsed);
  const auto device = parse_device(parsed["device"].as<std::string>());

  const auto keep_prob = keep_prob_option(parsed);
  if (method == "exact" && parsed.count("samples") > 0) {
    fmt::print(stderr, "note: --samples is used only by --method mc\n");
  }
  const auto parameters =
      read_network_file(parsed["net"].as<std::string>(), keep_prob);
  auto net = network_from(parameters, parsed["net"].as<std::string>());
  const auto data_path = parsed["data"].as<std::string>();
  auto data = read_data_file(data_path);
  require_matching_inputs(
      net,
      data,
      fmt::format("{} and {}", parsed["net"].as<std::string>(), data_path));
  std::optional<double> lambda;
  if (parsed.count("lambda") > 0) {
    lambda = double_option(parsed, "lambda");
    validate_lambda(*lambda, "--lambda");
  }

  net->to(device);
  data = data.to(torch::TensorOptions().dtype(torch::kFloat64).device(device));
  torch::NoGradGuard no_grad;

  const double plain_risk = risk(net, data).item<double>();
  double criterion = 0.0;
  double standard_error = 0.0;
  int64_t count = 0;
  const bool quiet = parsed.count("quiet") > 0;
  if (method == "exact") {
    count = exact_pattern_count(net, max_patterns);
    ProgressBar progress("exact JD", count, progress_wanted(quiet));
    ExactCriterionOptions exact_options;
    exact_options.max_patterns = max_patterns;
    exact_options.progress = &progress;
    criterion = dropout_criterion(net, data, exact_options).item<double>();
  } else {
    count = samples;
    ProgressBar progress("Monte Carlo JD", count, progress_wanted(quiet));
    MonteCarloOptions mc_options;
    mc_options.samples = samples;
    mc_options.progress = &progress;
    auto estimate = dropout_criterion_monte_carlo(
        net, data, make_generator(seed), mc_options);
    criterion = estimate.mean;
    standard_error = estimate.stderr_;
  }
  std::optional<double> weight_decay;
  if (lambda) {
    weight_decay = weight_decay_criterion(net, data, *lambda).item<double>();
  }

  // Overflow is a property of the input (weights, data or keep probability
  // too extreme for float64), not a result to print.
  require_input(
      std::isfinite(plain_risk) && std::isfinite(criterion) &&
          std::isfinite(standard_error) &&
          (!weight_decay || std::isfinite(*weight_decay)),
      fmt::format(
          "the criteria overflow float64 (risk {}, JD {}); rescale the "
          "weights or data, or use a keep probability further from 0",
          plain_risk,
          criterion));

  if (parsed.count("json") > 0) {
    nlohmann::json output = {
        {"risk", plain_risk},
        {"dropout_criterion", criterion},
        {"dropout_penalty", criterion - plain_risk},
        {"weight_decay_criterion",
         weight_decay ? nlohmann::json(*weight_decay) : nlohmann::json()},
        {"lambda", lambda ? nlohmann::json(*lambda) : nlohmann::json()},
        {"stderr", standard_error},
        {"method", method},
        {"keep_prob", net->keep_prob()},
        {method == "exact" ? "patterns" : "samples", count},
    };
    if (method == "mc") {
      output["seed"] = seed;
    }
    fmt::print("{}\n", output.dump());
    return kExitSuccess;
  }

  fmt::print("risk R                    {:.17g}\n", plain_risk);
  if (method == "exact") {
    fmt::print(
        "dropout criterion JD      {:.17g}   (exact, {} pattern{}, p = {})\n",
        criterion,
        count,
        count == 1 ? "" : "s",
        net->keep_prob());
    fmt::print("dropout penalty JD - R    {:.17g}\n", criterion - plain_risk);
  } else {
    fmt::print(
        "dropout criterion JD      {:.10g} +- {:.3g}   (Monte Carlo, {} "
        "samples, p = {}, seed {}; +- is one standard error)\n",
        criterion,
        standard_error,
        count,
        net->keep_prob(),
        seed);
    fmt::print(
        "dropout penalty JD - R    {:.10g} +- {:.3g}\n",
        criterion - plain_risk,
        standard_error);
  }
  if (weight_decay) {
    fmt::print(
        "weight decay J2           {:.17g}   (lambda = {})\n",
        *weight_decay,
        *lambda);
  }
  return kExitSuccess;
}

}  // namespace dropout_lab
