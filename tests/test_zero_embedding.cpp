// Zero-embeddings (spec R7): mass 1/2 on the zero vector, the rest on
// two-hot examples labelled 1.

#include <catch2/catch.hpp>

#include "errors.h"
#include "zero_embedding.h"

using namespace dropout_lab;

TEST_CASE(
    "zero-embedding: two-hot rows, label 1, half the mass on zero",
    "[data][zero-embedding]") {
  auto data = zero_embedding(4, {{0, 1}, {3, 2}}, {1.0, 3.0});
  REQUIRE(data.size() == 3);
  REQUIRE(data.input_dim() == 4);
  CHECK(data.x.sum(1).equal(torch::tensor({2.0, 2.0, 0.0}, torch::kFloat64)));
  CHECK(data.x[1][2].item<double>() == 1.0);
  CHECK(data.x[1][3].item<double>() == 1.0);
  CHECK(data.y.equal(torch::tensor({1.0, 1.0, 0.0}, torch::kFloat64)));
  CHECK(data.mass[0].item<double>() == Approx(0.125).epsilon(1e-15));
  CHECK(data.mass[1].item<double>() == Approx(0.375).epsilon(1e-15));
  CHECK(data.mass[2].item<double>() == Approx(0.5).epsilon(1e-15));
}

TEST_CASE(
    "zero-embedding: all pairs of K inputs, and P(1,1) for K = 2",
    "[data][zero-embedding]") {
  auto all = all_pairs_zero_embedding(4);
  CHECK(all.size() == 7);
  CHECK(all.mass.narrow(0, 0, 6).sum().item<double>() == Approx(0.5));
  auto pair = all_pairs_zero_embedding(2);
  auto ones = ones_pair(2);
  CHECK(pair.x.equal(ones.x));
  CHECK(pair.y.equal(ones.y));
  CHECK(pair.mass.equal(ones.mass));
}

TEST_CASE(
    "zero-embedding: bad pairs are input errors", "[data][zero-embedding]") {
  CHECK_THROWS_AS(zero_embedding(3, {{0, 0}}), InputError);
  CHECK_THROWS_AS(zero_embedding(3, {{0, 3}}), InputError);
  CHECK_THROWS_AS(zero_embedding(3, {{-1, 2}}), InputError);
  CHECK_THROWS_AS(zero_embedding(3, {{0, 1}, {1, 0}}), InputError);
  CHECK_THROWS_AS(zero_embedding(3, {}), InputError);
  CHECK_THROWS_AS(zero_embedding(3, {{0, 1}}, {1.0, 2.0}), InputError);
  CHECK_THROWS_AS(zero_embedding(3, {{0, 1}, {0, 2}}, {1.0, -2.0}), InputError);
  CHECK_THROWS_AS(all_pairs_zero_embedding(1), InputError);
}
