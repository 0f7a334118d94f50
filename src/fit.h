#pragma once

#include <cstdint>
#include <functional>

#include <torch/torch.h>

#include "dropout_net.h"

namespace dropout_lab {

struct FitOptions {
  /// Stop once the gradient's Euclidean norm over every parameter is
  /// below this. Near a minimum the criterion changes by about
  /// |gradient|^2 / curvature per step, which drops below float64's
  /// resolution of a criterion near 1 once |gradient| is about 1e-8; a
  /// smaller tolerance is rarely reachable.
  double gradient_tolerance = 1e-7;
  /// L-BFGS iterations in all (each may evaluate the criterion several
  /// times in its line search).
  int64_t max_iterations = 5000;
  /// L-BFGS memory.
  int64_t history_size = 50;
};

struct FitResult {
  double criterion = 0.0;
  double gradient_norm = 0.0;
  int64_t iterations = 0;
  /// The gradient norm fell below the tolerance.
  bool converged = false;
};

/// Minimises `criterion(net)` over the parameters of `net`, deterministically
/// and with the full data (no sampling): L-BFGS with a strong-Wolfe line
/// search, stopped on the gradient norm. The criterion must be a scalar
/// tensor differentiable with autograd, such as the exact dropout criterion
/// or the weight-decay criterion.
///
/// Limitation: L-BFGS assumes a smooth criterion. Where a minimum sits on a
/// ReLU kink (common for the exact dropout criterion, whose patterns put
/// many pre-activations at zero) it stalls with a gradient norm far from
/// zero and `converged` false; a bundle or proximal method for piecewise
/// smooth functions would lift this.
FitResult fit_criterion(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion,
    const FitOptions& options = {});

/// The Euclidean norm of the gradient of `criterion` at the current
/// parameters.
double criterion_gradient_norm(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion);

}  // namespace dropout_lab
