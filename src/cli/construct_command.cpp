#include <filesystem>

#include <fmt/format.h>

#include "cli.h"
#include "cli_options.h"
#include "data_csv.h"
#include "depth_network.h"
#include "errors.h"
#include "figure1_network.h"
#include "keep_prob.h"
#include "network_json.h"
#include "network_parameters.h"
#include "number_parsing.h"
#include "output_folder.h"
#include "theorem7_network.h"
#include "w_neg_network.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

int64_t required_integer(
    const cxxopts::ParseResult& parsed,
    const std::string& name,
    int64_t low,
    int64_t high) {
  require_input(
      parsed.count(name) > 0,
      fmt::format("--{} is required for this construction", name));
  const auto value = integer_option(parsed, name);
  require_input(
      value >= low && value <= high,
      fmt::format(
          "--{}: must lie in [{}, {}], got {}", name, low, high, value));
  return value;
}

double required_double(
    const cxxopts::ParseResult& parsed, const std::string& name) {
  require_input(
      parsed.count(name) > 0,
      fmt::format("--{} is required for this construction", name));
  return double_option(parsed, name);
}

}  // namespace

int construct_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab construct",
      "Write one of the paper's networks as a network file, and with "
      "--data-out the distribution it is built for.\n\n"
      "  figure1                               the negative-penalty example\n"
      "  depth    --inputs K --depth d --hidden n --label y\n"
      "                                        every weight "
      "(y / (K n^(d-1)))^(1/d)\n"
      "  theorem7 --x a,b,... --lambda L --hidden n\n"
      "                                        the J2 minimiser on P(x,1)\n"
      "  w-neg    --inputs K --depth d --hidden n [--output-bias b]\n"
      "                                        first-one gadgets, output "
      "weight minimising JD on P(1,1)\n");
  options.positional_help("NAME");
  // clang-format off
  options.add_options()
      ("name", "Construction", cxxopts::value<std::string>())
      ("out", "Network file to write", cxxopts::value<std::string>())
      ("data-out", "Data file to write", cxxopts::value<std::string>())
      ("keep-prob", "Keep probability recorded in the file",
       cxxopts::value<std::string>()->default_value("0.5"))
      ("inputs", "K", cxxopts::value<std::string>())
      ("depth", "d, layers counting the output", cxxopts::value<std::string>())
      ("hidden", "n, units per hidden layer", cxxopts::value<std::string>())
      ("label", "y", cxxopts::value<std::string>())
      ("point", "The input x of theorem7, comma-separated (also --x)",
       cxxopts::value<std::string>())
      ("lambda", "Weight-decay strength", cxxopts::value<std::string>())
      ("output-bias", "Output bias of W_neg",
       cxxopts::value<std::string>()->default_value("0"));
  // clang-format on
  options.parse_positional({"name"});
  add_help_option(options);

  // cxxopts takes one-letter names as short options only; accept the
  // paper's --x by renaming it.
  std::vector<std::string> renamed(argv, argv + argc);
  for (auto& argument : renamed) {
    if (argument == "--x") {
      argument = "--point";
    } else if (argument.rfind("--x=", 0) == 0) {
      argument = "--point=" + argument.substr(4);
    }
  }
  std::vector<const char*> arguments;
  for (const auto& argument : renamed) {
    arguments.push_back(argument.c_str());
  }
  cxxopts::ParseResult parsed;
  if (!parse_options(options, argc, arguments.data(), parsed)) {
    return kExitSuccess;
  }
  require_input(
      parsed.count("name") > 0,
      "name a construction: figure1, depth, theorem7 or w-neg");
  require_input(parsed.count("out") > 0, "--out FILE is required");
  // Both files are checked before either is written, so a bad --data-out
  // does not leave a network behind.
  const auto out_path = parsed["out"].as<std::string>();
  require_writable_file(out_path, "out");
  if (parsed.count("data-out") > 0) {
    const auto data_path = parsed["data-out"].as<std::string>();
    require_writable_file(data_path, "data-out");
    std::error_code error;
    require_input(
        std::filesystem::weakly_canonical(out_path, error) !=
            std::filesystem::weakly_canonical(data_path, error),
        "--data-out: the same file as --out");
  }
  const auto name = parsed["name"].as<std::string>();
  const double keep_prob = double_option(parsed, "keep-prob");
  validate_keep_prob(keep_prob, "--keep-prob");
  constexpr int64_t kMaxWidth = 1 << 16;

  DropoutNet net(std::vector<int64_t>{1, 1}, keep_prob);
  ExampleDistribution data;
  if (name == "figure1") {
    net = figure1_network(keep_prob);
    data = figure1_data();
  } else if (name == "depth") {
    const auto k = required_integer(parsed, "inputs", 1, kMaxWidth);
    const auto d = required_integer(parsed, "depth", 1, 64);
    const auto n = required_integer(parsed, "hidden", 1, kMaxWidth);
    const double y = required_double(parsed, "label");
    net = depth_network(k, d, n, y, keep_prob);
    data = point_mass(std::vector<double>(k, 1.0), y);
  } else if (name == "theorem7") {
    require_input(parsed.count("point") > 0, "--x is required for theorem7");
    const auto x = option_decimals("x", parsed["point"].as<std::string>());
    const double lambda = required_double(parsed, "lambda");
    validate_lambda(lambda, "--lambda");
    const auto n = required_integer(parsed, "hidden", 1, kMaxWidth);
    net = theorem7_network(x, lambda, n, keep_prob);
    data = pair_with_zero(x, 1.0);
  } else if (name == "w-neg") {
    const auto k = required_integer(parsed, "inputs", 1, 4096);
    const auto d = required_integer(parsed, "depth", 2, 64);
    const auto n = required_integer(parsed, "hidden", 1, kMaxWidth);
    const double b = double_option(parsed, "output-bias");
    const double c = w_neg_output_weight(k, n, d, keep_prob, b);
    net = w_neg_network(k, n, d, c, b, keep_prob);
    data = ones_pair(k);
  } else {
    throw InputError(fmt::format(
        "unknown construction {} (figure1, depth, theorem7, w-neg)",
        quote_for_message(name)));
  }

  write_network_file(parameters_of(net), out_path);
  if (parsed.count("data-out") > 0) {
    write_file_atomically(
        parsed["data-out"].as<std::string>(), data_to_csv(data));
  }
  return kExitSuccess;
}

}  // namespace dropout_lab
