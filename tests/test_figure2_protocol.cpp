// The figure2 protocol: how its ensemble is laid out, and how its summaries
// treat diverged trainings.

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "errors.h"
#include "figure2_protocol.h"

using namespace dropout_lab;

TEST_CASE("figure2 ensemble: scales, labels, shared starts", "[figure2]") {
  Figure2Options options;
  options.runs = 3;
  options.scales = {0.5, 1.0, 2.0};
  const auto ensemble = figure2_ensemble(options);
  const int64_t n_scales = 3;
  const int64_t n_variants = 3;
  REQUIRE(ensemble.size() == options.runs * n_scales * n_variants);
  REQUIRE(ensemble.widths == std::vector<int64_t>{5, 5, 1});

  for (int64_t run = 0; run < options.runs; ++run) {
    const int64_t base = run * n_scales * n_variants;
    // Scale 1.0 is index 1: its inputs are the run's raw inputs.
    const auto raw = ensemble.inputs[base + n_variants];
    CHECK(raw.abs().max().item<double>() <= 1.0);
    CHECK(torch::equal(ensemble.labels[base], torch::sign(raw).prod(1)));
    for (int64_t s = 0; s < n_scales; ++s) {
      for (int64_t v = 0; v < n_variants; ++v) {
        const int64_t i = base + s * n_variants + v;
        CHECK(torch::allclose(
            ensemble.inputs[i], raw * options.scales[s], 0.0, 0.0));
        CHECK(torch::equal(ensemble.parameters[i], ensemble.parameters[base]));
        CHECK(
            ensemble.training[i].stream_key ==
            ensemble.training[base].stream_key);
      }
      const auto& dropout = ensemble.training[base + s * n_variants];
      const auto& decay = ensemble.training[base + s * n_variants + 1];
      const auto& none = ensemble.training[base + s * n_variants + 2];
      CHECK(dropout.keep_prob == 0.5);
      CHECK(dropout.sgd.weight_decay == 0.0);
      CHECK(decay.keep_prob == 1.0);
      CHECK(decay.sgd.weight_decay == 0.5);
      CHECK(none.keep_prob == 1.0);
      CHECK(none.sgd.weight_decay == 0.0);
    }
  }
  // Different runs start from different networks and streams.
  CHECK_FALSE(torch::equal(
      ensemble.parameters[0], ensemble.parameters[n_scales * n_variants]));
  CHECK(
      ensemble.training[0].stream_key !=
      ensemble.training[n_scales * n_variants].stream_key);
}

TEST_CASE("figure2 ensemble: the same seed, the same data", "[figure2]") {
  Figure2Options options;
  options.runs = 2;
  const auto first = figure2_ensemble(options);
  const auto again = figure2_ensemble(options);
  CHECK(torch::equal(first.inputs, again.inputs));
  CHECK(torch::equal(first.parameters, again.parameters));
  options.seed = 2;
  const auto other = figure2_ensemble(options);
  CHECK_FALSE(torch::equal(first.inputs, other.inputs));
}

TEST_CASE("figure2 summaries leave diverged runs out", "[figure2]") {
  Figure2Options options;
  options.scales = {1.0};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Figure2Training> trainings{
      {0, 1.0, "dropout", 0.2, 0.3, 1.0, -1},
      {1, 1.0, "dropout", 0.4, 0.5, 3.0, -1},
      {2, 1.0, "dropout", nan, nan, nan, 17},
      {0, 1.0, "none", 0.1, 0.9, 2.0, -1},
  };
  const auto summaries = summarise_figure2(options, trainings);
  REQUIRE(summaries.size() == 3);
  const auto& dropout = summaries[0];
  CHECK(dropout.variant == "dropout");
  CHECK(dropout.trained == 2);
  CHECK(dropout.diverged == 1);
  // Mean 0.3; sample standard deviation sqrt(0.02) = 0.1414..; standard
  // error 0.1414.. / sqrt(2) = 0.1.
  CHECK(dropout.mean_risk == Approx(0.3).epsilon(1e-14));
  CHECK(dropout.stderr_risk == Approx(0.1).epsilon(1e-12));
  CHECK(dropout.mean_l2_penalty == Approx(2.0).epsilon(1e-14));
  CHECK(dropout.stderr_l2_penalty == Approx(1.0).epsilon(1e-12));
  // No weight-decay trainings at all, and one plain one: no error bar.
  CHECK(summaries[1].trained == 0);
  CHECK(std::isnan(summaries[1].mean_risk));
  CHECK(summaries[2].trained == 1);
  CHECK(summaries[2].mean_risk == Approx(0.1));
  CHECK(std::isnan(summaries[2].stderr_risk));
}

TEST_CASE("figure2 options out of range are rejected", "[figure2]") {
  Figure2Options options;
  options.scales = {};
  CHECK_THROWS_AS(validate_figure2_options(options), InputError);
  options = {};
  options.scales = {1.0, 1.0};
  CHECK_THROWS_AS(validate_figure2_options(options), InputError);
  options = {};
  options.keep_prob = 0.0;
  CHECK_THROWS_AS(validate_figure2_options(options), InputError);
  options = {};
  options.depth = 0;
  CHECK_THROWS_AS(validate_figure2_options(options), InputError);
  options = {};
  options.steps = -5;
  CHECK_THROWS_AS(validate_figure2_options(options), InputError);
  options = {};
  CHECK_NOTHROW(validate_figure2_options(options));
}

TEST_CASE("a deeper protocol trains and is evaluated", "[figure2]") {
  // Depth 3 with keep probability 0.8: every training is evaluated, with
  // finite values.
  Figure2Options options;
  options.runs = 2;
  options.depth = 3;
  options.width = 4;
  options.keep_prob = 0.8;
  options.steps = 3000;
  options.scales = {1.0};
  const auto result = run_figure2(options);
  REQUIRE(result.trainings.size() == 6);
  for (const auto& training : result.trainings) {
    CHECK(training.diverged_at == -1);
    CHECK(std::isfinite(training.risk));
    CHECK(std::isfinite(training.dropout_criterion));
    CHECK(std::isfinite(training.l2_penalty));
  }
  CHECK(result.model_steps == 6 * 3000);
}
