// The criteria on a GPU agree with the CPU.

#include <catch2/catch.hpp>

#include "dropout_pattern.h"
#include "ensemble_trainer.h"
#include "exact_dropout_criterion.h"
#include "figure2_protocol.h"
#include "monte_carlo_dropout_criterion.h"
#include "risk.h"
#include "test_support.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

TEST_CASE("exact criterion on CUDA equals the CPU value", "[cuda]") {
  auto generator = make_generator(17);
  auto net = mixed_sign_network({4, 3, 3, 1}, 0.4, generator);
  auto data = random_examples(4, 6, generator);
  const double cpu = dropout_criterion(net, data).item<double>();
  const double cpu_risk = risk(net, data).item<double>();

  net->to(torch::kCUDA);
  auto gpu_data = data.to(
      torch::TensorOptions().dtype(torch::kFloat64).device(torch::kCUDA));
  CHECK(
      dropout_criterion(net, gpu_data).item<double>() ==
      Approx(cpu).epsilon(1e-12));
  CHECK(risk(net, gpu_data).item<double>() == Approx(cpu_risk).epsilon(1e-12));
}

TEST_CASE("Monte Carlo with one seed agrees across devices", "[cuda]") {
  // Patterns are drawn on the CPU, so the same seed gives the same samples.
  auto generator = make_generator(4);
  auto net = mixed_sign_network({3, 4, 2, 1}, 0.5, generator);
  auto data = random_examples(3, 5, generator);
  MonteCarloOptions options;
  options.samples = 5000;
  auto cpu =
      dropout_criterion_monte_carlo(net, data, make_generator(9), options);
  net->to(torch::kCUDA);
  auto gpu = dropout_criterion_monte_carlo(
      net,
      data.to(
          torch::TensorOptions().dtype(torch::kFloat64).device(torch::kCUDA)),
      make_generator(9),
      options);
  CHECK(gpu.mean == Approx(cpu.mean).epsilon(1e-12));
  CHECK(gpu.stderr_ == Approx(cpu.stderr_).epsilon(1e-9));
}

TEST_CASE("batched ensemble training on CUDA matches the CPU loop", "[cuda]") {
  // The figure2 protocol with two runs (30 trainings mixing dropout, weight
  // decay and neither), 500 steps; the same random streams drive both.
  Figure2Options protocol;
  protocol.runs = 2;
  protocol.seed = 7;
  const auto ensemble = figure2_ensemble(protocol);
  TrainingOptions options;
  options.steps = 500;
  options.backend = TrainingBackend::cpu_loop;
  const auto cpu = train_ensemble(ensemble, options);
  options.backend = TrainingBackend::batched_tensors;
  options.device = torch::kCUDA;
  const auto gpu = train_ensemble(ensemble, options);
  CHECK(gpu.diverged_at == cpu.diverged_at);
  CHECK(gpu.model_steps == cpu.model_steps);
  CHECK(
      ((gpu.parameters - cpu.parameters).abs() /
       cpu.parameters.abs().clamp_min(1.0))
          .max()
          .item<double>() < 1e-10);
}
