#pragma once

#include <string>

#include "example_distribution.h"

namespace dropout_lab {

/// The data file format: CSV with a header `x1,...,xK,y` and an optional
/// last column `mass`. Each further line is one example. Masses default to
/// equal and are normalised to sum to 1. Blank lines and lines starting
/// with '#' are skipped.
///
/// Every problem is an InputError naming the file, the line and the field.
ExampleDistribution read_data_file(const std::string& path);

/// Parses CSV text as read_data_file does; `source` names it in errors.
ExampleDistribution parse_data_csv(
    const std::string& text, const std::string& source);

/// The CSV text of a distribution, with a mass column; numbers are written
/// so that they read back exactly.
std::string data_to_csv(const ExampleDistribution& data);

}  // namespace dropout_lab
