#pragma once

#include <stdexcept>
#include <string>
#include <utility>

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

/// As above, but builds the message only on failure: for checks inside
/// loops over every number of a file, where formatting each time would
/// cost more than the check. `make_message` returns a std::string.
template <
    typename MakeMessage,
    typename = decltype(std::string(std::declval<MakeMessage>()()))>
void require_input(bool condition, MakeMessage&& make_message) {
  if (!condition) {
    throw InputError(make_message());
  }
}

}  // namespace dropout_lab
