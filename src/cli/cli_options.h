#pragma once

#include <cxxopts.hpp>
#include <optional>
#include <string>

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

// Numeric options are declared as strings and converted here, so that a
// bad value is reported with the option's name: "--keep-prob: 'x' is not a
// number". The whole text must be consumed.
double double_option(
    const cxxopts::ParseResult& parsed, const std::string& name);
int64_t integer_option(
    const cxxopts::ParseResult& parsed, const std::string& name);
uint64_t seed_option(const cxxopts::ParseResult& parsed);

/// --keep-prob when given (checked to lie in (0, 1]), else nullopt: the
/// network file's value then stands.
std::optional<double> keep_prob_option(const cxxopts::ParseResult& parsed);

/// Refuses, before any work, a file path given as --`option` that could not
/// be written afterwards: empty, a folder, or in a folder that does not
/// exist.
void require_writable_file(const std::string& path, const std::string& option);

}  // namespace dropout_lab
