#include "number_parsing.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {
namespace {

bool only_decimal_characters(const std::string& text) {
  for (char c : text) {
    const bool allowed = (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                         c == '.' || c == 'e' || c == 'E';
    if (!allowed) {
      return false;
    }
  }
  return !text.empty();
}

}  // namespace

std::optional<double> parse_decimal(const std::string& text) {
  if (!only_decimal_characters(text)) {
    return std::nullopt;
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) {
    return std::nullopt;
  }
  // strtod reports ERANGE both for overflow (refused) and for underflow,
  // which is an ordinary tiny value.
  if (errno == ERANGE && std::isinf(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> parse_integer(const std::string& text) {
  if (text.empty() ||
      text.find_first_not_of("+-0123456789") != std::string::npos) {
    return std::nullopt;
  }
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size() || errno == ERANGE) {
    return std::nullopt;
  }
  return static_cast<int64_t>(value);
}

std::string quote_for_message(const std::string& text, size_t max_length) {
  std::string shown;
  for (size_t i = 0; i < text.size() && i < max_length; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    shown += (c >= 32 && c < 127) ? static_cast<char>(c) : '?';
  }
  if (text.size() > max_length) {
    shown += "...";
  }
  return "'" + shown + "'";
}

double option_decimal(const std::string& option, const std::string& text) {
  const auto value = parse_decimal(text);
  require_input(value.has_value(), [&] {
    return fmt::format(
        "--{}: {} is not a finite decimal number",
        option,
        quote_for_message(text));
  });
  return *value;
}

int64_t option_integer(const std::string& option, const std::string& text) {
  const auto value = parse_integer(text);
  require_input(value.has_value(), [&] {
    return fmt::format(
        "--{}: {} is not a whole number that fits in 64 bits",
        option,
        quote_for_message(text));
  });
  return *value;
}

std::vector<double> option_decimals(
    const std::string& option, const std::string& text) {
  std::vector<double> values;
  size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    values.push_back(option_decimal(option, text.substr(start, end - start)));
    start = end + 1;
  }
  return values;
}

}  // namespace dropout_lab
