#include "weight_decay.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "risk.h"

namespace dropout_lab {

void validate_lambda(double lambda, const std::string& field) {
  require_input(
      std::isfinite(lambda) && lambda >= 0.0,
      fmt::format("{}: must be a finite value >= 0, got {}", field, lambda));
}

torch::Tensor l2_penalty(DropoutNet& net, double lambda) {
  validate_lambda(lambda, "lambda");
  auto squared_norm = torch::zeros({}, net->layer(1)->weight.options());
  for (const auto& weight : net->weights()) {
    squared_norm = squared_norm + weight.square().sum();
  }
  return 0.5 * lambda * squared_norm;
}

double squared_weight_norm(const DropoutNet& net) {
  double total = 0.0;
  for (const auto& weight : net->weights()) {
    total += weight.square().sum().item<double>();
  }
  return total;
}

torch::Tensor weight_decay_criterion(
    DropoutNet& net, const ExampleDistribution& data, double lambda) {
  return risk(net, data) + l2_penalty(net, lambda);
}

}  // namespace dropout_lab
