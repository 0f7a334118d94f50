// Autograd gradients of the exact dropout criterion against central finite
// differences.

#include <cmath>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "test_support.h"
#include "weight_decay.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Central differences with step h have error O(h^2) from the third
// derivative and O(eps / h) from rounding; h = 1e-6 balances them near
// 1e-9 relative. The criterion is piecewise smooth (ReLU kinks); random
// parameters lie on a kink with probability 0, and a step of 1e-6 crosses
// one only if a pre-activation is within 1e-6 of zero, which the test
// rules out by checking the two one-sided differences agree.
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-6;

double criterion_value(DropoutNet& net, const ExampleDistribution& data) {
  torch::NoGradGuard no_grad;
  return dropout_criterion(net, data).item<double>();
}

}  // namespace

TEST_CASE(
    "exact criterion gradient matches finite differences",
    "[criterion][gradient]") {
  auto generator = make_generator(31);
  for (const auto& widths : std::vector<std::vector<int64_t>>{
           {2, 3, 1}, {3, 2, 2, 1}, {2, 1}, {2, 2, 1, 2, 1}}) {
    auto net = mixed_sign_network(widths, 0.6, generator);
    auto data = random_examples(widths.front(), 3, generator);
    net->zero_grad();
    dropout_criterion(net, data).backward();

    int64_t compared = 0;
    for (auto& parameter : net->parameters()) {
      auto flat = parameter.data().view(-1);
      auto gradient = parameter.grad().view(-1);
      for (int64_t i = 0; i < flat.numel(); ++i) {
        const double original = flat[i].item<double>();
        flat[i] = original + kStep;
        const double up = criterion_value(net, data);
        flat[i] = original - kStep;
        const double down = criterion_value(net, data);
        flat[i] = original;
        const double centre = criterion_value(net, data);
        const double forward = (up - centre) / kStep;
        const double backward = (centre - down) / kStep;
        if (std::abs(forward - backward) > 1e-3 * (1.0 + std::abs(forward))) {
          continue;  // a kink inside the step: not differentiable here
        }
        const double numeric = (up - down) / (2 * kStep);
        const double analytic = gradient[i].item<double>();
        INFO(fmt::format(
            "widths {} parameter entry {}: autograd {} numeric {}",
            fmt::join(widths, ","),
            i,
            analytic,
            numeric));
        CHECK(
            std::abs(analytic - numeric) <=
            kTolerance * (1.0 + std::abs(numeric)));
        ++compared;
      }
    }
    CHECK(compared > 0);
  }
}

TEST_CASE(
    "weight-decay criterion gradient adds lambda times the weights",
    "[criterion][gradient]") {
  auto generator = make_generator(8);
  auto net = mixed_sign_network({3, 2, 1}, 0.5, generator);
  auto data = random_examples(3, 4, generator);
  const double lambda = 0.7;

  net->zero_grad();
  weight_decay_criterion(net, data, lambda).backward();
  std::vector<torch::Tensor> with_decay;
  for (auto& parameter : net->parameters()) {
    with_decay.push_back(parameter.grad().clone());
  }
  net->zero_grad();
  weight_decay_criterion(net, data, 0.0).backward();

  // Parameters alternate weight, bias per layer; biases are not decayed.
  auto parameters = net->parameters();
  for (size_t i = 0; i < parameters.size(); ++i) {
    const bool is_weight = i % 2 == 0;
    auto expected =
        parameters[i].grad() + (is_weight ? lambda * parameters[i].detach()
                                          : torch::zeros_like(parameters[i]));
    CHECK((with_decay[i] - expected).abs().max().item<double>() < 1e-14);
  }
}
