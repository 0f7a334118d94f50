// The first-one gadget and W_neg against exact enumeration.

#include <cmath>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "w_neg_network.h"
#include "zero_embedding.h"

using namespace dropout_lab;

TEST_CASE(
    "first-one gadget: exactly one unit fires on every non-zero 0/1 input",
    "[constructions][w-neg]") {
  for (int64_t k = 1; k <= 8; ++k) {
    auto gadget = first_one_gadget(k);
    auto inputs =
        enumerate_patterns(1, (int64_t{1} << k) - 1, k, torch::kFloat64);
    auto active = torch::relu(torch::matmul(inputs, gadget.t()));
    // Bit j of pattern i is input j; the first 1 is the lowest set bit.
    for (int64_t i = 0; i < inputs.size(0); ++i) {
      const auto index = i + 1;
      const auto first = static_cast<int64_t>(__builtin_ctzll(index));
      CHECK((active[i] > 0).sum().item<int64_t>() == 1);
      CHECK(active[i][first].item<double>() == 1.0);
    }
  }
}

TEST_CASE(
    "W_neg: closed-form JD and output weight equal exact enumeration",
    "[constructions][w-neg]") {
  for (int64_t k : {1, 2, 3}) {
    for (int64_t copies : {1, 2}) {
      for (int64_t depth : {2, 3}) {
        for (double p : {0.5, 0.3, 0.8}) {
          for (double b : {0.0, 0.2}) {
            const int64_t n = k * copies;
            const double c = w_neg_output_weight(k, n, depth, p, b);
            auto net = w_neg_network(k, n, depth, c, b, p);
            auto pair = ones_pair(k);
            const double exact = dropout_criterion(net, pair).item<double>();
            INFO(fmt::format(
                "K = {}, n = {}, d = {}, p = {}, b = {}", k, n, depth, p, b));
            CHECK(
                std::abs(exact - w_neg_dropout_criterion(k, n, depth, p, b)) <
                1e-12 * exact);

            // c minimises JD along the output weights: JD is a parabola in c
            // and its slope vanishes there.
            const double h = 1e-3 * c;
            auto above = w_neg_network(k, n, depth, c + h, b, p);
            auto below = w_neg_network(k, n, depth, c - h, b, p);
            const double slope =
                (dropout_criterion(above, pair).item<double>() -
                 dropout_criterion(below, pair).item<double>()) /
                (2 * h);
            CHECK(std::abs(slope) < 1e-9);
          }
        }
      }
    }
  }
}

TEST_CASE(
    "W_neg with output bias 1/5 tends to JD = 1/10 for K = 2",
    "[constructions][w-neg]") {
  double previous = INFINITY;
  for (int64_t n : {2, 20, 200, 2000000}) {
    const double jd = w_neg_dropout_criterion(2, n, 2, 0.5, 0.2);
    CHECK(jd < previous);
    previous = jd;
  }
  CHECK(std::abs(previous - 0.1) < 1e-6);
}

TEST_CASE(
    "W_neg at p = 1/2 matches the stated formula", "[constructions][w-neg]") {
  for (int64_t k : {2, 5}) {
    for (int64_t depth : {2, 4}) {
      const int64_t n = 3 * k;
      const double expected =
          0.5 *
          (1.0 - (1.0 - std::pow(2.0, -static_cast<double>(k))) /
                     ((1.0 + static_cast<double>(k) / n) *
                      std::pow(1.0 + 1.0 / n, static_cast<double>(depth - 2))));
      CHECK(
          w_neg_dropout_criterion(k, n, depth, 0.5) ==
          Approx(expected).epsilon(1e-14));
    }
  }
}

TEST_CASE(
    "W_neg on zero-embeddings: closed form equals exact enumeration",
    "[constructions][w-neg]") {
  // The closed form does not depend on which pairs carry the mass, nor on
  // how it is split among them.
  const std::vector<ExampleDistribution> embeddings{
      all_pairs_zero_embedding(3),
      all_pairs_zero_embedding(4),
      zero_embedding(5, {{0, 4}, {2, 3}, {1, 2}}, {0.5, 2.0, 1.0})};
  for (const auto& data : embeddings) {
    const int64_t k = data.input_dim();
    for (int64_t copies : {1, 3}) {
      for (int64_t depth : {2, 3}) {
        for (double p : {0.5, 0.7}) {
          for (double b : {0.0, 0.2}) {
            const int64_t n = k * copies;
            if (depth == 3 && n > 10) {
              continue;
            }
            const double c = w_neg_output_weight(k, n, depth, p, b);
            auto net = w_neg_network(k, n, depth, c, b, p);
            const double exact = dropout_criterion(net, data).item<double>();
            INFO(fmt::format(
                "K = {}, n = {}, d = {}, p = {}, b = {}", k, n, depth, p, b));
            CHECK(
                std::abs(
                    exact - w_neg_zero_embedding_criterion(k, n, depth, p, b)) <
                1e-12 * exact);
          }
        }
      }
    }
  }
  // K = 2 has the one pair: the zero-embedding criterion is P(1,1)'s.
  CHECK(
      w_neg_zero_embedding_criterion(2, 6, 3, 0.5, 0.2) ==
      Approx(w_neg_dropout_criterion(2, 6, 3, 0.5, 0.2)).epsilon(1e-15));
}
