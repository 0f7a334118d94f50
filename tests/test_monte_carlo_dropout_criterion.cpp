// The Monte Carlo dropout criterion covers the exact value within its
// confidence interval, and its standard error is honest.

#include <cmath>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "monte_carlo_dropout_criterion.h"
#include "test_support.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Two-sided 4-sigma interval: a correct estimator misses with probability
// about 6e-5 per case; the seeds are fixed, so the test is deterministic.
constexpr double kZ = 4.0;

}  // namespace

TEST_CASE(
    "Monte Carlo estimate lies within 4 standard errors of the exact value",
    "[criterion][mc]") {
  auto generator = make_generator(99);
  const std::vector<std::vector<int64_t>> architectures{
      {2, 3, 1}, {3, 2, 2, 1}, {2, 2, 2, 2, 1}, {4, 1}};
  for (const auto& widths : architectures) {
    for (double keep_prob : {0.5, 0.25, 0.9}) {
      auto net = mixed_sign_network(widths, keep_prob, generator);
      auto data = random_examples(widths.front(), 4, generator);
      const double exact = dropout_criterion(net, data).item<double>();
      MonteCarloOptions options;
      options.samples = 20000;
      auto estimate =
          dropout_criterion_monte_carlo(net, data, generator, options);
      INFO(fmt::format(
          "widths {} p {}: exact {} estimate {} +- {}",
          fmt::join(widths, ","),
          keep_prob,
          exact,
          estimate.mean,
          estimate.stderr_));
      CHECK(std::abs(estimate.mean - exact) <= kZ * estimate.stderr_ + 1e-12);
    }
  }
}

TEST_CASE(
    "the standard error matches the spread of independent estimates",
    "[criterion][mc]") {
  // 200 independent estimates of 500 samples each: their standard
  // deviation estimates the true standard error to about 5% (one standard
  // error of a standard deviation from 200 draws is 1/sqrt(400)); the
  // reported standard errors must agree with it to 20%.
  auto generator = make_generator(123);
  auto net = mixed_sign_network({3, 3, 3, 1}, 0.5, generator);
  auto data = random_examples(3, 3, generator);
  MonteCarloOptions options;
  options.samples = 500;
  std::vector<double> means;
  double mean_reported = 0.0;
  for (int i = 0; i < 200; ++i) {
    auto estimate =
        dropout_criterion_monte_carlo(net, data, generator, options);
    means.push_back(estimate.mean);
    mean_reported += estimate.stderr_ / 200;
  }
  double average = 0.0;
  for (double m : means) {
    average += m / means.size();
  }
  double variance = 0.0;
  for (double m : means) {
    variance += (m - average) * (m - average) / (means.size() - 1);
  }
  const double observed = std::sqrt(variance);
  INFO(fmt::format("observed {} reported {}", observed, mean_reported));
  CHECK(std::abs(mean_reported / observed - 1.0) < 0.2);
}

TEST_CASE("the same seed gives the same estimate", "[criterion][mc]") {
  auto net = standard_architecture(3, 3, 4);
  auto data = ones_pair(3);
  MonteCarloOptions options;
  options.samples = 1000;
  auto first =
      dropout_criterion_monte_carlo(net, data, make_generator(5), options);
  auto second =
      dropout_criterion_monte_carlo(net, data, make_generator(5), options);
  auto other =
      dropout_criterion_monte_carlo(net, data, make_generator(6), options);
  CHECK(first.mean == second.mean);
  CHECK(first.stderr_ == second.stderr_);
  CHECK(first.mean != other.mean);
}

TEST_CASE(
    "Monte Carlo needs no enumeration: a network beyond any pattern limit",
    "[criterion][mc]") {
  // 40 inputs and two hidden layers of 30: 2^70 patterns, far past int64.
  auto net = standard_architecture(40, 3, 30);
  auto data = ones_pair(40);
  MonteCarloOptions options;
  options.samples = 200;
  auto estimate =
      dropout_criterion_monte_carlo(net, data, make_generator(1), options);
  CHECK(std::isfinite(estimate.mean));
  CHECK(estimate.stderr_ > 0.0);
}

TEST_CASE(
    "Monte Carlo sampling every bit also covers the exact value",
    "[criterion][mc]") {
  auto generator = make_generator(314);
  for (const auto& widths :
       std::vector<std::vector<int64_t>>{{2, 3, 1}, {3, 2, 2, 1}}) {
    auto net = mixed_sign_network(widths, 0.5, generator);
    auto data = random_examples(widths.front(), 3, generator);
    const double exact = dropout_criterion(net, data).item<double>();
    MonteCarloOptions options;
    options.samples = 20000;
    options.marginalise_last_layer = false;
    auto estimate =
        dropout_criterion_monte_carlo(net, data, generator, options);
    INFO(fmt::format(
        "exact {} estimate {} +- {}", exact, estimate.mean, estimate.stderr_));
    CHECK(std::abs(estimate.mean - exact) <= kZ * estimate.stderr_);
    CHECK(estimate.stderr_ > 0.0);
  }
}
