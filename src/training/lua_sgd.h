#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace dropout_lab {

/// The settings of Lua Torch's `optim.sgd` that the paper's simulation used.
struct LuaSgdOptions {
  double learning_rate = 0.01;
  /// Step t (0-based, the number of steps already taken) moves by
  /// `learning_rate / (1 + t * learning_rate_decay)`.
  double learning_rate_decay = 1e-5;
  double momentum = 0.5;
  /// `optim.sgd` defaults the dampening to the momentum.
  double dampening = 0.5;
  /// lambda: `lambda * w` is added to the gradient before momentum.
  double weight_decay = 0.0;
  /// Decay biases too (the original code may have); the paper's criterion
  /// decays weights only.
  bool decay_biases = false;
};

/// Throws InputError naming the field unless every setting is finite and in
/// range (rates and decays >= 0, momentum and dampening in [0, 1]).
void validate_lua_sgd_options(const LuaSgdOptions& options);

/// The step size of step t: `learning_rate / (1 + t * learning_rate_decay)`.
double lua_sgd_step_size(const LuaSgdOptions& options, int64_t step);

/// Stochastic gradient descent exactly as Lua Torch's `optim.sgd` does it,
/// one parameter tensor at a time:
///
///   g = grad + lambda * w          (weights; biases only if decay_biases)
///   v = g                          on the first step,
///   v = momentum * v + (1 - dampening) * g   afterwards,
///   w = w - step_size(t) * v,      t = t + 1.
///
/// With momentum 0 there is no buffer and w moves by the plain gradient.
class LuaSgd {
 public:
  /// `weights` are decayed, `biases` only with `decay_biases`.
  LuaSgd(
      std::vector<torch::Tensor> weights,
      std::vector<torch::Tensor> biases,
      LuaSgdOptions options);

  /// One step from the gradients stored in each parameter's `grad()`.
  void step();

  /// Steps taken so far.
  int64_t steps_taken() const {
    return steps_taken_;
  }

 private:
  struct Slot {
    torch::Tensor parameter;
    torch::Tensor velocity;
    bool decayed;
  };

  std::vector<Slot> slots_;
  LuaSgdOptions options_;
  int64_t steps_taken_ = 0;
};

}  // namespace dropout_lab
