#include "hessian.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace dropout_lab {
namespace {

// Offset of layer l's weight (and then bias) in theta.
int64_t layer_offset(DropoutNet& net, int64_t layer) {
  int64_t offset = 0;
  for (int64_t l = 1; l < layer; ++l) {
    offset += net->layer(l)->weight.numel() + net->layer(l)->bias.numel();
  }
  return offset;
}

int64_t parameter_count(DropoutNet& net) {
  return layer_offset(net, net->depth() + 1);
}

// Gradients of `value` with respect to every parameter, flattened; an
// unused parameter contributes zeros.
torch::Tensor flat_gradient(
    DropoutNet& net, const torch::Tensor& value, bool create_graph) {
  const auto parameters = net->parameters();
  const auto grads = torch::autograd::grad(
      {value}, parameters, {}, /*retain_graph=*/true, create_graph, true);
  std::vector<torch::Tensor> pieces;
  for (size_t i = 0; i < parameters.size(); ++i) {
    pieces.push_back(
        grads[i].defined() ? grads[i].reshape(-1)
                           : torch::zeros_like(parameters[i]).reshape(-1));
  }
  return torch::cat(pieces);
}

OrbitDirection measure_direction(
    std::string name,
    const torch::Tensor& hessian,
    const torch::Tensor& tangent,
    const torch::Tensor& mask,
    const torch::Tensor& gradient) {
  OrbitDirection direction;
  direction.name = std::move(name);
  direction.tangent_norm = tangent.norm().item<double>();
  const auto product = torch::mv(hessian, tangent);
  direction.null_residual =
      product.norm().item<double>() / direction.tangent_norm;
  direction.curvature = torch::dot(tangent, product).item<double>() /
                        torch::dot(tangent, tangent).item<double>();
  direction.gradient_bound =
      (mask * gradient).norm().item<double>() / direction.tangent_norm;
  return direction;
}

}  // namespace

torch::Tensor flat_parameters(const DropoutNet& net) {
  std::vector<torch::Tensor> pieces;
  for (const auto& parameter : net->parameters()) {
    pieces.push_back(parameter.detach().reshape(-1).to(torch::kFloat64));
  }
  return torch::cat(pieces);
}

torch::Tensor criterion_gradient(
    DropoutNet& net, const NetworkCriterion& criterion) {
  torch::AutoGradMode enable(true);
  return flat_gradient(net, criterion(net), false).detach();
}

torch::Tensor criterion_hessian(
    DropoutNet& net, const NetworkCriterion& criterion) {
  torch::AutoGradMode enable(true);
  const auto gradient = flat_gradient(net, criterion(net), true);
  const int64_t n = gradient.numel();

  auto hessian = torch::zeros({n, n}, torch::kFloat64);
  for (int64_t i = 0; i < n; ++i) {
    // A gradient entry with no graph is constant: its row stays zero.
    if (gradient[i].requires_grad()) {
      hessian[i] = flat_gradient(net, gradient[i], false).detach();
    }
  }
  return (hessian + hessian.t()) / 2;
}

torch::Tensor unit_rescaling_mask(
    DropoutNet& net, int64_t layer, int64_t unit) {
  TORCH_CHECK(
      layer >= 1 && layer < net->depth(),
      "hidden layer must be in 1..",
      net->depth() - 1,
      ", got ",
      layer);
  TORCH_CHECK(
      unit >= 0 && unit < net->widths()[layer],
      "unit must be in 0..",
      net->widths()[layer] - 1,
      ", got ",
      unit);
  auto mask = torch::zeros({parameter_count(net)}, torch::kFloat64);
  const int64_t below = net->widths()[layer - 1];
  const int64_t width = net->widths()[layer];

  // Row `unit` of W_layer and entry `unit` of b_layer scale by c.
  const int64_t offset = layer_offset(net, layer);
  mask.narrow(0, offset + unit * below, below).fill_(1.0);
  mask[offset + width * below + unit] = 1.0;

  // Column `unit` of W_{layer+1} scales by 1/c.
  const int64_t next = layer_offset(net, layer + 1);
  const int64_t above = net->widths()[layer + 1];
  for (int64_t i = 0; i < above; ++i) {
    mask[next + i * width + unit] = -1.0;
  }
  return mask;
}

torch::Tensor unit_rescaling_tangent(
    DropoutNet& net, int64_t layer, int64_t unit) {
  return unit_rescaling_mask(net, layer, unit) * flat_parameters(net);
}

torch::Tensor layer_rescaling_tangent(DropoutNet& net, int64_t layer) {
  auto mask = torch::zeros({parameter_count(net)}, torch::kFloat64);
  for (int64_t j = 0; j < net->widths()[layer]; ++j) {
    mask += unit_rescaling_mask(net, layer, j);
  }
  return mask * flat_parameters(net);
}

FlatnessReport analyse_flatness(
    DropoutNet& net, const NetworkCriterion& criterion, double zero_tolerance) {
  FlatnessReport report;
  const auto theta = flat_parameters(net);
  report.n_parameters = theta.numel();
  const auto gradient = criterion_gradient(net, criterion);
  report.gradient_norm = gradient.norm().item<double>();
  const auto hessian = criterion_hessian(net, criterion);
  TORCH_INTERNAL_ASSERT(
      hessian.size(0) == report.n_parameters &&
      hessian.size(1) == report.n_parameters);

  const auto eigenvalues = torch::linalg::eigvalsh(hessian, "L").contiguous();
  report.eigenvalues.assign(
      eigenvalues.data_ptr<double>(),
      eigenvalues.data_ptr<double>() + eigenvalues.numel());
  report.largest_eigenvalue = eigenvalues.abs().max().item<double>();
  report.zero_tolerance = zero_tolerance;

  double squared_norm = 0.0;
  for (const auto& weight : net->weights()) {
    squared_norm += weight.square().sum().item<double>();
  }
  const auto weights = net->weights();
  std::vector<torch::Tensor> tangents;
  double largest_residual = 0.0;
  for (int64_t l = 1; l < net->depth(); ++l) {
    auto layer_mask = torch::zeros_like(theta);
    for (int64_t j = 0; j < net->widths()[l]; ++j) {
      const auto mask = unit_rescaling_mask(net, l, j);
      layer_mask += mask;
      const auto tangent = mask * theta;
      const double incoming = weights[l - 1][j].square().sum().item<double>();
      const double outgoing =
          weights[l].select(1, j).square().sum().item<double>();
      // Relative to ||W||^2, but never below kWeightTolerance itself: a
      // network whose every weight decay has driven towards zero has no
      // unit with weights.
      const double threshold = kWeightTolerance * std::max(squared_norm, 1.0);
      if (incoming <= threshold || outgoing <= threshold) {
        ++report.units_without_weights;
        continue;
      }
      tangents.push_back(tangent / tangent.norm());
      report.unit_directions.push_back(measure_direction(
          fmt::format("layer {} unit {}", l, j + 1),
          hessian,
          tangent,
          mask,
          gradient));
      report.unit_directions.back().layer = l;
      report.unit_directions.back().unit = j;
      largest_residual = std::max(
          largest_residual, report.unit_directions.back().null_residual);
    }
    const auto tangent = layer_mask * theta;
    if (tangent.abs().max().item<double>() > 0.0) {
      report.layer_directions.push_back(measure_direction(
          fmt::format("layer {}", l), hessian, tangent, layer_mask, gradient));
      report.layer_directions.back().layer = l;
    }
  }
  report.zero_band = zero_tolerance * report.largest_eigenvalue;
  if (!tangents.empty()) {
    const auto matrix = torch::stack(tangents);
    report.tangent_rank =
        torch::linalg::matrix_rank(matrix, 1e-8, false).item<int64_t>();
    const double sigma_min =
        torch::linalg::svdvals(matrix, c10::nullopt).min().item<double>();
    if (sigma_min > 0) {
      const double r = static_cast<double>(tangents.size());
      report.zero_band = std::max(
          report.zero_band, std::sqrt(r) * largest_residual / sigma_min);
    }
  }
  report.near_zero_eigenvalues =
      (eigenvalues.abs() <= report.zero_band).sum().item<int64_t>();
  for (double value : report.eigenvalues) {
    if (value > report.zero_band) {
      report.smallest_curvature = value;
      break;
    }
  }
  return report;
}

}  // namespace dropout_lab
