// The fitting module against problems with closed-form minimisers: the
// deterministic full-batch fits (L-BFGS, Adam, projected Adam) and
// stochastic dropout SGD.

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "example_distribution.h"
#include "fit.h"
#include "test_support.h"
#include "weight_decay.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Solves the normal equations of a linear unit y ~ w.x + b whose criterion
// is E_P (w.x + b - y)^2 + w^T D w for a diagonal D, by least squares on
// the centred second moments. `penalty` holds the diagonal of D.
std::vector<double> linear_minimiser(
    const ExampleDistribution& data, const torch::Tensor& penalty) {
  auto mass = data.mass;
  auto mean_x = torch::matmul(mass, data.x);
  auto mean_y = torch::dot(mass, data.y);
  auto centred = data.x - mean_x;
  auto covariance = torch::matmul(centred.t() * mass, centred);
  auto cross = torch::matmul(centred.t() * mass, data.y - mean_y);
  auto w = torch::linalg_solve(covariance + torch::diag(penalty), cross);
  const double b = (mean_y - torch::dot(mean_x, w)).item<double>();
  std::vector<double> result(
      w.data_ptr<double>(), w.data_ptr<double>() + w.numel());
  result.push_back(b);
  return result;
}

void require_parameters_near(
    DropoutNet& net, const std::vector<double>& expected, double tolerance) {
  auto w = net->layer(1)->weight[0];
  for (int64_t k = 0; k < w.numel(); ++k) {
    CHECK(std::abs(w[k].item<double>() - expected[k]) < tolerance);
  }
  CHECK(
      std::abs(net->layer(1)->bias[0].item<double>() - expected.back()) <
      tolerance);
}

}  // namespace

TEST_CASE("fitting J2 of a linear unit gives ridge regression", "[fit]") {
  // With d = 1, J2 = E (w.x + b - y)^2 + (lambda/2) ||w||^2: ridge
  // regression with an unpenalised intercept, D = (lambda/2) I.
  auto generator = make_generator(3);
  auto data = random_examples(3, 8, generator);
  auto net = mixed_sign_network({3, 1}, 1.0, generator);
  const double lambda = 0.4;
  auto criterion = [&](DropoutNet& model) {
    return weight_decay_criterion(model, data, lambda);
  };
  const auto result = fit_criterion(net, criterion);
  CHECK(result.converged);
  CHECK(result.gradient_norm < 1e-7);
  require_parameters_near(
      net,
      linear_minimiser(data, torch::full({3}, lambda / 2, torch::kFloat64)),
      1e-6);
}

TEST_CASE("fitting exact JD of a linear unit", "[fit]") {
  // With d = 1, dropout on the inputs adds (q/p) sum_k w_k^2 E[x_k^2]:
  // ridge regression with D = (q/p) diag(E x^2).
  auto generator = make_generator(5);
  auto data = random_examples(3, 8, generator);
  const double p = 0.6;
  auto net = mixed_sign_network({3, 1}, p, generator);
  auto criterion = [&](DropoutNet& model) {
    return dropout_criterion(model, data);
  };
  const auto result = fit_criterion(net, criterion);
  INFO(
      "gradient norm " << result.gradient_norm << " after " << result.iterations
                       << " iterations");
  CHECK(result.converged);
  auto second_moment = torch::matmul(data.mass, data.x.square());
  require_parameters_near(
      net, linear_minimiser(data, (1 - p) / p * second_moment), 1e-6);
}

TEST_CASE("Adam with L-BFGS polish also gives ridge regression", "[fit]") {
  // The same smooth problem as above: the Adam method must end at the same
  // unique minimiser.
  auto generator = make_generator(7);
  auto data = random_examples(3, 8, generator);
  auto net = mixed_sign_network({3, 1}, 1.0, generator);
  const double lambda = 0.4;
  auto criterion = [&](DropoutNet& model) {
    return weight_decay_criterion(model, data, lambda);
  };
  FitOptions options;
  options.method = FitMethod::adam;
  options.adam_steps = 300;
  const auto result = fit_criterion(net, criterion, options);
  CHECK(result.converged);
  require_parameters_near(
      net,
      linear_minimiser(data, torch::full({3}, lambda / 2, torch::kFloat64)),
      1e-6);
}

TEST_CASE("a projected fit never leaves the non-negative set", "[fit][w-neg]") {
  // The criterion is evaluated at every iterate, so recording the most
  // negative weight at each call sees every point the fit visits. On
  // P(1,1) with K = 2 the unconstrained fit from the same start does use a
  // negative weight, so the projection has work to do.
  auto data = ones_pair(2);
  for (uint64_t seed : {11, 12, 13}) {
    auto generator = make_generator(seed);
    auto start = mixed_sign_network({2, 8, 1}, 0.5, generator);
    REQUIRE(most_negative_weight(start) < 0.0);

    double lowest_seen = 0.0;
    int64_t calls = 0;
    auto watched = [&](DropoutNet& model) {
      lowest_seen = std::min(lowest_seen, most_negative_weight(model));
      ++calls;
      return dropout_criterion(model, data);
    };
    FitOptions options;
    options.method = FitMethod::adam;
    options.adam_steps = 400;
    options.projection = project_nonnegative_weights;
    auto projected = clone_network(start);
    const auto result = fit_criterion(projected, watched, options);
    INFO("seed " << seed << ", " << calls << " evaluations");
    CHECK(calls > 100);
    CHECK(lowest_seen == 0.0);
    CHECK(most_negative_weight(projected) == 0.0);
    // Every non-negative network has JD >= 1/8 on P(1,1), K = 2.
    CHECK(result.criterion >= 0.125 - 1e-12);

    auto free = clone_network(start);
    options.projection = nullptr;
    options.polish = false;
    fit_criterion(free, watched, options);
    CHECK(most_negative_weight(free) < -1e-3);
  }
}

TEST_CASE("a projection with the L-BFGS method is refused", "[fit]") {
  auto generator = make_generator(2);
  auto net = mixed_sign_network({2, 1}, 0.5, generator);
  auto data = ones_pair(2);
  FitOptions options;
  options.projection = project_nonnegative_weights;
  CHECK_THROWS(fit_criterion(
      net,
      [&](DropoutNet& model) {
        return dropout_criterion(model, data);
      },
      options));
}

TEST_CASE("golden-section search finds a parabola's vertex", "[fit]") {
  // Without an offset the function values near the vertex stay resolvable,
  // so the search reaches its bracket tolerance. With the minimum value 1
  // added, values closer than sqrt(eps / 3) ~ 9e-9 to the vertex round to
  // the same double and the search can only promise that distance (here a
  // bound of 2 sqrt(eps / 3)).
  const double eps = std::numeric_limits<double>::epsilon();
  for (double vertex : {-0.7, 0.0, 0.3, 2.9}) {
    for (double offset : {0.0, 1.0}) {
      const double found = golden_section_minimum(
          [&](double t) {
            return 3.0 * (t - vertex) * (t - vertex) + offset;
          },
          -1.0,
          3.0,
          1e-10);
      const double bound =
          offset == 0.0 ? 1e-9 : 2.0 * std::sqrt(eps * offset / 3.0);
      INFO("vertex " << vertex << ", offset " << offset);
      CHECK(std::abs(found - vertex) < bound);
    }
  }
}

TEST_CASE(
    "dropout SGD on a linear unit approaches the exact-JD minimiser",
    "[fit][sgd]") {
  // With d = 1 and one input, on P(1,1): JD is ridge regression with
  // D = (q/p) E x^2 (see above), solved by the normal equations. SGD with
  // a decaying step ends in a neighbourhood of it whose size the step
  // size sets; 0.05 is a loose bound on it.
  auto data = ones_pair(1);
  const double p = 0.5;
  auto second_moment = torch::matmul(data.mass, data.x.square());
  const auto expected = linear_minimiser(data, (1 - p) / p * second_moment);
  for (uint64_t seed : {1, 2}) {
    auto generator = make_generator(seed);
    auto net = mixed_sign_network({1, 1}, p, generator);
    DropoutSgdOptions options;
    options.steps = 4000;
    options.learning_rate = 0.1;
    options.decay_steps = 400;
    const auto trained = train_dropout_sgd(net, data, options, generator);
    CHECK_FALSE(trained.diverged);
    CHECK(trained.steps == options.steps);
    require_parameters_near(net, expected, 0.05);
  }
}

TEST_CASE(
    "dropout SGD is reproducible and a projected run stays non-negative",
    "[fit][sgd]") {
  auto data = ones_pair(2);
  auto run = [&](uint64_t seed, bool projected) {
    auto generator = make_generator(seed);
    auto net = mixed_sign_network({2, 4, 1}, 0.5, generator);
    DropoutSgdOptions options;
    options.steps = 500;
    if (projected) {
      options.projection = project_nonnegative_weights;
    }
    train_dropout_sgd(net, data, options, generator);
    return net;
  };
  auto first = run(5, false);
  auto second = run(5, false);
  for (size_t i = 0; i < first->parameters().size(); ++i) {
    CHECK(torch::equal(first->parameters()[i], second->parameters()[i]));
  }
  CHECK(most_negative_weight(run(5, true)) == 0.0);
}
