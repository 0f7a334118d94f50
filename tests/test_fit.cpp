// The deterministic full-batch fit against problems with closed-form
// minimisers.

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "fit.h"
#include "test_support.h"
#include "weight_decay.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Solves the normal equations of a linear unit y ~ w.x + b whose criterion
// is E_P (w.x + b - y)^2 + w^T D w for a diagonal D, by least squares on
// the centred second moments. `penalty` holds the diagonal of D.
std::vector<double> linear_minimiser(
    const ExampleDistribution& data, const torch::Tensor& penalty) {
  auto mass = data.mass;
  auto mean_x = torch::matmul(mass, data.x);
  auto mean_y = torch::dot(mass, data.y);
  auto centred = data.x - mean_x;
  auto covariance = torch::matmul(centred.t() * mass, centred);
  auto cross = torch::matmul(centred.t() * mass, data.y - mean_y);
  auto w = torch::linalg_solve(covariance + torch::diag(penalty), cross);
  const double b = (mean_y - torch::dot(mean_x, w)).item<double>();
  std::vector<double> result(
      w.data_ptr<double>(), w.data_ptr<double>() + w.numel());
  result.push_back(b);
  return result;
}

void require_parameters_near(
    DropoutNet& net, const std::vector<double>& expected, double tolerance) {
  auto w = net->layer(1)->weight[0];
  for (int64_t k = 0; k < w.numel(); ++k) {
    CHECK(std::abs(w[k].item<double>() - expected[k]) < tolerance);
  }
  CHECK(
      std::abs(net->layer(1)->bias[0].item<double>() - expected.back()) <
      tolerance);
}

}  // namespace

TEST_CASE("fitting J2 of a linear unit gives ridge regression", "[fit]") {
  // With d = 1, J2 = E (w.x + b - y)^2 + (lambda/2) ||w||^2: ridge
  // regression with an unpenalised intercept, D = (lambda/2) I.
  auto generator = make_generator(3);
  auto data = random_examples(3, 8, generator);
  auto net = mixed_sign_network({3, 1}, 1.0, generator);
  const double lambda = 0.4;
  auto criterion = [&](DropoutNet& model) {
    return weight_decay_criterion(model, data, lambda);
  };
  const auto result = fit_criterion(net, criterion);
  CHECK(result.converged);
  CHECK(result.gradient_norm < 1e-7);
  require_parameters_near(
      net,
      linear_minimiser(data, torch::full({3}, lambda / 2, torch::kFloat64)),
      1e-6);
}

TEST_CASE("fitting exact JD of a linear unit", "[fit]") {
  // With d = 1, dropout on the inputs adds (q/p) sum_k w_k^2 E[x_k^2]:
  // ridge regression with D = (q/p) diag(E x^2).
  auto generator = make_generator(5);
  auto data = random_examples(3, 8, generator);
  const double p = 0.6;
  auto net = mixed_sign_network({3, 1}, p, generator);
  auto criterion = [&](DropoutNet& model) {
    return dropout_criterion(model, data);
  };
  const auto result = fit_criterion(net, criterion);
  INFO(
      "gradient norm " << result.gradient_norm << " after " << result.iterations
                       << " iterations");
  CHECK(result.converged);
  auto second_moment = torch::matmul(data.mass, data.x.square());
  require_parameters_near(
      net, linear_minimiser(data, (1 - p) / p * second_moment), 1e-6);
}
