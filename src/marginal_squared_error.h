#pragma once

#include <torch/torch.h>

#include "dropout_net.h"

namespace dropout_lab {

/// The squared error averaged over the dropout bits of the layer feeding the
/// output, in closed form. Given the values h reaching that layer, the
/// output is sum_i w_i r_i h_i / p + b with independent r_i ~ Bernoulli(p),
/// whose mean is w.h + b and whose variance is (q/p) sum_i w_i^2 h_i^2, so
///
///   E_r (D - y)^2 = (w.h + b - y)^2 + (q/p) sum_i w_i^2 h_i^2.
///
/// `h` is [P, B, n] (from values_below_output), `y` is [B]; result [P, B].
torch::Tensor marginal_squared_error(
    DropoutNet& net, const torch::Tensor& h, const torch::Tensor& y);

}  // namespace dropout_lab
