#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace dropout_lab {

/// The git revision of the source tree this binary was built from, with
/// "-dirty" when it had uncommitted changes; "unknown" outside a checkout.
const char* git_revision();

/// Versions of dropout-lab, LibTorch, fmt, cxxopts, nlohmann_json and the
/// compiler, as a JSON object.
nlohmann::json version_info();

/// Everything needed to rerun a result: the command line, its parameters,
/// the seed, the versions and git revision, the device and the time.
nlohmann::json provenance(
    const std::string& command_line,
    const nlohmann::json& parameters,
    uint64_t seed,
    const std::string& device);

/// The command line that started this process, set once by main().
void set_command_line(int argc, const char* const* argv);
const std::string& command_line();

}  // namespace dropout_lab
