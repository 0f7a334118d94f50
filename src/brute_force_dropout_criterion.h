#pragma once

#include <cstdint>
#include <vector>

#include "example_distribution.h"
#include "network_parameters.h"

namespace dropout_lab {

/// D(W, x, R) by plain loops over doubles, sharing no code with the tensor
/// path: `pattern` holds one bit per input and hidden unit, in the order of
/// DropoutNetImpl (inputs, then each hidden layer bottom up).
double plain_dropout_output(
    const NetworkParameters& parameters,
    const std::vector<double>& x,
    const std::vector<bool>& pattern);

/// The dropout criterion by its definition: a loop over every one of the
/// 2^(K + hidden units) patterns, every example, and every unit, with no
/// marginalisation and no batching. The reference that the fast exact
/// criterion is checked against; refuses networks with more than
/// `max_units` droppable units.
double brute_force_dropout_criterion(
    const NetworkParameters& parameters,
    const ExampleDistribution& data,
    int64_t max_units = 24);

}  // namespace dropout_lab
