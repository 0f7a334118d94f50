// The exact dropout criterion (batched, last layer marginalised) against the
// brute-force loop over every pattern, which shares no code with it.

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "brute_force_dropout_criterion.h"
#include "dropout_pattern.h"
#include "errors.h"
#include "exact_dropout_criterion.h"
#include "network_parameters.h"
#include "risk.h"
#include "test_support.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Relative agreement asked of two float64 evaluations of the same sum.
constexpr double kExactTolerance = 1e-12;

}  // namespace

TEST_CASE(
    "exact criterion equals brute-force enumeration on random networks",
    "[criterion][exact]") {
  auto generator = make_generator(2024);
  const std::vector<std::vector<int64_t>> architectures{
      {3, 1},           // d = 1: a linear unit on the inputs
      {1, 1},           // the smallest network
      {2, 3, 1},        // d = 2
      {4, 2, 1},        // d = 2, wider input
      {2, 2, 3, 1},     // d = 3
      {3, 1, 2, 1},     // d = 3 with a one-unit bottleneck
      {2, 2, 2, 2, 1},  // d = 4
      {1, 3, 1, 2, 1},  // d = 4, uneven widths
  };
  const std::vector<double> keep_probs{0.5, 0.1, 0.3, 0.8, 0.95, 1.0};

  for (const auto& widths : architectures) {
    for (double keep_prob : keep_probs) {
      auto net = mixed_sign_network(widths, keep_prob, generator);
      auto data = random_examples(widths.front(), 3, generator);
      const double exact = dropout_criterion(net, data).item<double>();
      const double brute =
          brute_force_dropout_criterion(parameters_of(net), data);
      INFO(fmt::format(
          "widths {} keep_prob {}: exact {} brute force {}",
          fmt::join(widths, ","),
          keep_prob,
          exact,
          brute));
      CHECK(relative_difference(exact, brute) < kExactTolerance);
    }
  }
}

TEST_CASE(
    "with keep probability 1 the dropout criterion is the risk",
    "[criterion][exact]") {
  auto generator = make_generator(7);
  auto net = mixed_sign_network({3, 4, 2, 1}, 1.0, generator);
  auto data = random_examples(3, 5, generator);
  CHECK(
      relative_difference(
          dropout_criterion(net, data).item<double>(),
          risk(net, data).item<double>()) < kExactTolerance);
}

TEST_CASE(
    "batched pattern forward matches the plain loop pattern by pattern",
    "[network]") {
  auto generator = make_generator(11);
  auto net = mixed_sign_network({3, 2, 2, 1}, 0.4, generator);
  auto data = random_examples(3, 4, generator);
  const auto parameters = parameters_of(net);
  const int64_t n_units = net->n_droppable_units();
  auto patterns =
      enumerate_patterns(0, int64_t{1} << n_units, n_units, data.x.options());
  auto outputs = net->forward_with_patterns(data.x, patterns);
  REQUIRE(outputs.sizes() == torch::IntArrayRef({1 << n_units, 4}));

  double worst = 0.0;
  for (int64_t r = 0; r < patterns.size(0); ++r) {
    std::vector<bool> pattern;
    for (int64_t j = 0; j < n_units; ++j) {
      pattern.push_back(patterns[r][j].item<double>() == 1.0);
    }
    for (int64_t i = 0; i < 4; ++i) {
      std::vector<double> x{
          data.x[i][0].item<double>(),
          data.x[i][1].item<double>(),
          data.x[i][2].item<double>()};
      const double expected = plain_dropout_output(parameters, x, pattern);
      worst = std::max(
          worst,
          std::abs(outputs[r][i].item<double>() - expected) /
              (1.0 + std::abs(expected)));
    }
  }
  CHECK(worst < 1e-14);
}

TEST_CASE("the all-kept pattern at p = 1 gives the plain output", "[network]") {
  auto generator = make_generator(5);
  auto net = mixed_sign_network({2, 3, 1}, 1.0, generator);
  auto data = random_examples(2, 6, generator);
  auto all_kept = torch::ones({1, net->n_droppable_units()}, data.x.options());
  auto difference =
      (net->forward_with_patterns(data.x, all_kept)[0] - net->forward(data.x))
          .abs()
          .max()
          .item<double>();
  CHECK(difference < 1e-15);
}

TEST_CASE(
    "pattern probabilities sum to one and follow p^kept q^dropped",
    "[patterns]") {
  const double p = 0.3;
  auto options = torch::TensorOptions().dtype(torch::kFloat64);
  auto patterns = enumerate_patterns(0, 32, 5, options);
  auto probability = pattern_probabilities(patterns, p);
  CHECK(std::abs(probability.sum().item<double>() - 1.0) < 1e-15);
  // Pattern 0b01011 keeps units 0, 1 and 3.
  CHECK(patterns[11].sum().item<double>() == 3.0);
  CHECK(
      relative_difference(
          probability[11].item<double>(), p * p * p * 0.7 * 0.7) < 1e-14);
}

TEST_CASE(
    "the exact criterion refuses networks with too many patterns",
    "[criterion][exact][errors]") {
  auto net = standard_architecture(10, 3, 8);
  auto data = ones_pair(10);
  ExactCriterionOptions options;
  options.max_patterns = 1024;
  // K + n = 18 enumerated units: 2^18 patterns > 1024.
  CHECK_THROWS_AS(dropout_criterion(net, data, options), InputError);
  CHECK_THROWS_WITH(
      dropout_criterion(net, data, options),
      Catch::Contains("2^18") && Catch::Contains("--method mc"));
  options.max_patterns = int64_t{1} << 18;
  CHECK_NOTHROW(dropout_criterion(net, data, options));
}

TEST_CASE(
    "chunk size does not change the exact criterion", "[criterion][exact]") {
  auto generator = make_generator(3);
  auto net = mixed_sign_network({5, 3, 3, 1}, 0.6, generator);
  auto data = random_examples(5, 7, generator);
  ExactCriterionOptions small;
  small.chunk_elements = 50;
  const double chunked = dropout_criterion(net, data, small).item<double>();
  const double whole = dropout_criterion(net, data).item<double>();
  CHECK(relative_difference(chunked, whole) < kExactTolerance);
}

TEST_CASE(
    "marginalising the last layer equals enumerating every pattern",
    "[criterion][exact]") {
  auto generator = make_generator(41);
  for (const auto& widths :
       std::vector<std::vector<int64_t>>{{3, 1}, {2, 4, 1}, {3, 2, 3, 1}}) {
    auto net = mixed_sign_network(widths, 0.35, generator);
    auto data = random_examples(widths.front(), 5, generator);
    ExactCriterionOptions every_pattern;
    every_pattern.marginalise_last_layer = false;
    CHECK(
        relative_difference(
            dropout_criterion(net, data).item<double>(),
            dropout_criterion(net, data, every_pattern).item<double>()) <
        kExactTolerance);
  }
}
