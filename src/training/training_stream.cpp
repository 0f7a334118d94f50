#include "training_stream.h"

#include <cmath>
#include <utility>

namespace dropout_lab {
namespace {

// The SplitMix64 output function: a bijection on 64 bits whose outputs for
// consecutive inputs pass the usual statistical test batteries.
uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Slots at and above this value belong to epoch orders, below it to
// dropout patterns, so the two never share a draw.
constexpr uint64_t kOrderSlots = uint64_t{1} << 62;

}  // namespace

TrainingStream::TrainingStream(uint64_t key)
    : key_(key), mixed_key_(mix(key)) {}

uint64_t TrainingStream::bits(uint64_t step, uint64_t slot) const {
  return mix(mix(mixed_key_ ^ step) ^ slot);
}

void TrainingStream::epoch_order(
    uint64_t epoch, int64_t n_examples, int64_t* order) const {
  for (int64_t i = 0; i < n_examples; ++i) {
    order[i] = i;
  }

  // Fisher-Yates; the index is a multiply-shift of 32 random bits, whose
  // bias (at most n / 2^32) is far below anything a training run can see.
  const uint64_t epoch_hash = mix(mixed_key_ ^ epoch);
  for (int64_t i = n_examples - 1; i > 0; --i) {
    // bits(epoch, kOrderSlots + i), with the epoch's stage hoisted.
    const uint64_t u =
        mix(epoch_hash ^ (kOrderSlots + static_cast<uint64_t>(i))) >> 32;
    const auto j =
        static_cast<int64_t>((u * static_cast<uint64_t>(i + 1)) >> 32);
    std::swap(order[i], order[j]);
  }
}

void TrainingStream::dropout_pattern(
    uint64_t step,
    int64_t n_units,
    uint64_t keep_threshold,
    double* keep) const {
  const uint64_t step_hash = mix(mixed_key_ ^ step);
  for (int64_t u = 0; u < n_units; u += 2) {
    // bits(step, u / 2), with the step's stage hoisted.
    const uint64_t draw = mix(step_hash ^ static_cast<uint64_t>(u / 2));
    keep[u] = (draw >> 32) < keep_threshold ? 1.0 : 0.0;
    if (u + 1 < n_units) {
      keep[u + 1] = (draw & 0xffffffffULL) < keep_threshold ? 1.0 : 0.0;
    }
  }
}

uint64_t keep_threshold(double keep_prob) {
  return static_cast<uint64_t>(std::llround(std::ldexp(keep_prob, 32)));
}

uint64_t stream_key(uint64_t seed, uint64_t a, uint64_t b) {
  return mix(mix(mix(seed) ^ a) ^ b);
}

}  // namespace dropout_lab
