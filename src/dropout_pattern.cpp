#include "dropout_pattern.h"

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

int64_t checked_pattern_count(
    int64_t n_units, int64_t max_patterns, const std::string& what) {
  TORCH_CHECK(n_units >= 0, "negative unit count ", n_units);
  const bool fits =
      n_units <= kMaxEnumerableUnits && (int64_t{1} << n_units) <= max_patterns;
  require_input(
      fits,
      fmt::format(
          "{} needs 2^{} = {:.6g} dropout patterns, more than --max-patterns "
          "{}; raise --max-patterns, or estimate it by Monte Carlo with "
          "`criterion --method mc`",
          what,
          n_units,
          std::ldexp(1.0, static_cast<int>(n_units)),
          max_patterns));
  return int64_t{1} << n_units;
}

torch::Tensor enumerate_patterns(
    int64_t first,
    int64_t count,
    int64_t n_units,
    const torch::TensorOptions& options) {
  auto long_options = torch::TensorOptions().dtype(torch::kInt64);
  auto index = torch::arange(first, first + count, long_options).unsqueeze(1);
  auto bit = torch::arange(n_units, long_options).unsqueeze(0);

  // (i >> j) & 1, written with floor division, which every backend has.
  auto powers = torch::pow(torch::full({1}, 2, long_options), bit);
  auto bits = torch::remainder(torch::div(index, powers, "floor"), 2);
  return bits.to(options);
}

torch::Tensor pattern_probabilities(
    const torch::Tensor& patterns, double keep_prob) {
  const auto n_units = patterns.size(1);
  auto kept = patterns.sum(1);
  if (keep_prob == 1.0) {
    // Only the all-kept pattern has probability; avoid 0 * log(0).
    return (kept == n_units).to(patterns.dtype());
  }
  auto log_prob =
      kept * std::log(keep_prob) + (n_units - kept) * std::log1p(-keep_prob);
  return torch::exp(log_prob);
}

torch::Tensor sample_patterns(
    int64_t count,
    int64_t n_units,
    double keep_prob,
    at::Generator generator,
    const torch::TensorOptions& options) {
  auto keep = torch::full(
      {count, n_units},
      keep_prob,
      torch::TensorOptions().dtype(torch::kFloat64));
  return torch::bernoulli(keep, generator).to(options);
}

at::Generator make_generator(uint64_t seed) {
  return at::detail::createCPUGenerator(seed);
}

}  // namespace dropout_lab
