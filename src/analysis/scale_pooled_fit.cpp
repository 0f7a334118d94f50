#include "scale_pooled_fit.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "exact_dropout_criterion.h"
#include "random_network.h"
#include "rescaling.h"
#include "risk.h"

namespace dropout_lab {
namespace {

struct Evaluation {
  double criterion;
  double risk;
};

Evaluation evaluate(DropoutNet& net, const ExampleDistribution& data) {
  torch::NoGradGuard no_grad;
  return {
      dropout_criterion(net, data).item<double>(),
      risk(net, data).item<double>()};
}

double relative_change(double a, double b) {
  return std::abs(a - b) / std::max(std::abs(b), 1e-300);
}

}  // namespace

std::vector<ScaledDropoutFit> fit_dropout_across_scales(
    const ExampleDistribution& data,
    const std::vector<double>& scales,
    int64_t n_hidden,
    double keep_prob,
    int64_t restarts,
    const FitOptions& fit,
    at::Generator generator) {
  const int64_t n_scales = static_cast<int64_t>(scales.size());
  std::vector<ExampleDistribution> scaled_data;
  for (double scale : scales) {
    scaled_data.push_back(
        scale_inputs(data, std::vector<double>(data.input_dim(), scale)));
  }

  // Direct fits: the best network per scale.
  std::vector<ScaledDropoutFit> fits(n_scales);
  std::vector<DropoutNet> best;
  for (int64_t i = 0; i < n_scales; ++i) {
    const auto& here = scaled_data[i];
    auto criterion = [&](DropoutNet& net) {
      return dropout_criterion(net, here);
    };
    DropoutNet chosen(nullptr);
    Evaluation chosen_value{std::numeric_limits<double>::infinity(), 0.0};
    for (int64_t restart = 0; restart < restarts; ++restart) {
      auto net = random_network(
          {data.input_dim(), n_hidden, 1}, keep_prob, -1.0, 1.0, generator);
      fit_criterion(net, criterion, fit);
      const auto value = evaluate(net, here);
      if (value.criterion < chosen_value.criterion) {
        chosen = net;
        chosen_value = value;
      }
    }
    fits[i].scale = scales[i];
    fits[i].direct_criterion = chosen_value.criterion;
    fits[i].direct_risk = chosen_value.risk;
    best.push_back(chosen);
  }

  // Pooling: the lowest JD of all direct fits, carried to every scale. A
  // network carried from scale j to scale i sees inputs s_i / s_j times
  // larger, so its first layer is divided by that factor. Every scale's
  // best is carried everywhere too, to measure the invariance.
  int64_t lowest = 0;
  for (int64_t j = 1; j < n_scales; ++j) {
    if (fits[j].direct_criterion < fits[lowest].direct_criterion) {
      lowest = j;
    }
  }
  for (int64_t i = 0; i < n_scales; ++i) {
    for (int64_t j = 0; j < n_scales; ++j) {
      auto carried = rescale_inputs(
          best[j],
          std::vector<double>(data.input_dim(), scales[i] / scales[j]));
      const auto value = evaluate(carried, scaled_data[i]);
      fits[i].largest_carry_change = std::max(
          {fits[i].largest_carry_change,
           relative_change(value.criterion, fits[j].direct_criterion),
           relative_change(value.risk, fits[j].direct_risk)});
      if (j == lowest) {
        fits[i].pooled_criterion = value.criterion;
        fits[i].pooled_risk = value.risk;
        fits[i].found_at_scale = scales[j];
      }
    }
  }
  return fits;
}

}  // namespace dropout_lab
