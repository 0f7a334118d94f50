#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dropout_lab {

/// Parses a plain decimal number ("-1.5", "2e-3"): digits, sign, point and
/// exponent only, so hexadecimal, "inf" and "nan" are refused, and the whole
/// text must be used. Returns nullopt when it is not such a number or when
/// it overflows a double; values too small for a double become 0 or a
/// subnormal, as in any float64 computation.
std::optional<double> parse_decimal(const std::string& text);

/// Parses a decimal integer that fits an int64.
std::optional<int64_t> parse_integer(const std::string& text);

/// parse_decimal and parse_integer for the value of option --`option`:
/// anything else is an InputError that names the option and quotes `text`.
double option_decimal(const std::string& option, const std::string& text);
int64_t option_integer(const std::string& option, const std::string& text);
/// A comma-separated list of such decimals ("0.5,1,2").
std::vector<double> option_decimals(
    const std::string& option, const std::string& text);

/// `text` cut to at most `max_length` characters, with non-printable bytes
/// shown as '?', for quoting user input in a one-line message.
std::string quote_for_message(const std::string& text, size_t max_length = 40);

}  // namespace dropout_lab
