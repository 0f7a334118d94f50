#include "number_parsing.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>

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

}  // namespace dropout_lab
