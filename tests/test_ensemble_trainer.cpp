// The fast ensemble trainers against the per-model autograd reference: with
// the same random streams they must give the same parameters to rounding.

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "ensemble.h"
#include "ensemble_trainer.h"
#include "errors.h"
#include "risk.h"
#include "test_support.h"
#include "training_stream.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Nine models of the given widths mixing every setting a trainer branches
// on: dropout at 1/2 and 0.8, weight decay with and without biases, no
// momentum, and plain training.
Ensemble mixed_ensemble(
    const std::vector<int64_t>& widths, int64_t n_examples, uint64_t seed) {
  auto generator = make_generator(seed);
  const int64_t models = 9;
  Ensemble ensemble;
  ensemble.widths = widths;
  ensemble.inputs =
      torch::rand(
          {models, n_examples, widths.front()}, generator, torch::kFloat64) *
          2.0 -
      1.0;
  ensemble.labels =
      torch::rand({models, n_examples}, generator, torch::kFloat64) * 2.0 - 1.0;
  ensemble.parameters =
      default_linear_initialisation(widths, models, generator);
  for (int64_t i = 0; i < models; ++i) {
    ModelTraining training;
    training.stream_key = stream_key(seed, static_cast<uint64_t>(i));
    training.sgd.learning_rate = 0.05;
    training.sgd.learning_rate_decay = 1e-3;
    switch (i % 6) {
      case 0:
        training.keep_prob = 0.5;
        break;
      case 1:
        training.keep_prob = 0.8;
        training.sgd.weight_decay = 0.1;
        break;
      case 2:
        training.sgd.weight_decay = 0.5;
        break;
      case 3:
        training.sgd.weight_decay = 0.3;
        training.sgd.decay_biases = true;
        break;
      case 4:
        training.keep_prob = 0.75;
        training.sgd.momentum = 0.0;
        training.sgd.dampening = 0.0;
        break;
      default:
        break;
    }
    ensemble.training.push_back(training);
  }
  return ensemble;
}

TrainingOutcome train_with(
    const Ensemble& ensemble, TrainingBackend backend, int64_t steps) {
  TrainingOptions options;
  options.steps = steps;
  options.backend = backend;
  return train_ensemble(ensemble, options);
}

// max |a - b| / max(1, |b|) over all entries.
double largest_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs() / b.abs().clamp_min(1.0)).max().item<double>();
}

}  // namespace

TEST_CASE(
    "cpu-loop and batched-tensor trainers match the per-model reference",
    "[ensemble]") {
  // Tolerance 1e-10 relative: the three add the same terms in different
  // orders, so only rounding separates them, and a few hundred steps of
  // SGD amplify it modestly.
  const auto widths = GENERATE(
      std::vector<int64_t>{5, 5, 1},
      std::vector<int64_t>{3, 4, 2, 1},
      std::vector<int64_t>{2, 3, 1});
  const auto ensemble = mixed_ensemble(widths, 7, 11);
  const int64_t steps = 300;

  const auto reference =
      train_with(ensemble, TrainingBackend::per_model, steps);
  const auto loop = train_with(ensemble, TrainingBackend::cpu_loop, steps);
  const auto batched =
      train_with(ensemble, TrainingBackend::batched_tensors, steps);

  for (int64_t i = 0; i < ensemble.size(); ++i) {
    REQUIRE(reference.diverged_at[i] == -1);
  }
  CHECK(largest_difference(loop.parameters, reference.parameters) < 1e-10);
  CHECK(largest_difference(batched.parameters, reference.parameters) < 1e-10);
  CHECK(loop.model_steps == ensemble.size() * steps);
  CHECK(batched.model_steps == ensemble.size() * steps);
  CHECK(reference.model_steps == ensemble.size() * steps);

  // Training moved every model.
  const auto moved = (reference.parameters - ensemble.parameters).abs().amax(1);
  CHECK(moved.min().item<double>() > 1e-3);
}

TEST_CASE("training lowers the risk without dropout", "[ensemble]") {
  // An independent sanity check of the gradient's sign and size: plain SGD
  // on 4 examples with a 2-8-1 network fits them far better than at the
  // start.
  auto ensemble = mixed_ensemble({2, 8, 1}, 4, 5);
  for (auto& training : ensemble.training) {
    training = ModelTraining{};
    training.sgd.learning_rate = 0.05;
  }
  const auto outcome = train_with(ensemble, TrainingBackend::cpu_loop, 4000);
  for (int64_t i = 0; i < ensemble.size(); ++i) {
    auto before =
        network_from_flat(ensemble.widths, ensemble.parameters[i], 1.0);
    auto after = network_from_flat(ensemble.widths, outcome.parameters[i], 1.0);
    auto data = uniform_distribution(ensemble.inputs[i], ensemble.labels[i]);
    const double risk_before = risk(before, data).item<double>();
    const double risk_after = risk(after, data).item<double>();
    CHECK(risk_after < 0.2 * risk_before);
  }
}

TEST_CASE(
    "divergence is detected at the same step by every trainer", "[ensemble]") {
  auto ensemble = mixed_ensemble({3, 4, 1}, 5, 23);
  // Model 2 gets a step size that makes SGD blow up; the others stay sane.
  ensemble.training[2].sgd.learning_rate = 3.0;
  ensemble.training[2].sgd.learning_rate_decay = 0.0;
  ensemble.inputs[2].mul_(4.0);
  const int64_t steps = 200;

  const auto reference =
      train_with(ensemble, TrainingBackend::per_model, steps);
  const auto loop = train_with(ensemble, TrainingBackend::cpu_loop, steps);
  const auto batched =
      train_with(ensemble, TrainingBackend::batched_tensors, steps);

  REQUIRE(reference.diverged_at[2] > 0);
  CHECK(reference.diverged_at[2] < steps);
  CHECK(loop.diverged_at == reference.diverged_at);
  CHECK(batched.diverged_at == reference.diverged_at);
  CHECK(
      reference.model_steps ==
      (ensemble.size() - 1) * steps + reference.diverged_at[2]);
  CHECK(loop.model_steps == reference.model_steps);
  CHECK(batched.model_steps == reference.model_steps);

  // Frozen before the diverging step: finite, and the same everywhere.
  CHECK(torch::isfinite(loop.parameters).all().item<bool>());
  CHECK(torch::isfinite(batched.parameters).all().item<bool>());
  CHECK(largest_difference(loop.parameters, reference.parameters) < 1e-10);
  CHECK(largest_difference(batched.parameters, reference.parameters) < 1e-10);
}

TEST_CASE("zero steps return the initial parameters", "[ensemble]") {
  const auto ensemble = mixed_ensemble({2, 2, 1}, 3, 1);
  for (auto backend :
       {TrainingBackend::cpu_loop,
        TrainingBackend::batched_tensors,
        TrainingBackend::per_model}) {
    const auto outcome = train_with(ensemble, backend, 0);
    CHECK(torch::equal(outcome.parameters, ensemble.parameters));
    CHECK(outcome.model_steps == 0);
  }
}

TEST_CASE("inconsistent ensembles are rejected", "[ensemble]") {
  const auto good = mixed_ensemble({3, 2, 1}, 4, 2);
  TrainingOptions options;
  options.steps = 1;

  auto bad = good;
  bad.training[0].keep_prob = 0.0;
  CHECK_THROWS_AS(train_ensemble(bad, options), InputError);
  bad = good;
  bad.training[1].keep_prob = std::nan("");
  CHECK_THROWS_AS(train_ensemble(bad, options), InputError);
  bad = good;
  bad.training[1].sgd.learning_rate = -1.0;
  CHECK_THROWS_AS(train_ensemble(bad, options), InputError);
  bad = good;
  bad.labels = good.labels.narrow(1, 0, 3);
  CHECK_THROWS_AS(train_ensemble(bad, options), InputError);
  bad = good;
  bad.parameters = good.parameters.narrow(1, 0, 5);
  CHECK_THROWS_AS(train_ensemble(bad, options), InputError);
  bad = good;
  bad.inputs = good.inputs.clone();
  bad.inputs[0][0][0] = std::nan("");
  CHECK_THROWS_AS(train_ensemble(bad, options), InputError);
  bad = good;
  bad.training.pop_back();
  CHECK_THROWS_AS(train_ensemble(bad, options), InputError);

  options.steps = -1;
  CHECK_THROWS_AS(train_ensemble(good, options), InputError);
  CHECK_THROWS_AS(parse_backend("gpu-magic"), InputError);
  CHECK(parse_backend("cpu-loop") == TrainingBackend::cpu_loop);
}

TEST_CASE("flat parameters round-trip through a network", "[ensemble]") {
  auto generator = make_generator(8);
  auto net = mixed_sign_network({3, 4, 2, 1}, 0.5, generator);
  const auto flat = flatten_parameters(net);
  REQUIRE(flat.size(0) == flat_parameter_count({3, 4, 2, 1}));
  auto rebuilt = network_from_flat({3, 4, 2, 1}, flat, 0.5);
  CHECK(torch::equal(flatten_parameters(rebuilt), flat));
  // The layout is layer by layer, weights row-major before biases.
  CHECK(flat[5].item<double>() == net->layer(1)->weight[1][2].item<double>());
  CHECK(flat[12].item<double>() == net->layer(1)->bias[0].item<double>());
}

TEST_CASE(
    "default initialisation is uniform within 1/sqrt(fan-in)", "[ensemble]") {
  const std::vector<int64_t> widths{5, 5, 1};
  auto parameters =
      default_linear_initialisation(widths, 2000, make_generator(3));
  const double bound = 1.0 / std::sqrt(5.0);
  CHECK(parameters.abs().max().item<double>() <= bound);
  // A uniform on [-b, b] has variance b^2 / 3; 2000 * 36 draws estimate it
  // to about 0.5%.
  const double variance = parameters.square().mean().item<double>();
  CHECK(variance == Approx(bound * bound / 3.0).epsilon(0.02));
}

TEST_CASE("results do not depend on the number of threads", "[ensemble]") {
  const auto ensemble = mixed_ensemble({4, 3, 1}, 5, 31);
  TrainingOptions options;
  options.steps = 200;
  options.backend = TrainingBackend::cpu_loop;
  options.threads = 1;
  const auto one = train_ensemble(ensemble, options);
  options.threads = 4;
  const auto four = train_ensemble(ensemble, options);
  CHECK(torch::equal(one.parameters, four.parameters));
  options.backend = TrainingBackend::batched_tensors;
  options.threads = 3;
  const auto batched = train_ensemble(ensemble, options);
  CHECK(largest_difference(batched.parameters, one.parameters) < 1e-10);
}
