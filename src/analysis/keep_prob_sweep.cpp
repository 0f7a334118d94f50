#include "keep_prob_sweep.h"

#include <cmath>

#include "exact_dropout_criterion.h"

namespace dropout_lab {
namespace {

double penalty_at(
    DropoutNet& net,
    const ExampleDistribution& data,
    double drop_prob,
    int64_t max_patterns) {
  net->set_keep_prob(1.0 - drop_prob);
  ExactCriterionOptions options;
  options.max_patterns = max_patterns;
  return dropout_penalty(net, data, options).item<double>();
}

// Golden-section search for an extremum of f on [a, b]; `minimum` chooses
// which. The bracket comes from a sign change of the discrete slope, so f
// is unimodal on it for any grid fine enough to resolve the turn.
template <typename F>
double golden_section(F f, double a, double b, bool minimum) {
  const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
  const double sign = minimum ? 1.0 : -1.0;
  double c = b - ratio * (b - a);
  double d = a + ratio * (b - a);
  double fc = sign * f(c);
  double fd = sign * f(d);
  while (b - a > 1e-10) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = sign * f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = sign * f(d);
    }
  }
  return 0.5 * (a + b);
}

}  // namespace

std::vector<double> drop_prob_grid(int64_t count) {
  std::vector<double> grid;
  for (int64_t i = 1; i <= count; ++i) {
    grid.push_back(static_cast<double>(i) / (count + 1));
  }
  return grid;
}

KeepProbSweep sweep_keep_prob(
    DropoutNet& net,
    const ExampleDistribution& data,
    const std::vector<double>& drop_probs,
    int64_t max_patterns) {
  torch::NoGradGuard no_grad;
  const double original = net->keep_prob();
  KeepProbSweep sweep;
  sweep.drop_probs = drop_probs;
  for (double q : drop_probs) {
    sweep.penalties.push_back(penalty_at(net, data, q, max_patterns));
  }

  auto f = [&](double q) {
    return penalty_at(net, data, q, max_patterns);
  };
  for (size_t i = 1; i + 1 < drop_probs.size(); ++i) {
    const double left = sweep.penalties[i] - sweep.penalties[i - 1];
    const double right = sweep.penalties[i + 1] - sweep.penalties[i];
    // A turn is where the slope changes sign; flat stretches (slope 0 to
    // rounding) are not turns.
    const double scale = 1e-12 * (1.0 + std::abs(sweep.penalties[i]));
    if (std::abs(left) <= scale || std::abs(right) <= scale ||
        (left > 0) == (right > 0)) {
      continue;
    }
    const bool minimum = left < 0;
    const double turn =
        golden_section(f, drop_probs[i - 1], drop_probs[i + 1], minimum);
    sweep.turning_drop_probs.push_back(turn);
    sweep.turning_penalties.push_back(f(turn));
    sweep.turning_is_minimum.push_back(minimum);
  }
  net->set_keep_prob(original);
  return sweep;
}

}  // namespace dropout_lab
