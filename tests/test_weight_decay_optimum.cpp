// The closed-form J2 minimiser on P(x,1) (theorem 7): stationary, better
// than its perturbations, and with the stated risk, on both sides of the
// threshold 2 lambda = s and exactly at it.

#include <cmath>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "dropout_pattern.h"
#include "fit.h"
#include "random_network.h"
#include "risk.h"
#include "theorem7_network.h"
#include "weight_decay.h"

using namespace dropout_lab;

namespace {

double norm(const std::vector<double>& x) {
  double squared = 0.0;
  for (double value : x) {
    squared += value * value;
  }
  return std::sqrt(squared);
}

}  // namespace

TEST_CASE(
    "theorem 7: the closed form is a stationary point that beats its "
    "perturbations",
    "[constructions][weight-decay]") {
  auto generator = make_generator(21);
  const std::vector<double> direction{0.6, -0.8, 0.0};
  // s below, at and above 2 lambda = 1 (lambda = 0.5).
  for (double s : {0.5, 1.0, 1.5, 3.0}) {
    std::vector<double> x;
    for (double value : direction) {
      x.push_back(s * value);
    }
    const double lambda = 0.5;
    auto data = pair_with_zero(x, 1.0);
    auto net = theorem7_network(x, lambda, 3);
    auto criterion = [&](DropoutNet& model) {
      return weight_decay_criterion(model, data, lambda);
    };
    INFO(fmt::format("s = {}", s));

    const double value = criterion(net).item<double>();
    CHECK(
        value ==
        Approx(theorem7_weight_decay_criterion(x, lambda)).epsilon(1e-14));
    CHECK(
        risk(net, data).item<double>() ==
        Approx(weight_decay_aversion(x, lambda)).epsilon(1e-13));
    CHECK(
        risk(net, data).item<double>() ==
        Approx(std::min(0.25, lambda * lambda / (s * s))).epsilon(1e-13));
    // Every parameter but the hidden biases is at a zero of the gradient.
    // The active unit sits exactly at its kink on the zero input, where
    // autograd's one-sided derivative is not zero; there J2 must rise in
    // both directions instead.
    net->zero_grad();
    criterion(net).backward();
    for (const auto& item : net->named_parameters()) {
      if (item.key() != "layer1.bias") {
        CHECK(item.value().grad().abs().max().item<double>() < 1e-12);
      }
    }
    for (int64_t unit = 0; unit < 3; ++unit) {
      for (double step : {1e-6, -1e-6}) {
        auto moved = clone_network(net);
        {
          torch::NoGradGuard no_grad;
          moved->layer(1)->bias[unit] += step;
        }
        CHECK(criterion(moved).item<double>() >= value - 1e-15);
      }
    }

    // Random perturbations of size 1e-3 never lower J2.
    for (int trial = 0; trial < 50; ++trial) {
      auto moved = clone_network(net);
      {
        torch::NoGradGuard no_grad;
        for (auto& parameter : moved->parameters()) {
          parameter.add_(
              torch::rand(parameter.sizes(), generator, torch::kFloat64)
                  .sub_(0.5)
                  .mul_(2e-3));
        }
      }
      CHECK(criterion(moved).item<double>() >= value - 1e-15);
    }
  }
}

TEST_CASE(
    "theorem 7: weight decay erases the signal when 2 lambda >= s",
    "[constructions][weight-decay]") {
  const std::vector<double> x{1.0, 1.0};
  const double s = norm(x);
  for (double lambda : {s / 2, s / 2 + 0.1, 2.0}) {
    auto net = theorem7_network(x, lambda, 2);
    CHECK(theorem7_activation(x, lambda) == 0.0);
    for (const auto& weight : net->weights()) {
      CHECK(weight.abs().max().item<double>() == 0.0);
    }
    CHECK(net->layer(2)->bias.item<double>() == 0.5);
    CHECK(weight_decay_aversion(x, lambda) == 0.25);
  }
}

TEST_CASE(
    "theorem 7: fits from random starts never beat the closed form",
    "[constructions][weight-decay][fit]") {
  auto generator = make_generator(8);
  for (double s : {0.5, 2.0}) {
    const std::vector<double> x{s, 0.0};
    const double lambda = 0.4;
    auto data = pair_with_zero(x, 1.0);
    const double closed = theorem7_weight_decay_criterion(x, lambda);
    double best = INFINITY;
    for (int restart = 0; restart < 4; ++restart) {
      auto net = random_network({2, 3, 1}, 0.5, -1.0, 1.0, generator);
      auto criterion = [&](DropoutNet& model) {
        return weight_decay_criterion(model, data, lambda);
      };
      const auto result = fit_criterion(net, criterion);
      CHECK(result.criterion >= closed - 1e-12);
      best = std::min(best, result.criterion);
    }
    CHECK(best == Approx(closed).epsilon(1e-8));
  }
}
