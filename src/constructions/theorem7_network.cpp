#include "theorem7_network.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

double norm(const std::vector<double>& x) {
  double squared = 0.0;
  for (double value : x) {
    squared += value * value;
  }
  return std::sqrt(squared);
}

double checked_norm(const std::vector<double>& x, double lambda) {
  validate_lambda(lambda, "lambda");
  const double s = norm(x);
  require_input(
      s > 0.0 && std::isfinite(s),
      "theorem 7: x must be a finite, non-zero vector");
  return s;
}

}  // namespace

double theorem7_activation(const std::vector<double>& x, double lambda) {
  const double s = checked_norm(x, lambda);
  return std::max(0.0, 1.0 - 2.0 * lambda / s);
}

double weight_decay_aversion(const std::vector<double>& x, double lambda) {
  const double s = checked_norm(x, lambda);
  return std::min(0.25, lambda * lambda / (s * s));
}

double theorem7_weight_decay_criterion(
    const std::vector<double>& x, double lambda) {
  const double s = checked_norm(x, lambda);
  const double a = theorem7_activation(x, lambda);
  return (1.0 - a) * (1.0 - a) / 4.0 + lambda * a / s;
}

DropoutNet theorem7_network(
    const std::vector<double>& x,
    double lambda,
    int64_t n_hidden,
    double keep_prob) {
  const double s = checked_norm(x, lambda);
  require_input(
      n_hidden >= 1,
      fmt::format(
          "theorem 7: needs at least one hidden unit, got {}", n_hidden));
  const double a = theorem7_activation(x, lambda);
  const double weight = std::sqrt(a / s);

  DropoutNet net(
      std::vector<int64_t>{static_cast<int64_t>(x.size()), n_hidden, 1},
      keep_prob);
  torch::NoGradGuard no_grad;
  for (auto& parameter : net->parameters()) {
    parameter.zero_();
  }
  for (size_t k = 0; k < x.size(); ++k) {
    net->layer(1)->weight[0][static_cast<int64_t>(k)] = weight * x[k] / s;
  }
  net->layer(2)->weight[0][0] = weight;
  net->layer(2)->bias[0] = (1.0 - a) / 2.0;
  return net;
}

}  // namespace dropout_lab
