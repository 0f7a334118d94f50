#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "dropout_net.h"
#include "example_distribution.h"

namespace dropout_lab::testing {

/// A random network with mixed-sign parameters in [-1, 1]: widths from
/// `widths`, keep probability `keep_prob`.
DropoutNet mixed_sign_network(
    const std::vector<int64_t>& widths,
    double keep_prob,
    at::Generator generator);

/// `n_examples` random examples in [-1, 1]^K with labels in [-2, 2] and
/// random positive masses.
ExampleDistribution random_examples(
    int64_t n_inputs, int64_t n_examples, at::Generator generator);

/// Relative difference |a - b| / max(|b|, 1e-300).
double relative_difference(double a, double b);

}  // namespace dropout_lab::testing
