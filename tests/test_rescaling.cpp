// The rescalings of theorems 4-6 (spec R2-R4): pattern by pattern,
// D(W', x', R) = (prod c) D(W, x, R) on random networks; maps that are not
// invariances (a negative factor, centred inputs) change JD; the canonical
// form keeps JD and R and never raises the L2 norm.

#include <cmath>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "brute_force_dropout_criterion.h"
#include "canonical_form.h"
#include "dropout_pattern.h"
#include "exact_dropout_criterion.h"
#include "invariance_check.h"
#include "network_parameters.h"
#include "random_network.h"
#include "rescaling.h"
#include "risk.h"
#include "test_support.h"
#include "weight_decay.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Relative agreement asked of two float64 evaluations of the same value.
constexpr double kExactTolerance = 1e-12;

const std::vector<std::vector<int64_t>> kArchitectures{
    {3, 1},
    {2, 3, 1},
    {4, 2, 1},
    {2, 2, 3, 1},
    {3, 1, 2, 1},
    {2, 3, 2, 2, 1},
};
const std::vector<double> kKeepProbs{0.5, 0.2, 0.8, 1.0};

// max over every pattern and example of |D(W', x', R) - f D(W, x, R)|,
// divided by max |f D|.
double pattern_difference(
    DropoutNet& net,
    const ExampleDistribution& data,
    DropoutNet& mapped,
    const ExampleDistribution& mapped_data,
    double factor) {
  torch::NoGradGuard no_grad;
  const int64_t n_units = net->n_droppable_units();
  auto patterns = enumerate_patterns(
      0, int64_t{1} << n_units, n_units, torch::dtype(torch::kFloat64));
  auto expected = net->forward_with_patterns(data.x, patterns) * factor;
  auto measured = mapped->forward_with_patterns(mapped_data.x, patterns);
  return (measured - expected).abs().max().item<double>() /
         expected.abs().max().item<double>();
}

double exact_criterion(DropoutNet& net, const ExampleDistribution& data) {
  torch::NoGradGuard no_grad;
  return dropout_criterion(net, data).item<double>();
}

}  // namespace

TEST_CASE(
    "input rescaling keeps D for every pattern, whatever the signs",
    "[rescaling]") {
  auto generator = make_generator(41);
  for (const auto& widths : kArchitectures) {
    for (double p : kKeepProbs) {
      auto net = mixed_sign_network(widths, p, generator);
      auto data = random_examples(widths.front(), 4, generator);
      auto scale = uniform_values(widths.front(), 0.2, 5.0, generator);
      scale[0] = -scale[0];
      auto mapped = rescale_inputs(net, scale);
      auto mapped_data = scale_inputs(data, scale);
      INFO(fmt::format("widths {} p {}", fmt::join(widths, ","), p));
      CHECK(
          pattern_difference(net, data, mapped, mapped_data, 1.0) <
          kExactTolerance);
    }
  }
}

TEST_CASE(
    "layer-wise rescaling multiplies D by the product of the factors",
    "[rescaling]") {
  auto generator = make_generator(42);
  for (const auto& widths : kArchitectures) {
    for (double p : kKeepProbs) {
      auto net = mixed_sign_network(widths, p, generator);
      auto data = random_examples(widths.front(), 4, generator);
      const auto factors = uniform_values(
          static_cast<int64_t>(widths.size()) - 1, 0.2, 5.0, generator);
      double product = 1.0;
      for (double c : factors) {
        product *= c;
      }
      auto mapped = rescale_layers(net, factors);
      INFO(fmt::format("widths {} p {}", fmt::join(widths, ","), p));
      CHECK(pattern_difference(net, data, mapped, data, product) < 1e-12);

      // With labels times prod c, JD is multiplied by (prod c)^2; checked
      // against the brute-force loop, which shares no code with the
      // batched criterion.
      auto labelled = scale_labels(data, product);
      CHECK(
          relative_difference(
              exact_criterion(mapped, labelled),
              product * product *
                  brute_force_dropout_criterion(parameters_of(net), data)) <
          kExactTolerance);
    }
  }
}

TEST_CASE(
    "node-wise rescaling of any hidden unit keeps D for every pattern",
    "[rescaling]") {
  auto generator = make_generator(43);
  for (const auto& widths : kArchitectures) {
    if (widths.size() < 3) {
      continue;
    }
    for (double p : kKeepProbs) {
      auto net = mixed_sign_network(widths, p, generator);
      auto data = random_examples(widths.front(), 4, generator);
      for (size_t l = 1; l + 1 < widths.size(); ++l) {
        for (int64_t j = 0; j < widths[l]; ++j) {
          const double c = uniform_values(1, 0.2, 5.0, generator).front();
          auto mapped = rescale_unit(net, static_cast<int64_t>(l), j, c);
          INFO(fmt::format(
              "widths {} p {} layer {} unit {}",
              fmt::join(widths, ","),
              p,
              l,
              j));
          CHECK(
              pattern_difference(net, data, mapped, data, 1.0) <
              kExactTolerance);
        }
      }
    }
  }
}

TEST_CASE(
    "output rescaling multiplies D by c and JD by c^2 on scaled labels",
    "[rescaling]") {
  auto generator = make_generator(44);
  for (const auto& widths : kArchitectures) {
    for (double p : kKeepProbs) {
      auto net = mixed_sign_network(widths, p, generator);
      auto data = random_examples(widths.front(), 4, generator);
      const double c = uniform_values(1, 0.2, 5.0, generator).front();
      auto mapped = rescale_output(net, c);
      CHECK(pattern_difference(net, data, mapped, data, c) < kExactTolerance);
      CHECK(
          relative_difference(
              exact_criterion(mapped, scale_labels(data, c)),
              c * c * exact_criterion(net, data)) < kExactTolerance);
    }
  }
}

TEST_CASE("rescalings leave their input network untouched", "[rescaling]") {
  auto generator = make_generator(45);
  auto net = mixed_sign_network({2, 3, 2, 1}, 0.5, generator);
  const auto before = parameters_of(net);
  rescale_inputs(net, {2.0, -3.0});
  rescale_layers(net, {2.0, 3.0, 4.0});
  rescale_unit(net, 2, 1, 5.0);
  rescale_output(net, 6.0);
  shift_inputs(net, {1.0, 1.0});
  const auto after = parameters_of(net);
  for (size_t l = 0; l < before.layers.size(); ++l) {
    CHECK(before.layers[l].weight == after.layers[l].weight);
    CHECK(before.layers[l].bias == after.layers[l].bias);
  }
}

TEST_CASE(
    "a negative factor and centred inputs are detected as non-invariances",
    "[rescaling]") {
  // Both maps keep something (the product of the factors is 1; centring
  // keeps the plain output and so R) but change D under some pattern.
  auto generator = make_generator(46);
  auto net = mixed_sign_network({3, 4, 1}, 0.5, generator);
  auto data = random_examples(3, 6, generator);
  const double criterion = exact_criterion(net, data);

  auto negative = rescale_layers(net, {-2.0, -0.5});
  CHECK(relative_difference(exact_criterion(negative, data), criterion) > 1e-3);
  auto negative_unit = rescale_unit(net, 1, 0, -1.5);
  CHECK(
      relative_difference(exact_criterion(negative_unit, data), criterion) >
      1e-3);

  std::vector<double> shift{0.7, -0.4, 0.3};
  auto shifted = shift_inputs(net, shift);
  auto shifted_data = shift_input_values(data, shift);
  torch::NoGradGuard no_grad;
  CHECK(
      relative_difference(
          risk(shifted, shifted_data).item<double>(),
          risk(net, data).item<double>()) < kExactTolerance);
  CHECK(
      relative_difference(exact_criterion(shifted, shifted_data), criterion) >
      1e-3);
}

TEST_CASE(
    "check_invariance passes the four invariances and fails the others",
    "[rescaling][invariance]") {
  auto generator = make_generator(47);
  auto net = mixed_sign_network({3, 3, 2, 1}, 0.6, generator);
  auto data = random_examples(3, 5, generator);
  InvarianceOptions options;
  options.kinds = rescaling_kinds();
  options.trials = 4;
  const auto report = check_invariance(net, data, generator, options);
  REQUIRE(report.kinds.size() == rescaling_kinds().size());
  CHECK(report.enumerated);
  CHECK(report.patterns == 256);
  for (const auto& kind : report.kinds) {
    INFO(fmt::format(
        "{}: output {} JD {} penalty {} risk {}",
        kind.kind,
        kind.output_difference,
        kind.criterion_difference,
        kind.penalty_difference,
        kind.risk_difference));
    CHECK(kind.holds == kind.expected_invariant);
    if (kind.expected_invariant) {
      CHECK(kind.output_difference < kExactTolerance);
      CHECK(kind.criterion_difference < kExactTolerance);
    } else {
      CHECK(kind.criterion_difference > 1e-6);
    }
  }
  CHECK_FALSE(report.all_hold());
}

TEST_CASE(
    "check_invariance samples a fixed set of patterns beyond its limit",
    "[rescaling][invariance]") {
  auto generator = make_generator(48);
  auto net = mixed_sign_network({6, 5, 1}, 0.5, generator);
  auto data = random_examples(6, 3, generator);
  InvarianceOptions options;
  options.pattern_limit = 100;
  options.trials = 2;
  const auto report = check_invariance(net, data, generator, options);
  CHECK_FALSE(report.enumerated);
  CHECK(report.patterns == 100);
  CHECK(report.all_hold());
}

TEST_CASE(
    "the canonical form keeps JD and R, balances every unit and never "
    "raises the L2 norm",
    "[rescaling][canonical]") {
  auto generator = make_generator(49);
  for (const auto& widths : kArchitectures) {
    if (widths.size() < 3) {
      continue;
    }
    auto net = mixed_sign_network(widths, 0.5, generator);
    // Unbalance it first, so that there is work to do.
    for (size_t l = 1; l + 1 < widths.size(); ++l) {
      net = rescale_unit(net, static_cast<int64_t>(l), 0, 7.0);
    }
    auto data = random_examples(widths.front(), 4, generator);
    auto form = canonical_form(net);
    INFO(fmt::format(
        "widths {}: {} sweeps, imbalance {}",
        fmt::join(widths, ","),
        form.sweeps,
        form.largest_imbalance));
    REQUIRE(form.converged);
    CHECK(form.unbalanceable_units == 0);
    CHECK(form.squared_norm_after <= form.squared_norm_before);
    CHECK(
        relative_difference(
            form.squared_norm_after, l2_penalty(form.net, 2.0).item<double>()) <
        kExactTolerance);
    for (size_t l = 1; l + 1 < widths.size(); ++l) {
      for (int64_t j = 0; j < widths[l]; ++j) {
        const auto [incoming, outgoing] =
            unit_weight_norms(form.net, static_cast<int64_t>(l), j);
        CHECK(relative_difference(incoming, outgoing) < 1e-10);
      }
    }
    CHECK(
        relative_difference(
            exact_criterion(form.net, data), exact_criterion(net, data)) <
        1e-11);
    torch::NoGradGuard no_grad;
    CHECK(
        relative_difference(
            risk(form.net, data).item<double>(),
            risk(net, data).item<double>()) < 1e-11);
  }
}

TEST_CASE(
    "the canonical form is the smallest norm on the orbit",
    "[rescaling][canonical]") {
  // No node-wise rescaling of the canonical form has a smaller norm: a
  // random search around it never goes below.
  auto generator = make_generator(50);
  auto net = mixed_sign_network({3, 4, 3, 1}, 0.5, generator);
  auto form = canonical_form(net);
  REQUIRE(form.converged);
  double smallest = INFINITY;
  for (int trial = 0; trial < 200; ++trial) {
    auto moved = clone_network(form.net);
    for (int64_t l = 1; l <= 2; ++l) {
      for (int64_t j = 0; j < moved->widths()[l]; ++j) {
        const double c =
            std::exp(uniform_values(1, -0.3, 0.3, generator).front());
        moved = rescale_unit(moved, l, j, c);
      }
    }
    smallest = std::min(smallest, l2_penalty(moved, 2.0).item<double>());
  }
  CHECK(smallest >= form.squared_norm_after * (1 - 1e-12));
}
