#include "provenance.h"

#include <ctime>
#include <cxxopts.hpp>

#include <torch/version.h>

#include <fmt/format.h>

namespace dropout_lab {
namespace {

std::string& stored_command_line() {
  static std::string line;
  return line;
}

std::string quote_if_needed(const std::string& word) {
  if (!word.empty() && word.find_first_of(" \t\"'\\$`") == std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (char c : word) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

}  // namespace

nlohmann::json version_info() {
  return {
      {"dropout_lab", DROPOUT_LAB_VERSION},
      {"libtorch", TORCH_VERSION},
      {"fmt",
       fmt::format(
           "{}.{}.{}",
           FMT_VERSION / 10000,
           FMT_VERSION / 100 % 100,
           FMT_VERSION % 100)},
      {"cxxopts",
       fmt::format(
           "{}.{}.{}",
           CXXOPTS__VERSION_MAJOR,
           CXXOPTS__VERSION_MINOR,
           CXXOPTS__VERSION_PATCH)},
      {"nlohmann_json",
       fmt::format(
           "{}.{}.{}",
           NLOHMANN_JSON_VERSION_MAJOR,
           NLOHMANN_JSON_VERSION_MINOR,
           NLOHMANN_JSON_VERSION_PATCH)},
      {"compiler", __VERSION__},
  };
}

nlohmann::json provenance(
    const std::string& command_line,
    const nlohmann::json& parameters,
    uint64_t seed,
    const std::string& device) {
  return {
      {"command", command_line},
      {"parameters", parameters},
      {"seed", seed},
      {"device", device},
      {"git_revision", git_revision()},
      {"versions", version_info()},
      {"created_utc", utc_now()},
  };
}

void set_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    line += (i > 0 ? " " : "") + quote_if_needed(argv[i]);
  }
  stored_command_line() = line;
}

const std::string& command_line() {
  return stored_command_line();
}

}  // namespace dropout_lab
