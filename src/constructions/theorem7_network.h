#pragma once

#include <cstdint>
#include <vector>

#include "dropout_net.h"

namespace dropout_lab {

/// The minimiser of the weight-decay criterion J2 on P(x,1) (mass 1/2 on
/// (x, 1) and 1/2 on (0, 0)) for a depth-2 network with n hidden units.
///
/// With s = sqrt(x.x) and A = max(0, 1 - 2 lambda / s), one hidden unit
/// carries the signal: incoming weights sqrt(A/s) x / s, outgoing weight
/// sqrt(A/s) (balanced, which minimises the squared norm for their product
/// A/s); every other unit is zero, the output bias is (1 - A)/2, and so the
/// output is (1 + A)/2 on x and (1 - A)/2 on 0, with total squared weight
/// 2A/s. For 2 lambda >= s every weight is zero and the output bias 1/2.
///
/// Why: after the best output bias, J2 = (1 - u)^2 / 4 + lambda u / s as a
/// function of the output increment u on x, minimised at u = A.
DropoutNet theorem7_network(
    const std::vector<double>& x,
    double lambda,
    int64_t n_hidden,
    double keep_prob = 0.5);

/// A = max(0, 1 - 2 lambda / s), the increment of the optimal output on x.
double theorem7_activation(const std::vector<double>& x, double lambda);

/// The weight-decay aversion of P(x,1): the risk of the J2 minimiser,
/// min(1/4, lambda^2 / (x.x)), since the best risk is 0.
double weight_decay_aversion(const std::vector<double>& x, double lambda);

/// The minimum of J2 on P(x,1): (1 - A)^2 / 4 + lambda A / s.
double theorem7_weight_decay_criterion(
    const std::vector<double>& x, double lambda);

}  // namespace dropout_lab
