#pragma once

#include <cstdint>
#include <vector>

#include "dropout_net.h"

namespace dropout_lab {

/// A network with the given widths whose weights and biases are drawn
/// independently and uniformly from [low, high] using `generator`.
DropoutNet random_network(
    const std::vector<int64_t>& widths,
    double keep_prob,
    double low,
    double high,
    at::Generator generator);

/// `count` uniform draws from [low, high] as doubles.
std::vector<double> uniform_values(
    int64_t count, double low, double high, at::Generator generator);

/// A uniform integer in [low, high].
int64_t uniform_integer(int64_t low, int64_t high, at::Generator generator);

}  // namespace dropout_lab
