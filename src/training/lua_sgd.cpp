#include "lua_sgd.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

void validate_lua_sgd_options(const LuaSgdOptions& options) {
  auto require_non_negative = [](double value, const char* name) {
    require_input(std::isfinite(value) && value >= 0.0, [&] {
      return fmt::format("{}: must be finite and >= 0, got {}", name, value);
    });
  };
  auto require_unit_interval = [](double value, const char* name) {
    require_input(value >= 0.0 && value <= 1.0, [&] {
      return fmt::format("{}: must lie in [0, 1], got {}", name, value);
    });
  };
  require_non_negative(options.learning_rate, "learning rate");
  require_non_negative(options.learning_rate_decay, "learning rate decay");
  require_non_negative(options.weight_decay, "lambda");
  require_unit_interval(options.momentum, "momentum");
  require_unit_interval(options.dampening, "dampening");
}

double lua_sgd_step_size(const LuaSgdOptions& options, int64_t step) {
  return options.learning_rate /
         (1.0 + static_cast<double>(step) * options.learning_rate_decay);
}

LuaSgd::LuaSgd(
    std::vector<torch::Tensor> weights,
    std::vector<torch::Tensor> biases,
    LuaSgdOptions options)
    : options_(options) {
  validate_lua_sgd_options(options_);
  for (auto& weight : weights) {
    slots_.push_back({weight, torch::Tensor(), true});
  }
  for (auto& bias : biases) {
    slots_.push_back({bias, torch::Tensor(), options_.decay_biases});
  }
}

void LuaSgd::step() {
  torch::NoGradGuard no_grad;
  const double step_size = lua_sgd_step_size(options_, steps_taken_);

  for (auto& slot : slots_) {
    TORCH_CHECK(
        slot.parameter.grad().defined(),
        "LuaSgd::step: a parameter has no gradient");
    auto gradient = slot.parameter.grad().clone();
    if (slot.decayed && options_.weight_decay != 0.0) {
      gradient.add_(slot.parameter, options_.weight_decay);
    }

    if (options_.momentum != 0.0) {
      if (!slot.velocity.defined()) {
        slot.velocity = gradient.clone();
      } else {
        slot.velocity.mul_(options_.momentum)
            .add_(gradient, 1.0 - options_.dampening);
      }
      gradient = slot.velocity;
    }

    slot.parameter.add_(gradient, -step_size);
  }

  ++steps_taken_;
}

}  // namespace dropout_lab
