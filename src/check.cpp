#include "check.h"

#include <cmath>

namespace dropout_lab {
namespace {

Check make(
    std::string name,
    double measured,
    double expected,
    double tolerance,
    std::string rule,
    bool pass) {
  return {
      std::move(name),
      measured,
      expected,
      tolerance,
      std::move(rule),
      pass && std::isfinite(measured)};
}

}  // namespace

Check check_relative(
    std::string name, double measured, double expected, double tolerance) {
  const double scale = expected == 0.0 ? 1.0 : std::abs(expected);
  const bool pass = std::abs(measured - expected) <= tolerance * scale;
  return make(std::move(name), measured, expected, tolerance, "relative", pass);
}

Check check_absolute(
    std::string name, double measured, double expected, double tolerance) {
  const bool pass = std::abs(measured - expected) <= tolerance;
  return make(std::move(name), measured, expected, tolerance, "absolute", pass);
}

Check check_at_least(
    std::string name, double measured, double bound, double slack) {
  return make(
      std::move(name), measured, bound, slack, ">=", measured >= bound - slack);
}

Check check_at_most(
    std::string name, double measured, double bound, double slack) {
  return make(
      std::move(name), measured, bound, slack, "<=", measured <= bound + slack);
}

Check check_within_interval(
    std::string name,
    double estimate,
    double standard_error,
    double expected,
    double z) {
  return check_absolute(
      std::move(name), estimate, expected, z * standard_error);
}

nlohmann::json to_json(const Check& check) {
  auto number = [](double value) -> nlohmann::json {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
  };
  return {
      {"name", check.name},
      {"measured", number(check.measured)},
      {"expected", number(check.expected)},
      {"tolerance", number(check.tolerance)},
      {"rule", check.rule},
      {"pass", check.pass},
  };
}

}  // namespace dropout_lab
