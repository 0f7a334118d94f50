#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "network_parameters.h"

namespace dropout_lab {

/// The network file format:
///
///   { "keep_prob": 0.5,            (optional, default 0.5)
///     "layers": [                   (from the inputs to the output)
///       { "weight": [[...], ...],   (one row per unit of this layer)
///         "bias": [...] },          (one entry per row)
///       ... ] }
///
/// The last layer has one row, the output unit.
/// A keep_prob_override (the --keep-prob option) replaces the file's
/// keep_prob before validation, so it can stand in for a bad one.
NetworkParameters network_from_json(
    const nlohmann::json& document,
    const std::string& source,
    std::optional<double> keep_prob_override = std::nullopt);

nlohmann::json network_to_json(const NetworkParameters& parameters);

/// Reads and validates a network file; every problem is an InputError that
/// names the file and the line (syntax) or the field (content). A key given
/// twice in one object is refused.
NetworkParameters read_network_file(
    const std::string& path,
    std::optional<double> keep_prob_override = std::nullopt);

/// Writes a network file atomically (temporary name, then rename).
void write_network_file(
    const NetworkParameters& parameters, const std::string& path);

}  // namespace dropout_lab
