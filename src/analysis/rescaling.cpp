#include "rescaling.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {
namespace {

// Throws InputError unless `values` has `expected` entries, all finite and
// non-zero (a zero factor is not invertible).
void require_nonzero_factors(
    const std::vector<double>& values,
    int64_t expected,
    const std::string& what) {
  require_input(
      static_cast<int64_t>(values.size()) == expected,
      fmt::format(
          "{}: expected {} factors, got {}", what, expected, values.size()));
  for (size_t i = 0; i < values.size(); ++i) {
    require_input(
        std::isfinite(values[i]) && values[i] != 0.0,
        fmt::format(
            "{}: factor {} must be finite and non-zero, got {}",
            what,
            i + 1,
            values[i]));
  }
}

torch::Tensor as_tensor(
    const std::vector<double>& values, const torch::Tensor& like) {
  return torch::tensor(values, like.options());
}

}  // namespace

DropoutNet rescale_inputs(
    const DropoutNet& net, const std::vector<double>& scale) {
  require_nonzero_factors(scale, net->input_dim(), "input rescaling");
  auto result = clone_network(net);
  torch::NoGradGuard no_grad;

  // Column k of W1 multiplies input k, so W1 A^-1 divides column k by a_k.
  auto& weight = result->layer(1)->weight;
  weight.div_(as_tensor(scale, weight).unsqueeze(0));
  return result;
}

DropoutNet rescale_layers(
    const DropoutNet& net, const std::vector<double>& factors) {
  require_nonzero_factors(factors, net->depth(), "layer rescaling");
  auto result = clone_network(net);
  torch::NoGradGuard no_grad;

  double product = 1.0;
  for (int64_t l = 1; l <= net->depth(); ++l) {
    product *= factors[l - 1];
    result->layer(l)->weight.mul_(factors[l - 1]);
    result->layer(l)->bias.mul_(product);
  }
  return result;
}

DropoutNet rescale_unit(
    const DropoutNet& net, int64_t layer, int64_t unit, double c) {
  require_input(
      layer >= 1 && layer < net->depth(),
      fmt::format(
          "unit rescaling: hidden layer must be in 1..{}, got {}",
          net->depth() - 1,
          layer));
  require_input(
      unit >= 0 && unit < net->widths()[layer],
      fmt::format(
          "unit rescaling: unit must be in 0..{}, got {}",
          net->widths()[layer] - 1,
          unit));
  require_nonzero_factors({c}, 1, "unit rescaling");
  auto result = clone_network(net);
  torch::NoGradGuard no_grad;

  result->layer(layer)->weight[unit].mul_(c);
  result->layer(layer)->bias[unit].mul_(c);
  result->layer(layer + 1)->weight.select(1, unit).div_(c);
  return result;
}

DropoutNet rescale_output(const DropoutNet& net, double c) {
  require_nonzero_factors({c}, 1, "output rescaling");
  auto result = clone_network(net);
  torch::NoGradGuard no_grad;

  result->layer(net->depth())->weight.mul_(c);
  result->layer(net->depth())->bias.mul_(c);
  return result;
}

DropoutNet shift_inputs(
    const DropoutNet& net, const std::vector<double>& shift) {
  require_input(
      static_cast<int64_t>(shift.size()) == net->input_dim(),
      fmt::format(
          "input shift: expected {} entries, got {}",
          net->input_dim(),
          shift.size()));
  auto result = clone_network(net);
  torch::NoGradGuard no_grad;

  // W1 (x - s) + b1 + W1 s = W1 x + b1 for the plain output.
  auto& first = result->layer(1);
  first->bias.add_(torch::mv(first->weight, as_tensor(shift, first->weight)));
  return result;
}

ExampleDistribution scale_labels(const ExampleDistribution& data, double c) {
  return {data.x.clone(), data.y * c, data.mass.clone()};
}

ExampleDistribution shift_input_values(
    const ExampleDistribution& data, const std::vector<double>& shift) {
  require_input(
      static_cast<int64_t>(shift.size()) == data.input_dim(),
      fmt::format(
          "input shift has {} entries for {} inputs",
          shift.size(),
          data.input_dim()));
  return {
      data.x - as_tensor(shift, data.x).unsqueeze(0),
      data.y.clone(),
      data.mass.clone()};
}

}  // namespace dropout_lab
