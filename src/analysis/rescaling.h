#pragma once

#include <cstdint>
#include <vector>

#include "dropout_net.h"
#include "example_distribution.h"

namespace dropout_lab {

// The rescalings of the paper's theorems 4-6 (spec R2-R4). Each returns a
// new network made with clone_network and leaves its argument untouched.
// Layers are numbered l = 1..d as in DropoutNetImpl::layer, so hidden layers
// are 1..d-1 and layer d is the output unit.

/// Input rescaling (theorem 4): W1 -> W1 A^-1 for A = diag(scale), every
/// entry non-zero. Then W'(A x) = W(x) and D(W', A x, R) = D(W, x, R) for
/// every pattern R, because dropout multiplies each input by the same
/// factor on both sides. Signs may be negative.
DropoutNet rescale_inputs(
    const DropoutNet& net, const std::vector<double>& scale);

/// Layer-wise rescaling (theorem 5) by c_1..c_d (`factors`, one per layer):
/// W_j -> c_j W_j and b_j -> (c_1 ... c_j) b_j. For positive factors every
/// pre-activation of layer j is multiplied by c_1 ... c_j, so
/// D(W', x, R) = (prod c) D(W, x, R). Any non-zero factors are accepted so
/// that a non-invariance (a negative c) can be shown.
DropoutNet rescale_layers(
    const DropoutNet& net, const std::vector<double>& factors);

/// Node-wise rescaling of hidden unit `unit` of hidden layer `layer`
/// (1..d-1): its incoming weights and bias times c, its outgoing weights
/// (column `unit` of layer `layer + 1`) times 1/c. For c > 0,
/// relu(c z) / c = relu(z), so D is unchanged for every pattern.
DropoutNet rescale_unit(
    const DropoutNet& net, int64_t layer, int64_t unit, double c);

/// Output rescaling (theorem 6): the output unit's weights and bias times c,
/// so D(W', x, R) = c D(W, x, R).
DropoutNet rescale_output(const DropoutNet& net, double c);

/// Input shift, a map that is *not* a dropout invariance: for inputs
/// x' = x - shift it sets b1 -> b1 + W1 shift, so the plain output is kept,
/// W'(x') = W(x), but under a pattern that drops input k the term
/// W1[:, k] shift_k is no longer cancelled and D changes.
DropoutNet shift_inputs(
    const DropoutNet& net, const std::vector<double>& shift);

/// The distribution with every label multiplied by c.
ExampleDistribution scale_labels(const ExampleDistribution& data, double c);

/// The distribution with every input moved by -shift (x -> x - shift).
ExampleDistribution shift_input_values(
    const ExampleDistribution& data, const std::vector<double>& shift);

}  // namespace dropout_lab
