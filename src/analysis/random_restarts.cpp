#include "random_restarts.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "exact_dropout_criterion.h"
#include "quantile.h"
#include "random_network.h"
#include "risk.h"

namespace dropout_lab {
namespace {

RestartOutcome score(DropoutNet& net, const ExampleDistribution& data) {
  torch::NoGradGuard no_grad;
  RestartOutcome outcome;
  outcome.dropout_criterion = dropout_criterion(net, data).item<double>();
  outcome.most_negative_weight = most_negative_weight(net);
  outcome.risk = risk(net, data).item<double>();
  return outcome;
}

}  // namespace

std::vector<RestartOutcome> fit_dropout_criterion_from_random_starts(
    const std::vector<int64_t>& widths,
    const ExampleDistribution& data,
    int64_t starts,
    double init_range,
    const FitOptions& options,
    double keep_prob,
    at::Generator generator) {
  std::vector<RestartOutcome> outcomes;
  auto criterion = [&](DropoutNet& net) {
    return dropout_criterion(net, data);
  };
  for (int64_t start = 0; start < starts; ++start) {
    auto net =
        random_network(widths, keep_prob, -init_range, init_range, generator);
    fit_criterion(net, criterion, options);
    outcomes.push_back(score(net, data));
  }
  return outcomes;
}

std::vector<RestartOutcome> train_dropout_sgd_from_random_starts(
    const std::vector<int64_t>& widths,
    const ExampleDistribution& data,
    int64_t starts,
    double init_range,
    const DropoutSgdOptions& options,
    double keep_prob,
    at::Generator generator) {
  std::vector<RestartOutcome> outcomes;
  for (int64_t start = 0; start < starts; ++start) {
    auto net =
        random_network(widths, keep_prob, -init_range, init_range, generator);
    const auto trained = train_dropout_sgd(net, data, options, generator);
    if (trained.diverged) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      outcomes.push_back({nan, nan, nan, true, trained.steps});
    } else {
      outcomes.push_back(score(net, data));
    }
  }
  return outcomes;
}

RestartSummary summarise_restarts(
    const std::vector<RestartOutcome>& outcomes,
    double negative_tolerance,
    double bound) {
  RestartSummary summary;
  summary.runs = static_cast<int64_t>(outcomes.size());
  std::vector<double> criteria;
  int64_t negative = 0;
  int64_t below = 0;
  for (const auto& outcome : outcomes) {
    if (outcome.diverged) {
      ++summary.diverged;
      continue;
    }
    criteria.push_back(outcome.dropout_criterion);
    negative += outcome.most_negative_weight < -negative_tolerance ? 1 : 0;
    below += outcome.dropout_criterion < bound ? 1 : 0;
    summary.most_negative_weight =
        std::min(summary.most_negative_weight, outcome.most_negative_weight);
  }
  if (criteria.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    summary.min = summary.lower_quartile = summary.median = nan;
    summary.upper_quartile = summary.max = summary.fraction_negative = nan;
    summary.fraction_below_bound = nan;
    return summary;
  }

  std::sort(criteria.begin(), criteria.end());
  summary.min = criteria.front();
  summary.lower_quartile = quantile(criteria, 0.25);
  summary.median = quantile(criteria, 0.5);
  summary.upper_quartile = quantile(criteria, 0.75);
  summary.max = criteria.back();
  const auto finished = static_cast<double>(criteria.size());
  summary.fraction_negative = static_cast<double>(negative) / finished;
  summary.fraction_below_bound = static_cast<double>(below) / finished;
  return summary;
}

}  // namespace dropout_lab
