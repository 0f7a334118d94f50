#include <fmt/format.h>

#include "cli.h"
#include "cli_options.h"
#include "registry.h"

namespace dropout_lab {

int list_command(int argc, const char* const* argv) {
  cxxopts::Options options("dropout-lab list", "List the experiments.");
  add_help_option(options);
  cxxopts::ParseResult parsed;
  if (!parse_options(options, argc, argv, parsed)) {
    return kExitSuccess;
  }
  for (const auto& experiment : all_experiments()) {
    fmt::print("{:<18} {}\n", experiment.name, experiment.summary);
  }
  return kExitSuccess;
}

}  // namespace dropout_lab
