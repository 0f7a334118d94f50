#pragma once

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
NetworkParameters network_from_json(
    const nlohmann::json& document, const std::string& source);

nlohmann::json network_to_json(const NetworkParameters& parameters);

/// Reads and validates a network file; every problem is an InputError that
/// names the file and the line (syntax) or the field (content).
NetworkParameters read_network_file(const std::string& path);

/// Writes a network file atomically (temporary name, then rename).
void write_network_file(
    const NetworkParameters& parameters, const std::string& path);

}  // namespace dropout_lab
