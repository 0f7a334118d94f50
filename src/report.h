#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "experiment.h"

namespace dropout_lab {

/// Writes one experiment's output into `folder`: result.json (parameters,
/// checks, provenance, pass/fail), one CSV per table, each plot's data,
/// gnuplot script and PNG, and report.md. Returns the Markdown section, with
/// links relative to `link_prefix` (the folder as seen from the reader).
std::string write_experiment_output(
    const Experiment& experiment,
    const ExperimentResult& result,
    const nlohmann::json& provenance,
    const std::filesystem::path& folder,
    const std::string& link_prefix);

/// One line per check, for the terminal: "PASS name: measured vs expected".
std::string check_summary_lines(const ExperimentResult& result);

}  // namespace dropout_lab
