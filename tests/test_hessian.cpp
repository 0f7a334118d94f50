// The Hessian of a criterion by double backward, and the rescaling orbits
// through it: a hand-computed example, the identity H v = -M g that holds
// wherever the criterion is constant on the orbit, and tangents against
// finite differences of the rescaling itself.

#include <cmath>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "hessian.h"
#include "network_parameters.h"
#include "rescaling.h"
#include "risk.h"
#include "test_support.h"
#include "weight_decay.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

TEST_CASE(
    "Hessian and null space of a one-unit network known by hand", "[hessian]") {
  // f(x) = w2 relu(w1 x + b1) + b2 with (w1, b1, w2, b2) = (1, 1, 1, 0),
  // p = 1 (so JD = R), examples x = 1, 2 with labels f(x) = 2, 3 and equal
  // mass. At zero residual H = 2 sum_x (1/2) J_x J_x^T with
  // J_x = (w2 x, w2, w1 x + b1, 1): J_1 = (1, 1, 2, 1), J_2 = (2, 1, 3, 1).
  // Its non-zero eigenvalues are those of the Gram matrix [[7, 10],
  // [10, 15]], 11 +- sqrt(116); the other two are 0, and the unit's orbit
  // tangent (w1, b1, -w2, 0) = (1, 1, -1, 0) is orthogonal to both J.
  auto net =
      network_from({{{{{1.0}}, {1.0}}, {{{1.0}}, {0.0}}}, 1.0}, "hand network");
  auto data = make_distribution({{1.0}, {2.0}}, {2.0, 3.0}, {1.0, 1.0});
  auto criterion = [&](DropoutNet& model) {
    return dropout_criterion(model, data);
  };

  const auto hessian = criterion_hessian(net, criterion);
  const auto j1 = torch::tensor({1.0, 1.0, 2.0, 1.0}, torch::kFloat64);
  const auto j2 = torch::tensor({2.0, 1.0, 3.0, 1.0}, torch::kFloat64);
  const auto expected = torch::outer(j1, j1) + torch::outer(j2, j2);
  CHECK((hessian - expected).abs().max().item<double>() < 1e-13);

  const auto report = analyse_flatness(net, criterion, 1e-9);
  REQUIRE(report.eigenvalues.size() == 4);
  CHECK(std::abs(report.eigenvalues[0]) < 1e-13);
  CHECK(std::abs(report.eigenvalues[1]) < 1e-13);
  CHECK(
      relative_difference(report.eigenvalues[2], 11 - std::sqrt(116.0)) <
      1e-12);
  CHECK(
      relative_difference(report.eigenvalues[3], 11 + std::sqrt(116.0)) <
      1e-12);
  CHECK(report.near_zero_eigenvalues == 2);
  CHECK(report.gradient_norm < 1e-14);

  const auto tangent = unit_rescaling_tangent(net, 1, 0);
  CHECK(torch::equal(
      tangent, torch::tensor({1.0, 1.0, -1.0, 0.0}, torch::kFloat64)));
  REQUIRE(report.unit_directions.size() == 1);
  CHECK(report.unit_directions[0].null_residual < 1e-13);
  CHECK(report.tangent_rank == 1);
}

TEST_CASE(
    "H v = -M g along every rescaling orbit of exact JD, at any point",
    "[hessian]") {
  // JD(exp(tM) theta) = JD(theta) for all t and theta; differentiating in
  // t at 0 and then in theta gives H (M theta) + M g = 0.
  auto generator = make_generator(61);
  const std::vector<std::vector<int64_t>> architectures{
      {2, 3, 1}, {3, 2, 2, 1}};
  for (const auto& widths : architectures) {
    for (double p : {0.5, 0.7}) {
      auto net = mixed_sign_network(widths, p, generator);
      auto data = random_examples(widths.front(), 4, generator);
      auto criterion = [&](DropoutNet& model) {
        return dropout_criterion(model, data);
      };
      const auto hessian = criterion_hessian(net, criterion);
      const auto gradient = criterion_gradient(net, criterion);
      CHECK((hessian - hessian.t()).abs().max().item<double>() == 0.0);
      for (size_t l = 1; l + 1 < widths.size(); ++l) {
        for (int64_t j = 0; j < widths[l]; ++j) {
          const auto mask =
              unit_rescaling_mask(net, static_cast<int64_t>(l), j);
          const auto v = mask * flat_parameters(net);
          const auto residual = torch::mv(hessian, v) + mask * gradient;
          INFO(fmt::format(
              "widths {} p {} layer {} unit {}",
              fmt::join(widths, ","),
              p,
              l,
              j));
          CHECK(
              residual.norm().item<double>() <=
              1e-12 * (torch::mv(hessian, v).norm().item<double>() +
                       gradient.norm().item<double>()));
        }
      }
    }
  }
}

TEST_CASE(
    "orbit tangents equal central differences of the rescaling", "[hessian]") {
  auto generator = make_generator(62);
  auto net = mixed_sign_network({3, 2, 3, 1}, 0.5, generator);
  const double h = 1e-5;
  for (int64_t l = 1; l <= 2; ++l) {
    auto layer_tangent = torch::zeros_like(flat_parameters(net));
    for (int64_t j = 0; j < net->widths()[l]; ++j) {
      auto up = rescale_unit(net, l, j, std::exp(h));
      auto down = rescale_unit(net, l, j, std::exp(-h));
      const auto difference =
          (flat_parameters(up) - flat_parameters(down)) / (2 * h);
      const auto tangent = unit_rescaling_tangent(net, l, j);
      // Central differences of exp(t m) theta err by about h^2 |theta|.
      CHECK((difference - tangent).abs().max().item<double>() < 1e-9);
      layer_tangent += tangent;
    }
    // The layer move c_l = e^t, c_{l+1} = e^-t (product 1).
    std::vector<double> up_factors(3, 1.0);
    std::vector<double> down_factors(3, 1.0);
    up_factors[l - 1] = std::exp(h);
    up_factors[l] = std::exp(-h);
    down_factors[l - 1] = std::exp(-h);
    down_factors[l] = std::exp(h);
    const auto difference =
        (flat_parameters(rescale_layers(net, up_factors)) -
         flat_parameters(rescale_layers(net, down_factors))) /
        (2 * h);
    CHECK(
        (difference - layer_rescaling_tangent(net, l))
            .abs()
            .max()
            .item<double>() < 1e-9);
    CHECK(
        (layer_tangent - layer_rescaling_tangent(net, l))
            .abs()
            .max()
            .item<double>() < 1e-15);
  }
}

TEST_CASE(
    "the L2 penalty's Hessian along an orbit tangent is lambda (a + o)",
    "[hessian]") {
  // (lambda/2) ||W||^2 has Hessian lambda on every weight and 0 on biases;
  // the tangent of unit j is +-theta on its a = |incoming|^2 and
  // o = |outgoing|^2 weights (and its bias), so v^T H v = lambda (a + o).
  auto generator = make_generator(63);
  auto net = mixed_sign_network({2, 3, 1}, 0.5, generator);
  const double lambda = 0.3;
  auto penalty = [&](DropoutNet& model) {
    return l2_penalty(model, lambda);
  };
  const auto hessian = criterion_hessian(net, penalty);
  const auto weights = net->weights();
  for (int64_t j = 0; j < 3; ++j) {
    const auto v = unit_rescaling_tangent(net, 1, j);
    const double a = weights[0][j].square().sum().item<double>();
    const double o = weights[1].select(1, j).square().sum().item<double>();
    CHECK(
        relative_difference(
            torch::dot(v, torch::mv(hessian, v)).item<double>(),
            lambda * (a + o)) < 1e-12);
  }
}
