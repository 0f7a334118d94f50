// Fits made afresh in several systems of units by fit_each_system: the
// fitted networks read in each system's units, dropout's fits the same
// function in every system, weight decay's not; the gradient the stopping
// rule reads, at a fit and at its image in other units.

#include <cmath>

#include <catch2/catch.hpp>

#include "exact_dropout_criterion.h"
#include "hessian.h"
#include "risk.h"
#include "test_support.h"
#include "unit_change.h"
#include "unit_free_fit.h"
#include "weight_decay.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

struct Setup {
  ExampleDistribution data;
  std::vector<DataUnits> units;
  UnitChangeOptions options;
};

Setup small_setup(at::Generator generator) {
  Setup setup{
      random_examples(3, 6, generator),
      {{"original", {1, 1, 1}}, {"other", {10, 0.25, 3}}},
      {}};
  setup.options.width = 2;
  setup.options.keep_prob = 0.5;
  setup.options.lambda = 0.05;
  setup.options.restarts = 2;
  setup.options.fit.max_iterations = 300;
  setup.options.dropout_fit.max_iterations = 300;
  return setup;
}

}  // namespace

TEST_CASE(
    "fit_each_system reports each fit in its own units", "[unit-free-fit]") {
  auto generator = make_generator(5);
  const auto setup = small_setup(generator);
  const auto fits =
      fit_each_system(setup.data, setup.units, setup.options, generator);
  REQUIRE(fits.size() == 2 * 2 * 2);

  for (const auto& fit : fits) {
    INFO(fit.criterion << " in " << fit.units << ", start " << fit.start);
    const auto& units =
        fit.units == "original" ? setup.units[0] : setup.units[1];
    const auto data = data_in_units(setup.data, units);
    auto net = fit.net;
    torch::NoGradGuard no_grad;
    const double jd = dropout_criterion(net, data).item<double>();
    const double j2 =
        weight_decay_criterion(net, data, setup.options.lambda).item<double>();
    CHECK(relative_difference(fit.dropout_criterion, jd) <= 1e-12);
    CHECK(
        relative_difference(fit.value, fit.criterion == "dropout" ? jd : j2) <=
        1e-12);
    CHECK(
        relative_difference(fit.risk, risk(net, data).item<double>()) <= 1e-12);
    CHECK(
        relative_difference(fit.squared_norm, squared_weight_norm(net)) <=
        1e-12);
    CHECK(torch::allclose(fit.predictions, net->forward(data.x), 1e-12, 1e-12));
  }

  // Dropout in the order systems x starts first, then weight decay.
  CHECK(fits[0].criterion == "dropout");
  CHECK(fits[1].start == 1);
  CHECK(fits[2].units == "other");
  CHECK(fits[4].criterion == "l2");

  const auto best = best_per_system(fits);
  REQUIRE(best.size() == 4);
  for (const auto& kept : best) {
    for (const auto& fit : fits) {
      if (fit.criterion == kept.criterion && fit.units == kept.units) {
        CHECK(kept.value <= fit.value);
      }
    }
  }
}

TEST_CASE(
    "dropout's fits do not depend on the units, weight decay's do",
    "[unit-free-fit]") {
  auto generator = make_generator(6);
  const auto setup = small_setup(generator);
  const auto fits =
      fit_each_system(setup.data, setup.units, setup.options, generator);

  // Same start, two systems: dropout's fitted functions agree (the
  // procedure sees the same standardised data up to rounding), weight
  // decay's do not (its penalty reads the weights in each system's units).
  for (int64_t start = 0; start < 2; ++start) {
    const auto& dropout = fits[start];
    const auto& dropout_other = fits[2 + start];
    const auto& decay = fits[4 + start];
    const auto& decay_other = fits[6 + start];
    INFO("start " << start);
    CHECK(relative_difference(dropout_other.value, dropout.value) <= 1e-6);
    CHECK(relative_difference(dropout_other.risk, dropout.risk) <= 1e-6);
    CHECK(torch::allclose(
        dropout_other.predictions, dropout.predictions, 1e-5, 1e-6));
    CHECK(relative_difference(decay_other.risk, decay.risk) > 1e-3);
  }
}

namespace {

// The stopping rule's gradient by another route: the gradient of the
// criterion with respect to the network's own parameters W in the data's
// units, mapped to V = W diag(s) by the chain rule (dC/dV1 = dC/dW1
// diag(1/s), the other parameters unchanged), over Var(y).
double chain_rule_gradient_norm(
    const DropoutNet& net,
    const ExampleDistribution& data,
    const std::string& criterion,
    double lambda) {
  auto copy = clone_network(net);
  const auto gradient = criterion_gradient(copy, [&](DropoutNet& candidate) {
    return criterion == "dropout"
               ? dropout_criterion(candidate, data)
               : weight_decay_criterion(candidate, data, lambda);
  });
  const auto rms = torch::matmul(data.mass, data.x.square()).sqrt();
  const auto mean = torch::dot(data.mass, data.y);
  const auto variance = torch::dot(data.mass, (data.y - mean).square());

  // Parameters in registration order: layer 1's weight [n, K] comes first.
  const auto first = copy->layer(1)->weight;
  const int64_t n_first = first.numel();
  auto scaled = gradient.clone();
  scaled.narrow(0, 0, n_first)
      .copy_((gradient.narrow(0, 0, n_first).view_as(first) / rms).flatten());
  return (scaled.norm() / variance).item<double>();
}

}  // namespace

TEST_CASE(
    "the stopping rule's gradient follows the chain rule, and stays at a "
    "carried dropout fit",
    "[unit-free-fit]") {
  auto generator = make_generator(7);
  const auto setup = small_setup(generator);
  const auto fits =
      fit_each_system(setup.data, setup.units, setup.options, generator);
  const double lambda = setup.options.lambda;
  const auto& home = setup.units[0];
  const auto& other = setup.units[1];

  for (const auto& fit : {fits[0], fits[4]}) {
    INFO(fit.criterion);
    const double at_home = unit_free_gradient_norm(
        fit.net, setup.data, home, fit.criterion, lambda);
    CHECK(relative_difference(at_home, fit.gradient_norm) <= 1e-8);
    CHECK(
        relative_difference(
            at_home,
            chain_rule_gradient_norm(
                fit.net,
                data_in_units(setup.data, home),
                fit.criterion,
                lambda)) <= 1e-10);

    const auto carried = carry_to_units(fit.net, home, other);
    const double there = unit_free_gradient_norm(
        carried, setup.data, other, fit.criterion, lambda);
    CHECK(
        relative_difference(
            there,
            chain_rule_gradient_norm(
                carried,
                data_in_units(setup.data, other),
                fit.criterion,
                lambda)) <= 1e-10);
    if (fit.criterion == "dropout") {
      CHECK(relative_difference(there, at_home) <= 1e-8);
    } else {
      CHECK(relative_difference(there, at_home) > 1e-3);
    }
  }
}

TEST_CASE(
    "fit_each_system refuses factors that are not positive",
    "[unit-free-fit]") {
  auto generator = make_generator(8);
  auto setup = small_setup(generator);
  setup.units[1].scale = {10, -0.25, 3};
  CHECK_THROWS_WITH(
      fit_each_system(setup.data, setup.units, setup.options, generator),
      Catch::Contains("factor 2") && Catch::Contains("positive"));
  setup.units[1].scale = {10, 0.25};
  CHECK_THROWS_WITH(
      fit_each_system(setup.data, setup.units, setup.options, generator),
      Catch::Contains("2 factors for 3 inputs"));
  setup.units[1].scale = {10, 0.25, 3};
  setup.units[1].label_scale = std::nan("");
  CHECK_THROWS_WITH(
      fit_each_system(setup.data, setup.units, setup.options, generator),
      Catch::Contains("label factor"));
}
