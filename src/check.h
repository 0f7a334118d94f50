#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dropout_lab {

/// One numerical check: a computed value compared with an independent one
/// (closed form, brute force, another method, a proven bound) under a stated
/// rule. A non-finite measured value always fails.
struct Check {
  std::string name;
  double measured = 0.0;
  double expected = 0.0;
  double tolerance = 0.0;
  /// How measured and expected are compared: "relative" means
  /// |m - e| <= tolerance * |e|, "absolute" |m - e| <= tolerance,
  /// ">=" m >= e - tolerance and "<=" m <= e + tolerance.
  std::string rule;
  bool pass = false;
};

/// |measured - expected| <= tolerance * |expected| (absolute when
/// expected is 0).
Check check_relative(
    std::string name, double measured, double expected, double tolerance);

Check check_absolute(
    std::string name, double measured, double expected, double tolerance);

/// measured >= bound - slack.
Check check_at_least(
    std::string name, double measured, double bound, double slack = 0.0);

/// measured <= bound + slack.
Check check_at_most(
    std::string name, double measured, double bound, double slack = 0.0);

/// A Monte Carlo estimate agrees with an exact value: |estimate - expected|
/// <= z * stderr, the two-sided confidence interval at z standard errors.
Check check_within_interval(
    std::string name,
    double estimate,
    double standard_error,
    double expected,
    double z);

nlohmann::json to_json(const Check& check);

}  // namespace dropout_lab
