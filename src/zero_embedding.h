#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "example_distribution.h"

namespace dropout_lab {

/// A zero-embedding (spec R7): a distribution on 0/1 vectors in K
/// dimensions with mass 1/2 on (0, 0) and the other 1/2 on examples with
/// exactly two ones, each labelled 1. Example i has ones at inputs
/// `pairs[i].first` and `pairs[i].second` (0-based, distinct, below K) and
/// mass (1/2) masses[i] / sum(masses); equal masses when `masses` is empty.
/// For K = 2 and the one pair (0, 1) this is P(1,1). Throws InputError on
/// a repeated index, an index out of range, a repeated pair or bad masses.
ExampleDistribution zero_embedding(
    int64_t n_inputs,
    const std::vector<std::pair<int64_t, int64_t>>& pairs,
    const std::vector<double>& masses = {});

/// The zero-embedding with every one of the K (K - 1) / 2 two-hot
/// examples, at equal masses.
ExampleDistribution all_pairs_zero_embedding(int64_t n_inputs);

}  // namespace dropout_lab
