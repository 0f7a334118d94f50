#include "unit_free_fit.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "exact_dropout_criterion.h"
#include "fit.h"
#include "hessian.h"
#include "random_network.h"
#include "rescaling.h"
#include "risk.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

// One system of units, ready for fitting: the data there, each input's
// root mean square s_k, the data with inputs divided by s, and Var(y).
struct SystemData {
  ExampleDistribution data;
  std::vector<double> input_rms;
  ExampleDistribution standardised;
  double label_mean = 0.0;
  double label_variance = 1.0;
};

// The procedure is blind to positive factors only (see fit_each_system).
void require_positive_units(const DataUnits& units, int64_t n_inputs) {
  require_input(
      static_cast<int64_t>(units.scale.size()) == n_inputs,
      fmt::format(
          "unit-free fit: units '{}' have {} factors for {} inputs",
          units.name,
          units.scale.size(),
          n_inputs));
  std::vector<double> factors = units.scale;
  factors.push_back(units.label_scale);
  for (size_t k = 0; k < factors.size(); ++k) {
    require_input(
        std::isfinite(factors[k]) && factors[k] > 0.0,
        fmt::format(
            "unit-free fit: units '{}': {} must be finite and positive, got {}",
            units.name,
            k < units.scale.size() ? fmt::format("factor {}", k + 1)
                                   : std::string("the label factor"),
            factors[k]));
  }
}

SystemData prepare_system(
    const ExampleDistribution& data, const DataUnits& units) {
  SystemData system;
  system.data = data_in_units(data, units);
  const auto& mass = system.data.mass;

  // An input that is zero everywhere has no units to remove.
  const auto rms = torch::matmul(mass, system.data.x.square()).sqrt();
  std::vector<double> inverse;
  for (int64_t k = 0; k < rms.size(0); ++k) {
    const double value = rms[k].item<double>();
    system.input_rms.push_back(value > 0 ? value : 1.0);
    inverse.push_back(1.0 / system.input_rms.back());
  }
  system.standardised = scale_inputs(system.data, inverse);

  // Dividing the criterion by Var(y), the best constant predictor's risk,
  // makes the gradient tolerance relative; constant labels keep 1.
  system.label_mean = torch::dot(mass, system.data.y).item<double>();
  const double variance =
      torch::dot(mass, (system.data.y - system.label_mean).square())
          .item<double>();
  system.label_variance = variance > 0 ? variance : 1.0;
  return system;
}

// J2 of the network V diag(1/s) on the data, computed from V acting on the
// standardised data: R is the same, and the penalty reads the first layer's
// weights in the data's own units, V1 diag(1/s).
torch::Tensor weight_decay_in_units(
    DropoutNet& standardised_net, const SystemData& system, double lambda) {
  const auto weights = standardised_net->weights();
  const auto inverse_rms =
      1.0 / torch::tensor(system.input_rms, weights.front().options());
  auto squared_norm = (weights.front() * inverse_rms).square().sum();
  for (size_t l = 1; l < weights.size(); ++l) {
    squared_norm = squared_norm + weights[l].square().sum();
  }
  return risk(standardised_net, system.standardised) +
         0.5 * lambda * squared_norm;
}

// The criterion fit_each_system minimises, of a network V acting on the
// standardised data: JD or J2 of V diag(1/s), divided by Var(y).
NetworkCriterion unit_free_objective(
    const SystemData& system, const std::string& criterion, double lambda) {
  require_input(
      criterion == "dropout" || criterion == "l2",
      fmt::format(
          "unit-free fit: criterion must be dropout or l2, got '{}'",
          criterion));
  if (criterion == "dropout") {
    return [&system](DropoutNet& net) {
      return dropout_criterion(net, system.standardised) /
             system.label_variance;
    };
  }
  return [&system, lambda](DropoutNet& net) {
    return weight_decay_in_units(net, system, lambda) / system.label_variance;
  };
}

StartFit fit_one(
    const DropoutNet& start,
    const SystemData& system,
    const std::string& units_name,
    const std::string& criterion,
    const UnitChangeOptions& options) {
  auto net = clone_network(start);
  {
    torch::NoGradGuard no_grad;
    net->layer(net->depth())->bias.fill_(system.label_mean);
  }
  const bool dropout = criterion == "dropout";
  const double lambda = options.lambda;
  const auto objective = unit_free_objective(system, criterion, lambda);
  const auto result = fit_criterion(
      net, objective, dropout ? options.dropout_fit : options.fit);

  // The fitted network read in the data's own units.
  auto fitted = rescale_inputs(net, system.input_rms);
  torch::NoGradGuard no_grad;
  StartFit fit;
  fit.units = units_name;
  fit.criterion = criterion;
  fit.gradient_norm = result.gradient_norm;
  fit.iterations = result.iterations;
  fit.converged = result.converged;
  fit.dropout_criterion = dropout_criterion(fitted, system.data).item<double>();
  fit.value =
      dropout
          ? fit.dropout_criterion
          : weight_decay_criterion(fitted, system.data, lambda).item<double>();
  fit.risk = risk(fitted, system.data).item<double>();
  fit.squared_norm = squared_weight_norm(fitted);
  fit.predictions = fitted->forward(system.data.x);
  fit.net = fitted;
  return fit;
}

}  // namespace

std::vector<StartFit> fit_each_system(
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units,
    const UnitChangeOptions& options,
    at::Generator generator,
    ProgressBar* progress) {
  require_input(!units.empty(), "unit-free fit: no system of units given");
  require_input(
      options.restarts >= 1,
      fmt::format(
          "unit-free fit: restarts must be >= 1, got {}", options.restarts));
  std::vector<SystemData> systems;
  for (const auto& system : units) {
    require_positive_units(system, data.input_dim());
    systems.push_back(prepare_system(data, system));
  }

  // The same starts in every system and for both criteria.
  const int64_t n_inputs = data.input_dim();
  const double range = 1.0 / std::sqrt(static_cast<double>(n_inputs));
  std::vector<DropoutNet> starts;
  for (int64_t r = 0; r < options.restarts; ++r) {
    starts.push_back(random_network(
        {n_inputs, options.width, 1},
        options.keep_prob,
        -range,
        range,
        generator));
  }

  std::vector<StartFit> fits;
  for (const std::string criterion : {"dropout", "l2"}) {
    for (size_t i = 0; i < units.size(); ++i) {
      for (int64_t r = 0; r < options.restarts; ++r) {
        auto fit =
            fit_one(starts[r], systems[i], units[i].name, criterion, options);
        fit.start = r;
        fits.push_back(std::move(fit));
        if (progress != nullptr) {
          progress->advance();
        }
      }
    }
  }
  return fits;
}

double unit_free_gradient_norm(
    const DropoutNet& net,
    const ExampleDistribution& data,
    const DataUnits& units,
    const std::string& criterion,
    double lambda) {
  const auto system = prepare_system(data, units);
  std::vector<double> inverse;
  for (double value : system.input_rms) {
    inverse.push_back(1.0 / value);
  }

  // V acts on x / s: V = W diag(s), the network for inputs divided by s.
  auto standardised = rescale_inputs(net, inverse);
  return criterion_gradient_norm(
      standardised, unit_free_objective(system, criterion, lambda));
}

std::vector<StartFit> best_per_system(const std::vector<StartFit>& fits) {
  std::vector<StartFit> best;
  for (const auto& fit : fits) {
    if (!std::isfinite(fit.value)) {
      continue;
    }
    bool placed = false;
    for (auto& kept : best) {
      if (kept.criterion == fit.criterion && kept.units == fit.units) {
        if (fit.value < kept.value) {
          kept = fit;
        }
        placed = true;
      }
    }
    if (!placed) {
      best.push_back(fit);
    }
  }

  // A system whose every fit ended non-finite has no best fit to report.
  for (const auto& fit : fits) {
    bool found = false;
    for (const auto& kept : best) {
      found =
          found || (kept.criterion == fit.criterion && kept.units == fit.units);
    }
    require_input(
        found,
        fmt::format(
            "unit-free fit: every {} fit in units '{}' ended non-finite",
            fit.criterion,
            fit.units));
  }
  return best;
}

}  // namespace dropout_lab
