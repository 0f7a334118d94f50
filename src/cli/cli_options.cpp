#include "cli_options.h"

#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

void add_help_option(cxxopts::Options& options) {
  options.add_options()("h,help", "Print this help and exit");
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

} // namespace dropout_lab
