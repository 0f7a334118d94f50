// The paper's constructions against their closed forms, computed through
// the exact criterion and through brute force.

#include <cmath>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "brute_force_dropout_criterion.h"
#include "depth_network.h"
#include "errors.h"
#include "exact_dropout_criterion.h"
#include "figure1_network.h"
#include "keep_prob_sweep.h"
#include "label_witness_network.h"
#include "network_parameters.h"
#include "output_shift.h"
#include "risk.h"
#include "test_support.h"
#include "weight_decay.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

TEST_CASE("figure 1: R = 64, JD = 54, penalty -10", "[constructions]") {
  auto net = figure1_network();
  auto data = figure1_data();
  const double jd = dropout_criterion(net, data).item<double>();
  CHECK(risk(net, data).item<double>() == Approx(64.0).epsilon(1e-14));
  CHECK(jd == Approx(54.0).epsilon(1e-14));
  CHECK(
      brute_force_dropout_criterion(parameters_of(net), data) ==
      Approx(54.0).epsilon(1e-14));
}

TEST_CASE(
    "depth network: exact criterion equals the general-p closed form",
    "[constructions][depth]") {
  for (int64_t width : {2, 3}) {
    for (int64_t depth = 1; depth <= 5; ++depth) {
      for (double p : {0.5, 0.2, 0.7, 1.0}) {
        const double y = std::ldexp(1.0, static_cast<int>(depth));
        auto net = depth_network(width, depth, width, y, p);
        auto data = point_mass(std::vector<double>(width, 1.0), y);
        const double exact = dropout_criterion(net, data).item<double>();
        const double closed =
            depth_network_dropout_criterion(width, depth, width, y, p);
        INFO(fmt::format("K = n = {}, d = {}, p = {}", width, depth, p));
        CHECK(std::abs(exact - closed) <= 1e-12 * std::max(1.0, closed));
        CHECK(std::abs(risk(net, data).item<double>()) < 1e-12 * y * y);
        CHECK(
            l2_penalty(net, 1.0).item<double>() ==
            Approx(depth_network_l2_penalty(width, depth, width, y, 1.0))
                .epsilon(1e-13));
      }
    }
  }
}

TEST_CASE(
    "depth network rejects labels it cannot fit", "[constructions][depth]") {
  CHECK_THROWS_AS(depth_network_weight(2, 3, 2, 9.0), InputError);
  CHECK_THROWS_AS(depth_network_weight(2, 3, 2, -1.0), InputError);
  CHECK(depth_network_weight(2, 3, 2, 8.0) == Approx(1.0));
}

TEST_CASE(
    "label witness: moments and penalty equal their closed forms",
    "[constructions][labels]") {
  for (double p : {0.1, 0.5, 0.77}) {
    auto net = label_witness_network(p);
    auto x = torch::tensor(label_witness_input(), torch::kFloat64).unsqueeze(0);
    auto moments = output_shift_moments(net, x);
    CHECK(
        moments.mean.item<double>() ==
        Approx(label_witness_mean_shift(p)).epsilon(1e-14));
    CHECK(
        moments.mean_square.item<double>() ==
        Approx(label_witness_mean_square_shift(p)).epsilon(1e-14));
    for (double y : {-1.0, 0.0, 3.5}) {
      auto data = point_mass(label_witness_input(), y);
      CHECK(
          dropout_penalty(net, data).item<double>() ==
          Approx(label_witness_penalty(p, y)).epsilon(1e-12).margin(1e-12));
    }
  }
}

TEST_CASE(
    "the keep-probability sweep finds the witness's turning point",
    "[analysis][sweep]") {
  const double y = 3.0;
  auto net = label_witness_network();
  auto data = point_mass(label_witness_input(), y);
  const auto sweep = sweep_keep_prob(net, data, drop_prob_grid(30));
  REQUIRE(sweep.turning_drop_probs.size() == 1);
  CHECK(sweep.turning_is_minimum.front());
  CHECK(
      std::abs(
          sweep.turning_drop_probs.front() -
          label_witness_turning_drop_prob(y)) < 1e-6);
  CHECK(net->keep_prob() == 0.5);

  auto monotone = point_mass(label_witness_input(), 0.5);
  CHECK(sweep_keep_prob(net, monotone, drop_prob_grid(30)).monotone());
}

TEST_CASE(
    "non-negative networks never have a negative penalty",
    "[constructions][sign]") {
  // With non-negative weights, biases and inputs every ReLU is linear, so
  // E_R D = W(x) and the penalty E[(D - W(x))^2] is >= 0.
  auto generator = make_generator(77);
  for (int trial = 0; trial < 30; ++trial) {
    DropoutNet net(std::vector<int64_t>{3, 2, 2, 1}, 0.4);
    {
      torch::NoGradGuard no_grad;
      for (auto& parameter : net->parameters()) {
        parameter.uniform_(0.0, 1.0, generator);
      }
    }
    auto x = torch::rand({2, 3}, generator, torch::kFloat64);
    auto data = make_distribution(
        {{x[0][0].item<double>(),
          x[0][1].item<double>(),
          x[0][2].item<double>()},
         {x[1][0].item<double>(),
          x[1][1].item<double>(),
          x[1][2].item<double>()}},
        {-1.0, 2.0},
        {1.0, 1.0});
    auto moments = output_shift_moments(net, data.x);
    CHECK(moments.mean.abs().max().item<double>() < 1e-13);
    CHECK(dropout_penalty(net, data).item<double>() >= -1e-13);
  }
}
