#include "unit_fit_comparison.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "exact_dropout_criterion.h"
#include "risk.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

double relative_difference(double value, double reference) {
  return std::abs(value - reference) / std::abs(reference);
}

double label_sd(const ExampleDistribution& data) {
  const auto mean = torch::dot(data.mass, data.y);
  return torch::dot(data.mass, (data.y - mean).square()).sqrt().item<double>();
}

}  // namespace

double prediction_change(
    const torch::Tensor& a,
    const torch::Tensor& b,
    const ExampleDistribution& data) {
  return torch::dot(data.mass, (a - b).square()).sqrt().item<double>() /
         label_sd(data);
}

bool collapsed_to_constant(
    const torch::Tensor& predictions,
    const ExampleDistribution& data,
    double tolerance) {
  const auto centred = predictions - torch::dot(data.mass, predictions);
  const double sd =
      torch::dot(data.mass, centred.square()).sqrt().item<double>();
  return sd < tolerance * label_sd(data);
}

const DataUnits& units_named(
    const std::vector<DataUnits>& units, const std::string& name) {
  const auto found =
      std::find_if(units.begin(), units.end(), [&](const DataUnits& candidate) {
        return candidate.name == name;
      });
  require_input(
      found != units.end(),
      fmt::format("no system of units is called '{}'", name));
  return *found;
}

std::vector<CarriedFit> carry_into_other_systems(
    const std::vector<StartFit>& fits,
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units,
    double lambda) {
  std::vector<CarriedFit> carried_fits;
  for (size_t i = 0; i < fits.size(); ++i) {
    const auto& fit = fits[i];
    const auto& from = units_named(units, fit.units);
    auto net = fit.net;
    const double j2 =
        weight_decay_criterion(net, data_in_units(data, from), lambda)
            .item<double>();

    for (const auto& to : units) {
      if (to.name == from.name) {
        continue;
      }
      const auto there = data_in_units(data, to);
      auto carried = carry_to_units(fit.net, from, to);
      CarriedFit row;
      row.fit = i;
      row.criterion = fit.criterion;
      row.start = fit.start;
      row.from_units = from.name;
      row.to_units = to.name;
      row.gradient_norm_ratio =
          unit_free_gradient_norm(carried, data, to, fit.criterion, lambda) /
          fit.gradient_norm;

      torch::NoGradGuard no_grad;
      row.dropout_criterion_difference = relative_difference(
          dropout_criterion(carried, there).item<double>(),
          fit.dropout_criterion);
      row.risk_difference =
          relative_difference(risk(carried, there).item<double>(), fit.risk);
      row.weight_decay_change = relative_difference(
          weight_decay_criterion(carried, there, lambda).item<double>(), j2);
      carried_fits.push_back(row);
    }
  }
  return carried_fits;
}

std::vector<size_t> first_system_fits(
    const std::vector<StartFit>& fits, const std::vector<DataUnits>& units) {
  const auto& first = units.front();
  std::vector<size_t> indices;
  for (const auto& fit : fits) {
    const auto reference =
        std::find_if(fits.begin(), fits.end(), [&](const StartFit& candidate) {
          return candidate.criterion == fit.criterion &&
                 candidate.start == fit.start && candidate.units == first.name;
        });
    require_input(
        reference != fits.end(),
        fmt::format(
            "no {} fit from start {} in units '{}' to compare with",
            fit.criterion,
            fit.start,
            first.name));
    indices.push_back(static_cast<size_t>(reference - fits.begin()));
  }
  return indices;
}

std::vector<double> changes_from_first_system(
    const std::vector<StartFit>& fits,
    const ExampleDistribution& data,
    const std::vector<DataUnits>& units) {
  const auto first_data = data_in_units(data, units.front());
  const auto references = first_system_fits(fits, units);
  std::vector<double> changes;
  for (size_t i = 0; i < fits.size(); ++i) {
    changes.push_back(prediction_change(
        fits[i].predictions, fits[references[i]].predictions, first_data));
  }
  return changes;
}

}  // namespace dropout_lab
