#include "cli_options.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

void add_help_option(cxxopts::Options& options) {
  options.add_options()("h,help", "Print this help and exit");
}

double double_option(
    const cxxopts::ParseResult& parsed, const std::string& name) {
  const auto text = parsed[name].as<std::string>();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  require_input(
      !text.empty() && end == text.c_str() + text.size() && errno != ERANGE,
      fmt::format("--{}: '{}' is not a number", name, text));
  return value;
}

int64_t integer_option(
    const cxxopts::ParseResult& parsed, const std::string& name) {
  const auto text = parsed[name].as<std::string>();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  require_input(
      !text.empty() && end == text.c_str() + text.size() && errno != ERANGE,
      fmt::format("--{}: '{}' is not an integer", name, text));
  return value;
}

uint64_t seed_option(const cxxopts::ParseResult& parsed) {
  const auto text = parsed["seed"].as<std::string>();
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  require_input(
      !text.empty() && text[0] != '-' && end == text.c_str() + text.size() &&
          errno != ERANGE,
      fmt::format("--seed: '{}' is not an integer in [0, 2^64 - 1]", text));
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
  const auto& unmatched = result.unmatched();
  require_input(
      unmatched.empty(),
      fmt::format(
          "unexpected argument '{}' (see --help)",
          unmatched.empty() ? "" : unmatched.front()));
  return true;
}

}  // namespace dropout_lab
