#pragma once

#include <cstdint>
#include <functional>

#include <torch/torch.h>

#include "dropout_net.h"
#include "example_distribution.h"

namespace dropout_lab {

/// How fit_criterion minimises.
enum class FitMethod {
  /// L-BFGS with a strong-Wolfe line search (the default): fast and precise
  /// on smooth criteria, stalls at ReLU kinks.
  lbfgs,
  /// Adam with a geometrically decaying step size, then (unless a
  /// projection is set or `polish` is false) the L-BFGS method from where
  /// Adam stopped. Adam's steps need no line search and keep moving along
  /// the piecewise-smooth exact dropout criterion, whose minima often sit
  /// on ReLU kinks.
  adam,
};

/// Called after every optimiser step (under a NoGradGuard) to map the
/// parameters back onto a feasible set, such as non-negative weights.
using Projection = std::function<void(DropoutNet&)>;

struct FitOptions {
  FitMethod method = FitMethod::lbfgs;
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
  /// L-BFGS stops when a burst leaves the criterion unchanged; with this
  /// above 0 it first starts afresh, with an empty memory, up to this many
  /// times: a stall at a ReLU kink or on a stale curvature model often
  /// moves on from a steepest-descent step.
  int64_t fresh_starts = 0;

  /// Adam: the most steps, and the step size, which decays geometrically
  /// from `adam_learning_rate` at the first step to
  /// `adam_final_learning_rate` at step `adam_steps`.
  int64_t adam_steps = 3000;
  double adam_learning_rate = 1e-2;
  double adam_final_learning_rate = 1e-5;
  /// Adam stops early once the criterion has fallen by less than this over
  /// the last `adam_patience` steps.
  double adam_change_tolerance = 1e-13;
  int64_t adam_patience = 200;
  /// Run the L-BFGS method after Adam (ignored when a projection is set:
  /// L-BFGS's line search cannot be projected step by step).
  bool polish = true;

  /// Optional; applied to the starting point and after every Adam step,
  /// so that every iterate, and the result, lies in the feasible set. Only
  /// with FitMethod::adam.
  Projection projection;
};

struct FitResult {
  double criterion = 0.0;
  double gradient_norm = 0.0;
  /// L-BFGS iterations budgeted plus Adam steps: L-BFGS runs in bursts of
  /// at most 50 iterations between stopping tests, and a burst that stops
  /// early inside counts in full, so this is an upper bound.
  int64_t iterations = 0;
  /// The gradient norm fell below the tolerance.
  bool converged = false;
};

/// Minimises `criterion(net)` over the parameters of `net`, deterministically
/// and with the full data (no sampling). The criterion must be a scalar
/// tensor differentiable with autograd, such as the exact dropout criterion
/// or the weight-decay criterion.
///
/// FitMethod::lbfgs: bursts of 50 L-BFGS iterations with a strong-Wolfe
/// line search; stops when the gradient norm, measured between bursts, is
/// below `gradient_tolerance`, when a burst leaves the criterion unchanged
/// (after `fresh_starts` fresh starts), or after `max_iterations`.
///
/// FitMethod::adam: Adam (beta = 0.9, 0.999) with step size
///   lr_t = lr_0 (lr_final / lr_0)^(t / adam_steps),
/// projected after every step when a projection is given; stops after
/// `adam_steps` steps, or once the criterion has fallen by less than
/// `adam_change_tolerance` over `adam_patience` steps, or when the gradient
/// norm is below `gradient_tolerance`. Then, without a projection and with
/// `polish`, the L-BFGS method continues from there. The result is the
/// last iterate (with a projection, a feasible one).
///
/// Limitation: both methods assume a smooth criterion near the end. Where a
/// minimum sits on a ReLU kink (common for the exact dropout criterion)
/// L-BFGS stalls with a gradient norm far from zero and Adam only reaches
/// it to within about its final step size, so `converged` stays false; a
/// bundle or proximal method for piecewise smooth functions would lift
/// this.
FitResult fit_criterion(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion,
    const FitOptions& options = {});

/// The Euclidean norm of the gradient of `criterion` at the current
/// parameters.
double criterion_gradient_norm(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion);

struct DropoutSgdOptions {
  /// Steps, one example and one dropout pattern each.
  int64_t steps = 20000;
  /// Step size lr_t = learning_rate / (1 + t / decay_steps) at step t
  /// (counted from 0): a schedule a practitioner would pick.
  double learning_rate = 0.05;
  double decay_steps = 5000.0;
  /// Optional; applied to the start and after every step.
  Projection projection;
};

struct DropoutSgdResult {
  int64_t steps = 0;
  /// A non-finite loss or parameter was met; training stopped there.
  bool diverged = false;
};

/// Ordinary stochastic dropout training, as a practitioner would run it:
/// at each step draw one example (x, y) from `data` by its mass and one
/// dropout pattern R (every input and hidden unit kept with probability p,
/// survivors scaled by 1/p), and take a plain gradient step on
/// (D(W, x, R) - y)^2 with the step size of DropoutSgdOptions; no momentum,
/// no weight decay. The expected step is the gradient of JD, so with a
/// decaying step size it seeks minimisers of JD through the noise. Every
/// draw comes from `generator`.
DropoutSgdResult train_dropout_sgd(
    DropoutNet& net,
    const ExampleDistribution& data,
    const DropoutSgdOptions& options,
    at::Generator generator);

/// The minimiser of a unimodal function on [low, high] by golden-section
/// search, to within `tolerance` in the argument.
///
/// NOTE: it compares function values, so near a minimum f* with curvature
/// f'' it cannot tell points within about sqrt(2 eps |f*| / f'') of the
/// minimiser apart (eps = 2.2e-16); a smaller `tolerance` does not help.
double golden_section_minimum(
    const std::function<double(double)>& function,
    double low,
    double high,
    double tolerance);

/// The projection onto networks whose weights (not biases) are all
/// non-negative: every negative weight becomes 0.
void project_nonnegative_weights(DropoutNet& net);

/// The most negative weight of `net` (biases excluded), or 0 when none is
/// negative.
double most_negative_weight(const DropoutNet& net);

}  // namespace dropout_lab
