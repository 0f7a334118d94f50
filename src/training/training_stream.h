#pragma once

#include <cstdint>
#include <vector>

namespace dropout_lab {

/// Counter-based random numbers for training one model: every draw is a pure
/// function of (key, step, slot), not of how many draws came before. Trainers
/// that visit models and steps in different orders (one model at a time, or
/// a whole ensemble per step on a GPU) therefore see identical dropout
/// patterns and example orders, which is what lets the batched trainers be
/// checked against the per-model reference to rounding.
///
/// Bits come from the SplitMix64 finaliser applied to the counters; this is
/// statistically sound for simulation, not for cryptography.
class TrainingStream {
 public:
  explicit TrainingStream(uint64_t key);

  uint64_t key() const {
    return key_;
  }

  /// 64 random bits for (step, slot).
  uint64_t bits(uint64_t step, uint64_t slot) const;

  /// The order in which epoch `epoch` visits `n_examples` examples: a
  /// uniformly random permutation (Fisher-Yates), fresh for every epoch.
  /// Step t uses example `order[t % n]` of epoch `t / n`.
  void epoch_order(uint64_t epoch, int64_t n_examples, int64_t* order) const;

  /// The dropout pattern of `step`: `keep[u]` is 1 with probability
  /// `keep_threshold / 2^32` for each of `n_units` units, else 0. Two units
  /// share one 64-bit draw.
  void dropout_pattern(
      uint64_t step,
      int64_t n_units,
      uint64_t keep_threshold,
      double* keep) const;

 private:
  uint64_t key_;
  // The first stage of every draw's hash, which depends on the key alone.
  uint64_t mixed_key_;
};

/// The threshold that keeps a unit when its 32-bit uniform draw u satisfies
/// u < threshold: `round(p * 2^32)`, so a unit is kept with probability p up
/// to 2^-33, and always when p = 1.
uint64_t keep_threshold(double keep_prob);

/// Mixes several integers into one stream key, so that (seed, run, model)
/// triples give unrelated streams.
uint64_t stream_key(uint64_t seed, uint64_t a, uint64_t b = 0);

}  // namespace dropout_lab
