#pragma once

#include <cstdint>

#include "dropout_net.h"

namespace dropout_lab {

/// The standard architecture (K inputs, d layers, n units per hidden layer)
/// with every weight equal to `weight` and every bias 0.
DropoutNet uniform_weight_network(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double weight,
    double keep_prob = 0.5);

/// Number of weights (not biases) of the standard architecture:
/// K for d = 1, otherwise K n + n^2 (d - 2) + n.
int64_t standard_weight_count(int64_t n_inputs, int64_t depth, int64_t width);

}  // namespace dropout_lab
