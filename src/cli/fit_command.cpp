#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "canonical_form.h"
#include "cli.h"
#include "cli_options.h"
#include "data_csv.h"
#include "dropout_pattern.h"
#include "errors.h"
#include "exact_dropout_criterion.h"
#include "fit.h"
#include "network_json.h"
#include "network_parameters.h"
#include "risk.h"
#include "weight_decay.h"

namespace dropout_lab {

int fit_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab fit",
      "Minimises the exact dropout criterion JD or the weight-decay "
      "criterion J2 of a network on data, deterministically with the full "
      "data (L-BFGS, strong-Wolfe line search), from the network given, and "
      "writes the fitted network. Exit 0 when the gradient norm fell below "
      "the tolerance, 1 when it did not (the network is still written).");
  // clang-format off
  options.add_options()
      ("net-init", "Starting network file (JSON)",
       cxxopts::value<std::string>())
      ("data", "Data file (CSV: x1,...,xK,y[,mass])",
       cxxopts::value<std::string>())
      ("criterion", "dropout (exact JD) or l2 (J2, needs --lambda)",
       cxxopts::value<std::string>()->default_value("dropout"))
      ("lambda", "Weight-decay strength for J2", cxxopts::value<std::string>())
      ("keep-prob", "Keep probability p in (0, 1]; default: the network "
       "file's, else 0.5", cxxopts::value<std::string>())
      ("out", "Fitted network file to write", cxxopts::value<std::string>())
      ("gradient-tolerance", "Stop when the gradient norm is below this",
       cxxopts::value<std::string>()->default_value("1e-7"))
      ("max-iterations", "L-BFGS iterations at most",
       cxxopts::value<std::string>()->default_value("5000"))
      ("canonical", "Write the fit's smallest-L2-norm node-wise rescaling "
       "(same JD and R) instead of the fit itself")
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

  require_input(parsed.count("net-init") > 0, "--net-init FILE is required");
  require_input(parsed.count("data") > 0, "--data FILE is required");
  require_input(parsed.count("out") > 0, "--out FILE is required");
  const auto out_path = parsed["out"].as<std::string>();
  require_writable_file(out_path, "out");
  const auto kind = parsed["criterion"].as<std::string>();
  require_input(
      kind == "dropout" || kind == "l2",
      fmt::format("--criterion: expected 'dropout' or 'l2', got '{}'", kind));
  std::optional<double> lambda;
  if (parsed.count("lambda") > 0) {
    lambda = double_option(parsed, "lambda");
    validate_lambda(*lambda, "--lambda");
  }
  require_input(
      kind == "dropout" || lambda.has_value(),
      "--criterion l2 needs --lambda L");
  FitOptions fit_options;
  fit_options.gradient_tolerance = double_option(parsed, "gradient-tolerance");
  require_input(
      fit_options.gradient_tolerance > 0,
      fmt::format(
          "--gradient-tolerance: must be > 0, got {}",
          fit_options.gradient_tolerance));
  fit_options.max_iterations = integer_option(parsed, "max-iterations");
  require_input(
      fit_options.max_iterations >= 1 && fit_options.max_iterations <= 10000000,
      fmt::format(
          "--max-iterations: must lie in [1, 10^7], got {}",
          fit_options.max_iterations));
  ExactCriterionOptions exact_options;
  exact_options.max_patterns = integer_option(parsed, "max-patterns");
  require_input(
      exact_options.max_patterns >= 1,
      fmt::format(
          "--max-patterns: must be >= 1, got {}", exact_options.max_patterns));
  const auto keep_prob = keep_prob_option(parsed);

  const auto net_path = parsed["net-init"].as<std::string>();
  auto net = network_from(read_network_file(net_path, keep_prob), net_path);
  const auto data_path = parsed["data"].as<std::string>();
  const auto data = read_data_file(data_path);
  require_matching_inputs(
      net, data, fmt::format("{} and {}", net_path, data_path));
  exact_pattern_count(net, exact_options.max_patterns);

  auto criterion = [&](DropoutNet& model) {
    return kind == "dropout" ? dropout_criterion(model, data, exact_options)
                             : weight_decay_criterion(model, data, *lambda);
  };
  const auto result = fit_criterion(net, criterion, fit_options);
  if (!std::isfinite(result.criterion)) {
    // Diverged is a result, not bad input: report it and write nothing.
    fmt::print(
        stderr,
        "dropout-lab fit: diverged within {} iterations (criterion {}); "
        "nothing written; rescale the data or start from smaller weights\n",
        result.iterations,
        result.criterion);
    return kExitCheckFailed;
  }
  if (parsed.count("canonical") > 0) {
    net = canonical_form(net).net;
  }

  torch::NoGradGuard no_grad;
  const double fitted_risk = risk(net, data).item<double>();
  const double fitted_dropout =
      dropout_criterion(net, data, exact_options).item<double>();
  const double squared_norm = l2_penalty(net, 2.0).item<double>();
  write_network_file(parameters_of(net), out_path);

  if (parsed.count("json") > 0) {
    const nlohmann::json output = {
        {"criterion", kind},
        {"lambda", lambda ? nlohmann::json(*lambda) : nlohmann::json()},
        {"keep_prob", net->keep_prob()},
        {"value", result.criterion},
        {"gradient_norm", result.gradient_norm},
        {"gradient_tolerance", fit_options.gradient_tolerance},
        {"iterations", result.iterations},
        {"converged", result.converged},
        {"risk", fitted_risk},
        {"dropout_criterion", fitted_dropout},
        {"squared_weight_norm", squared_norm},
        {"canonical", parsed.count("canonical") > 0},
        {"out", out_path}};
    fmt::print("{}\n", output.dump());
  } else {
    fmt::print(
        "fitted {}        {:.17g}\n",
        kind == "dropout" ? "JD" : "J2",
        result.criterion);
    fmt::print(
        "gradient norm    {:.3e}   (tolerance {:g}, {} iterations, {})\n",
        result.gradient_norm,
        fit_options.gradient_tolerance,
        result.iterations,
        result.converged ? "converged" : "NOT converged");
    fmt::print("risk R           {:.17g}\n", fitted_risk);
    fmt::print(
        "dropout JD       {:.17g}   (p = {})\n",
        fitted_dropout,
        net->keep_prob());
    fmt::print("||W||^2          {:.17g}\n", squared_norm);
    fmt::print("written to       {}\n", out_path);
  }
  if (!result.converged) {
    fmt::print(
        stderr,
        "note: the gradient norm {:.3e} stayed above the tolerance {:g}; "
        "the criterion may sit at a ReLU kink\n",
        result.gradient_norm,
        fit_options.gradient_tolerance);
  }
  return result.converged ? kExitSuccess : kExitCheckFailed;
}

}  // namespace dropout_lab
