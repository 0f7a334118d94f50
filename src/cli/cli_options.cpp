#include "cli_options.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "errors.h"
#include "keep_prob.h"
#include "number_parsing.h"

namespace dropout_lab {

void add_help_option(cxxopts::Options& options) {
  options.add_options()("h,help", "Print this help and exit");
}

double double_option(
    const cxxopts::ParseResult& parsed, const std::string& name) {
  return option_decimal(name, parsed[name].as<std::string>());
}

int64_t integer_option(
    const cxxopts::ParseResult& parsed, const std::string& name) {
  return option_integer(name, parsed[name].as<std::string>());
}

uint64_t seed_option(const cxxopts::ParseResult& parsed) {
  const auto text = parsed["seed"].as<std::string>();
  const bool digits = !text.empty() &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  char* end = nullptr;
  errno = 0;
  const unsigned long long value =
      digits ? std::strtoull(text.c_str(), &end, 10) : 0;
  require_input(
      digits && errno != ERANGE,
      fmt::format(
          "--seed: {} is not a whole number in [0, 2^64 - 1]",
          quote_for_message(text)));
  return value;
}

bool parse_options(
    cxxopts::Options& options,
    int argc,
    const char* const* argv,
    cxxopts::ParseResult& result) {
  // cxxopts wants mutable argv; parse a copy.
  std::vector<std::string> storage(argv, argv + argc);
  std::vector<char*> arguments;
  for (auto& argument : storage) {
    arguments.push_back(argument.data());
  }
  try {
    result = options.parse(argc, arguments.data());
  } catch (const std::exception& error) {
    throw InputError(fmt::format("{} (see --help)", error.what()));
  }
  if (result.count("help") > 0) {
    std::fputs(options.help().c_str(), stdout);
    return false;
  }
  // A repeated option would silently keep its last value.
  std::map<std::string, int> seen;
  for (const auto& argument : result.arguments()) {
    require_input(
        ++seen[argument.key()] == 1 || argument.key() == "names",
        fmt::format("--{}: given more than once", argument.key()));
  }
  const auto& unmatched = result.unmatched();
  require_input(
      unmatched.empty(),
      fmt::format(
          "unexpected argument '{}' (see --help)",
          unmatched.empty() ? "" : unmatched.front()));
  return true;
}

std::optional<double> keep_prob_option(const cxxopts::ParseResult& parsed) {
  if (parsed.count("keep-prob") == 0) {
    return std::nullopt;
  }
  const double keep_prob = double_option(parsed, "keep-prob");
  validate_keep_prob(keep_prob, "--keep-prob");
  return keep_prob;
}

void require_writable_file(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  std::error_code error;
  require_input(!path.empty(), fmt::format("--{}: the path is empty", option));
  require_input(
      !fs::is_directory(path, error),
      fmt::format("--{}: {} is a folder", option, path));
  const auto parent = fs::absolute(path, error).parent_path();
  require_input(
      fs::is_directory(parent, error),
      fmt::format("--{}: folder {} does not exist", option, parent.string()));
}

}  // namespace dropout_lab
