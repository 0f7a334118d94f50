#pragma once

#include <string>

#include <cxxopts.hpp>

namespace dropout_lab {

/// Parses `argv` with `options`; unknown options, stray positional
/// arguments and unparsable values become InputError. Prints the help text
/// and returns false when --help was given.
bool parse_options(
    cxxopts::Options& options,
    int argc,
    const char* const* argv,
    cxxopts::ParseResult& result);

/// Adds --help to `options`.
void add_help_option(cxxopts::Options& options);

} // namespace dropout_lab
