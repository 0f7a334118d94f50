#pragma once

#include <cstdint>
#include <string>

#include <torch/torch.h>

namespace dropout_lab {

/// The largest number of units whose 2^n patterns the enumeration indexes
/// with int64 without overflow.
constexpr int64_t kMaxEnumerableUnits = 62;

/// Default cap on the number of patterns an exact computation enumerates.
constexpr int64_t kDefaultMaxPatterns = int64_t{1} << 22;

/// 2^n_units, the number of dropout patterns of `n_units` bits. Throws
/// InputError naming the count when it exceeds `max_patterns`, so that a
/// network too large to enumerate is refused before any work starts.
int64_t checked_pattern_count(
    int64_t n_units, int64_t max_patterns, const std::string& what);

/// The patterns with indices first, ..., first + count - 1 as a
/// [count, n_units] tensor of 0/1 values: unit j of pattern i is bit j of i.
torch::Tensor enumerate_patterns(
    int64_t first,
    int64_t count,
    int64_t n_units,
    const torch::TensorOptions& options);

/// Pr(R) = p^kept q^dropped for each row of a [P, U] pattern tensor.
torch::Tensor pattern_probabilities(
    const torch::Tensor& patterns, double keep_prob);

/// `count` independent patterns with every bit kept with probability p,
/// drawn on the CPU from `generator` (so a seed gives the same patterns on
/// every device) and returned with `options`.
torch::Tensor sample_patterns(
    int64_t count,
    int64_t n_units,
    double keep_prob,
    at::Generator generator,
    const torch::TensorOptions& options);

/// A CPU generator seeded with `seed`.
at::Generator make_generator(uint64_t seed);

}  // namespace dropout_lab
