#pragma once

#include <stdexcept>
#include <string>

namespace dropout_lab {

/// Bad input from the user: a malformed or inconsistent file, a value out of
/// range, a size that would not fit. The command line reports the message on
/// one line and exits with status 2, leaving no partial output behind.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message)
      : std::runtime_error(message) {}
};

/// Throws InputError with `message` unless `condition` holds.
inline void require_input(bool condition, const std::string& message) {
  if (!condition) {
    throw InputError(message);
  }
}

}  // namespace dropout_lab
