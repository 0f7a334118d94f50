// The Lua Torch SGD rule and the training stream, step by step against values
// worked out by hand.

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "dropout_net.h"
#include "errors.h"
#include "lua_sgd.h"
#include "training_stream.h"

using namespace dropout_lab;

namespace {

// A one-element parameter with a fixed gradient, as LuaSgd sees it.
torch::Tensor scalar_parameter(double value) {
  auto tensor = torch::full({1}, value, torch::kFloat64).requires_grad_(true);
  tensor.mutable_grad() = torch::zeros({1}, torch::kFloat64);
  return tensor;
}

void set_gradient(torch::Tensor& parameter, double gradient) {
  parameter.mutable_grad().fill_(gradient);
}

double value_of(const torch::Tensor& parameter) {
  return parameter.item<double>();
}

}  // namespace

TEST_CASE("LuaSgd: two steps of decay, momentum and dampening", "[lua_sgd]") {
  LuaSgdOptions options;
  options.learning_rate = 0.1;
  options.learning_rate_decay = 0.5;
  options.momentum = 0.5;
  options.dampening = 0.5;
  options.weight_decay = 0.2;

  auto weight = scalar_parameter(1.0);
  auto bias = scalar_parameter(0.5);
  LuaSgd sgd({weight}, {bias}, options);

  // Step 0: step size 0.1 / (1 + 0 * 0.5) = 0.1.
  //   weight: g = 2 + 0.2 * 1 = 2.2, v = g = 2.2, w = 1 - 0.1 * 2.2 = 0.78
  //   bias (not decayed): g = v = 2, b = 0.5 - 0.1 * 2 = 0.3
  set_gradient(weight, 2.0);
  set_gradient(bias, 2.0);
  sgd.step();
  CHECK(value_of(weight) == Approx(0.78).epsilon(1e-15));
  CHECK(value_of(bias) == Approx(0.3).epsilon(1e-15));

  // Step 1: step size 0.1 / (1 + 1 * 0.5) = 1/15.
  //   weight: g = 2 + 0.2 * 0.78 = 2.156, v = 0.5 * 2.2 + 0.5 * 2.156 = 2.178,
  //           w = 0.78 - 2.178 / 15 = 0.6348
  //   bias:   g = 2, v = 0.5 * 2 + 0.5 * 2 = 2, b = 0.3 - 2 / 15
  set_gradient(weight, 2.0);
  set_gradient(bias, 2.0);
  sgd.step();
  CHECK(value_of(weight) == Approx(0.6348).epsilon(1e-14));
  CHECK(value_of(bias) == Approx(0.3 - 2.0 / 15.0).epsilon(1e-14));
  CHECK(sgd.steps_taken() == 2);
}

TEST_CASE("LuaSgd: biases decay only when asked", "[lua_sgd]") {
  LuaSgdOptions options;
  options.learning_rate = 0.1;
  options.learning_rate_decay = 0.5;
  options.weight_decay = 0.2;
  options.decay_biases = true;

  auto weight = scalar_parameter(1.0);
  auto bias = scalar_parameter(0.5);
  LuaSgd sgd({weight}, {bias}, options);

  // Step 0: g = 2 + 0.2 * 0.5 = 2.1, v = 2.1, b = 0.5 - 0.21 = 0.29.
  // Step 1: g = 2 + 0.2 * 0.29 = 2.058, v = 0.5 * 2.1 + 0.5 * 2.058 = 2.079,
  //         b = 0.29 - 2.079 / 15 = 0.1514.
  for (int step = 0; step < 2; ++step) {
    set_gradient(weight, 2.0);
    set_gradient(bias, 2.0);
    sgd.step();
  }
  CHECK(value_of(bias) == Approx(0.1514).epsilon(1e-14));
  CHECK(value_of(weight) == Approx(0.6348).epsilon(1e-14));
}

TEST_CASE("LuaSgd: without momentum the plain gradient moves", "[lua_sgd]") {
  LuaSgdOptions options;
  options.learning_rate = 0.1;
  options.learning_rate_decay = 1.0;
  options.momentum = 0.0;
  options.dampening = 0.0;

  auto weight = scalar_parameter(1.0);
  LuaSgd sgd({weight}, {}, options);

  // Step 0: w = 1 - 0.1 * 3 = 0.7; step 1: w = 0.7 - 0.05 * (-1) = 0.75.
  set_gradient(weight, 3.0);
  sgd.step();
  set_gradient(weight, -1.0);
  sgd.step();
  CHECK(value_of(weight) == Approx(0.75).epsilon(1e-15));
}

TEST_CASE("LuaSgd: settings out of range are rejected", "[lua_sgd]") {
  LuaSgdOptions options;
  options.momentum = 1.5;
  CHECK_THROWS_AS(validate_lua_sgd_options(options), InputError);
  options = {};
  options.learning_rate = std::nan("");
  CHECK_THROWS_AS(validate_lua_sgd_options(options), InputError);
  options = {};
  options.weight_decay = -0.1;
  CHECK_THROWS_AS(validate_lua_sgd_options(options), InputError);
  options = {};
  CHECK_NOTHROW(validate_lua_sgd_options(options));
}

TEST_CASE("one training step at keep probability 3/4, by hand", "[lua_sgd]") {
  // A 1-1-1 network, x = 2, W1 = 0.5, b1 = 0.1, W2 = 2, b2 = 0.3, p = 3/4,
  // both droppable units kept. Kept values are scaled by 1/p = 4/3 (an
  // inverted keep/drop probability would scale by 4):
  //   h0 = 2 * 4/3 = 8/3, z1 = 0.5 * 8/3 + 0.1 = 1.4333..,
  //   h1 = z1 * 4/3 = 1.9111.., D = 2 * h1 + 0.3 = 4.1222..
  const double p = 0.75;
  DropoutNet net(std::vector<int64_t>{1, 1, 1}, p);
  {
    torch::NoGradGuard no_grad;
    net->layer(1)->weight.fill_(0.5);
    net->layer(1)->bias.fill_(0.1);
    net->layer(2)->weight.fill_(2.0);
    net->layer(2)->bias.fill_(0.3);
  }
  const double h0 = 2.0 / p;
  const double z1 = 0.5 * h0 + 0.1;
  const double h1 = z1 / p;
  const double output = 2.0 * h1 + 0.3;

  auto x = torch::full({1, 1}, 2.0, torch::kFloat64);
  auto kept = torch::ones({1, 2}, torch::kFloat64);
  auto d = net->forward_with_mask(x, kept);
  CHECK(d.item<double>() == Approx(output).epsilon(1e-15));
  CHECK(output == Approx(4.12222222222222).epsilon(1e-12));

  // Squared loss against y = 1: dL/dD = 2 (D - 1). Gradients:
  //   dW2 = 2 (D - 1) h1, db2 = 2 (D - 1),
  //   dW1 = 2 (D - 1) W2 (1/p) h0, db1 = 2 (D - 1) W2 (1/p).
  const double r = 2.0 * (output - 1.0);
  auto loss = (d - 1.0).square().sum();
  loss.backward();
  CHECK(net->layer(2)->weight.grad().item<double>() == Approx(r * h1));
  CHECK(net->layer(1)->weight.grad().item<double>() == Approx(r * 2 / p * h0));

  // One Lua SGD step with the default settings: step size 0.01, v = g.
  LuaSgd sgd(
      {net->layer(1)->weight, net->layer(2)->weight},
      {net->layer(1)->bias, net->layer(2)->bias},
      LuaSgdOptions{});
  sgd.step();
  CHECK(
      net->layer(1)->weight.item<double>() ==
      Approx(0.5 - 0.01 * r * 2 / p * h0).epsilon(1e-14));
  CHECK(
      net->layer(2)->bias.item<double>() ==
      Approx(0.3 - 0.01 * r).epsilon(1e-14));

  // Dropping the hidden unit leaves only the output bias.
  auto hidden_dropped = torch::tensor({{1.0, 0.0}}, torch::kFloat64);
  CHECK(
      net->forward_with_mask(x, hidden_dropped).item<double>() ==
      Approx(net->layer(2)->bias.item<double>()).epsilon(1e-15));
}

TEST_CASE("training stream: patterns keep units at rate p", "[lua_sgd]") {
  // Over n units the kept fraction has standard error sqrt(p (1 - p) / n);
  // allow five of them.
  const TrainingStream stream(stream_key(3, 1, 2));
  for (double p : {0.5, 0.75, 0.2}) {
    const int64_t units = 7;
    const int64_t steps = 40000;
    std::vector<double> keep(units);
    double kept = 0.0;
    for (int64_t t = 0; t < steps; ++t) {
      stream.dropout_pattern(t, units, keep_threshold(p), keep.data());
      for (double k : keep) {
        REQUIRE((k == 0.0 || k == 1.0));
        kept += k;
      }
    }
    const double n = static_cast<double>(units * steps);
    const double tolerance = 5.0 * std::sqrt(p * (1 - p) / n);
    CHECK(std::abs(kept / n - p) < tolerance);
  }
  CHECK(keep_threshold(1.0) == (uint64_t{1} << 32));
}

TEST_CASE("training stream: every epoch is a permutation", "[lua_sgd]") {
  // Each example is visited once per epoch; over many epochs each position
  // holds each example about equally often (chi-square-like bound).
  const TrainingStream stream(stream_key(5, 0));
  const int64_t n = 6;
  const int64_t epochs = 6000;
  std::vector<int64_t> order(n);
  std::vector<std::vector<int64_t>> counts(n, std::vector<int64_t>(n, 0));
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    stream.epoch_order(epoch, n, order.data());
    std::vector<int> seen(n, 0);
    for (int64_t position = 0; position < n; ++position) {
      REQUIRE(order[position] >= 0);
      REQUIRE(order[position] < n);
      seen[order[position]] += 1;
      counts[position][order[position]] += 1;
    }
    for (int s : seen) {
      REQUIRE(s == 1);
    }
  }
  const double expected = static_cast<double>(epochs) / n;
  const double sd = std::sqrt(expected * (1.0 - 1.0 / n));
  for (const auto& row : counts) {
    for (auto count : row) {
      CHECK(std::abs(count - expected) < 5.0 * sd);
    }
  }
}
