#include "unit_change.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "exact_dropout_criterion.h"
#include "hessian.h"
#include "random_network.h"
#include "rescaling.h"
#include "risk.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

NetworkCriterion objective_for(
    const std::string& criterion,
    const ExampleDistribution& data,
    double lambda) {
  if (criterion == "dropout") {
    return [&data](DropoutNet& net) {
      return dropout_criterion(net, data);
    };
  }
  return [&data, lambda](DropoutNet& net) {
    return weight_decay_criterion(net, data, lambda);
  };
}

// fit_criterion repeated with a fresh L-BFGS memory while it stalls above
// the gradient tolerance but still makes progress.
//
// Limitation: restarting L-BFGS only moves a fit on where the stall was
// the optimiser's; at a minimum sitting on a ReLU kink the gradient never
// reaches the tolerance (a bundle or active-set method for piecewise smooth
// criteria would lift this).
FitResult fit_in_rounds(
    DropoutNet& net,
    const NetworkCriterion& objective,
    const FitOptions& options,
    int64_t rounds) {
  auto result = fit_criterion(net, objective, options);
  for (int64_t round = 1; round < rounds && !result.converged; ++round) {
    const double before = result.criterion;
    const int64_t iterations = result.iterations;
    result = fit_criterion(net, objective, options);
    result.iterations += iterations;
    if (!(result.criterion < before)) {
      break;
    }
  }
  return result;
}

}  // namespace

ExampleDistribution data_in_units(
    const ExampleDistribution& data, const DataUnits& units) {
  auto scaled = scale_inputs(data, units.scale);
  scaled.y = scaled.y * units.label_scale;
  return scaled;
}

DropoutNet carry_to_units(
    const DropoutNet& net, const DataUnits& from, const DataUnits& to) {
  std::vector<double> scale;
  for (size_t k = 0; k < from.scale.size(); ++k) {
    scale.push_back(to.scale[k] / from.scale[k]);
  }
  return rescale_output(
      rescale_inputs(net, scale), to.label_scale / from.label_scale);
}

std::vector<UnitsFit> fit_in_units(
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units,
    const UnitChangeOptions& options,
    at::Generator generator) {
  require_input(!units.empty(), "unit change: no system of units given");
  require_input(
      options.restarts >= 1,
      fmt::format(
          "unit change: restarts must be >= 1, got {}", options.restarts));
  const int64_t n_inputs = data.input_dim();
  const std::vector<int64_t> widths{n_inputs, options.width, 1};
  std::vector<ExampleDistribution> scaled;
  for (const auto& system : units) {
    scaled.push_back(data_in_units(data, system));
  }

  // The same starts for both criteria, drawn for inputs of unit root mean
  // square and carried to the first system's units (W1 -> W1 A^-1 with
  // A = diag(rms)): raw features in the hundreds would otherwise switch
  // every ReLU off in the first steps.
  const auto rms =
      torch::matmul(scaled.front().mass, scaled.front().x.square()).sqrt();
  std::vector<double> input_rms;
  for (int64_t k = 0; k < n_inputs; ++k) {
    const double value = rms[k].item<double>();
    input_rms.push_back(value > 0 ? value : 1.0);
  }
  const double range = 1.0 / std::sqrt(static_cast<double>(n_inputs));
  std::vector<DropoutNet> starts;
  for (int64_t r = 0; r < options.restarts; ++r) {
    starts.push_back(rescale_inputs(
        random_network(widths, options.keep_prob, -range, range, generator),
        input_rms));
  }

  std::vector<UnitsFit> fits;
  for (const std::string criterion : {"dropout", "l2"}) {
    const auto& fit_options =
        criterion == "dropout" ? options.dropout_fit : options.fit;

    // 1. The best fit in the first system of units.
    const auto first = objective_for(criterion, scaled.front(), options.lambda);
    DropoutNet best{nullptr};
    double best_value = INFINITY;
    int64_t converged_restarts = 0;
    for (const auto& start : starts) {
      auto net = clone_network(start);
      const auto result =
          fit_in_rounds(net, first, fit_options, options.fit_rounds);
      converged_restarts += result.converged ? 1 : 0;
      if (result.criterion < best_value) {
        best_value = result.criterion;
        best = net;
      }
    }
    require_input(
        std::isfinite(best_value),
        fmt::format("unit change: every {} fit diverged", criterion));

    // 2. Carried into every system and continued there.
    for (size_t i = 0; i < units.size(); ++i) {
      const auto objective =
          objective_for(criterion, scaled[i], options.lambda);
      UnitsFit fit;
      fit.units = units[i].name;
      fit.criterion = criterion;
      fit.restarts = options.restarts;
      fit.converged_restarts = converged_restarts;

      auto net = carry_to_units(best, units.front(), units[i]);
      fit.carried_gradient_norm =
          criterion_gradient(net, objective).norm().item<double>();
      {
        torch::NoGradGuard no_grad;
        fit.carried_value = objective(net).item<double>();
        fit.carried_risk = risk(net, scaled[i]).item<double>();
      }

      const auto result =
          fit_in_rounds(net, objective, fit_options, options.fit_rounds);
      require_input(
          std::isfinite(result.criterion),
          fmt::format(
              "unit change: the {} fit in units '{}' diverged",
              criterion,
              units[i].name));
      fit.value = result.criterion;
      fit.gradient_norm = result.gradient_norm;
      fit.converged = result.converged;
      torch::NoGradGuard no_grad;
      fit.risk = risk(net, scaled[i]).item<double>();
      fit.dropout_criterion = dropout_criterion(net, scaled[i]).item<double>();
      fit.squared_norm = squared_weight_norm(net);
      fits.push_back(fit);
    }
  }
  return fits;
}

}  // namespace dropout_lab
