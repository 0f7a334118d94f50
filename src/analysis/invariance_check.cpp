#include "invariance_check.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "exact_dropout_criterion.h"
#include "random_network.h"
#include "rescaling.h"
#include "risk.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

// Factors log-uniform in [1/4, 4]: wide enough to move every weight
// visibly, narrow enough that float64 rounding stays near 1e-16.
std::vector<double> log_uniform_factors(
    int64_t count, at::Generator generator) {
  auto exponents = uniform_values(count, -2.0, 2.0, generator);
  std::vector<double> factors;
  for (double e : exponents) {
    factors.push_back(std::exp2(e));
  }
  return factors;
}

std::string join(const std::vector<double>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    text += fmt::format("{}{:.4g}", i == 0 ? "" : ", ", values[i]);
  }
  return text;
}

// A random hidden unit, uniform over every unit of every hidden layer.
std::pair<int64_t, int64_t> random_hidden_unit(
    const DropoutNet& net, at::Generator generator) {
  int64_t n_hidden = 0;
  for (int64_t l = 1; l < net->depth(); ++l) {
    n_hidden += net->widths()[l];
  }
  int64_t index = uniform_integer(0, n_hidden - 1, generator);
  for (int64_t l = 1; l < net->depth(); ++l) {
    if (index < net->widths()[l]) {
      return {l, index};
    }
    index -= net->widths()[l];
  }
  TORCH_INTERNAL_ASSERT(false, "hidden unit index out of range");
}

// The patterns compared one by one: every one, or a fixed sample.
torch::Tensor comparison_patterns(
    const DropoutNet& net,
    int64_t limit,
    at::Generator generator,
    bool& enumerated) {
  const int64_t n_units = net->n_droppable_units();
  const auto options = torch::TensorOptions().dtype(torch::kFloat64);
  enumerated =
      n_units < kMaxEnumerableUnits && (int64_t{1} << n_units) <= limit;
  if (enumerated) {
    return enumerate_patterns(0, int64_t{1} << n_units, n_units, options);
  }
  return sample_patterns(limit, n_units, net->keep_prob(), generator, options);
}

struct Criteria {
  double risk = 0.0;
  double criterion = 0.0;
};

// The larger difference, where NaN (an overflowed comparison) is worst of
// all and stays once seen, so that it can only fail a check.
double worse(double current, double candidate) {
  return std::isnan(candidate) || candidate > current ? candidate : current;
}

Criteria criteria_of(
    DropoutNet& net, const ExampleDistribution& data, int64_t max_patterns) {
  ExactCriterionOptions options;
  options.max_patterns = max_patterns;
  return {
      risk(net, data).item<double>(),
      dropout_criterion(net, data, options).item<double>()};
}

}  // namespace

const std::vector<std::string>& rescaling_kinds() {
  static const std::vector<std::string> kinds{
      "input", "layer", "unit", "output", "negative-unit", "center"};
  return kinds;
}

const std::vector<std::string>& invariance_kinds() {
  static const std::vector<std::string> kinds{
      "input", "layer", "unit", "output"};
  return kinds;
}

RescalingDraw draw_rescaling(
    const std::string& kind,
    const DropoutNet& net,
    const ExampleDistribution& data,
    at::Generator generator) {
  RescalingDraw draw;
  draw.kind = kind;
  if (kind == "input") {
    auto scale = log_uniform_factors(net->input_dim(), generator);
    const auto signs = uniform_values(net->input_dim(), -1.0, 1.0, generator);
    for (size_t k = 0; k < scale.size(); ++k) {
      scale[k] = signs[k] < 0 ? -scale[k] : scale[k];
    }
    draw.net = rescale_inputs(net, scale);
    draw.data = scale_inputs(data, scale);
    draw.description = fmt::format("A = diag({})", join(scale));
  } else if (kind == "layer") {
    const auto factors = log_uniform_factors(net->depth(), generator);
    for (double c : factors) {
      draw.output_factor *= c;
    }
    draw.net = rescale_layers(net, factors);
    draw.data = scale_labels(data, draw.output_factor);
    draw.description = fmt::format(
        "c = ({}), labels times {:.4g}", join(factors), draw.output_factor);
  } else if (kind == "unit" || kind == "negative-unit") {
    require_input(
        net->depth() >= 2,
        fmt::format("rescaling '{}' needs a hidden layer", kind));
    const auto [layer, unit] = random_hidden_unit(net, generator);
    double c = log_uniform_factors(1, generator).front();
    c = kind == "unit" ? c : -c;
    draw.net = rescale_unit(net, layer, unit, c);
    draw.data = data;
    draw.description =
        fmt::format("layer {} unit {}, c = {:.4g}", layer, unit + 1, c);
  } else if (kind == "output") {
    const double c = log_uniform_factors(1, generator).front();
    draw.output_factor = c;
    draw.net = rescale_output(net, c);
    draw.data = scale_labels(data, c);
    draw.description = fmt::format("c = {:.4g}, labels times c", c);
  } else if (kind == "center") {
    auto mean = torch::matmul(data.mass, data.x).contiguous();
    std::vector<double> shift(
        mean.data_ptr<double>(), mean.data_ptr<double>() + mean.numel());
    draw.net = shift_inputs(net, shift);
    draw.data = shift_input_values(data, shift);
    draw.description = fmt::format("inputs minus their mean ({})", join(shift));
  } else {
    std::string known;
    for (const auto& name : rescaling_kinds()) {
      known += (known.empty() ? "" : ", ") + name;
    }
    throw InputError(
        fmt::format("unknown rescaling kind '{}' (kinds: {})", kind, known));
  }
  return draw;
}

bool every_hidden_unit_fires(DropoutNet& net, const ExampleDistribution& data) {
  torch::NoGradGuard no_grad;
  auto h = data.x.to(torch::kFloat64);
  for (int64_t l = 1; l < net->depth(); ++l) {
    const auto pre_activation = net->layer(l)->forward(h);
    TORCH_INTERNAL_ASSERT(
        pre_activation.size(1) == net->widths()[l],
        "hidden layer width mismatch");
    if (!(pre_activation > 0).any(0).all().item<bool>()) {
      return false;
    }
    h = torch::relu(pre_activation);
  }
  return true;
}

bool InvarianceReport::all_hold() const {
  return std::all_of(kinds.begin(), kinds.end(), [](const KindResult& kind) {
    return kind.holds;
  });
}

InvarianceReport check_invariance(
    DropoutNet& net,
    const ExampleDistribution& data,
    at::Generator generator,
    const InvarianceOptions& options) {
  require_input(
      options.trials >= 1,
      fmt::format("trials must be >= 1, got {}", options.trials));
  torch::NoGradGuard no_grad;
  auto original = data.to(torch::TensorOptions().dtype(torch::kFloat64));
  require_matching_inputs(net, original, "network and data");

  InvarianceReport report;
  report.tolerance = options.tolerance;
  report.keep_prob = net->keep_prob();
  const auto patterns = comparison_patterns(
      net, options.pattern_limit, generator, report.enumerated);
  report.patterns = patterns.size(0);
  const auto outputs = net->forward_with_patterns(original.x, patterns);
  const auto base = criteria_of(net, original, options.max_patterns);
  const double base_l2 = squared_weight_norm(net);
  // Differences of overflowed values are NaN and would compare as "no
  // difference": such input has nothing to check.
  require_input(
      torch::isfinite(outputs).all().item<bool>() && std::isfinite(base.risk) &&
          std::isfinite(base.criterion) && std::isfinite(base_l2),
      [&] {
        return fmt::format(
            "the network's outputs or criteria overflow float64 (risk {}, "
            "JD {}, ||W||^2 {}); rescale the weights or data, or use a keep "
            "probability further from 0",
            base.risk,
            base.criterion,
            base_l2);
      });

  for (const auto& kind : options.kinds) {
    KindResult result;
    result.kind = kind;
    result.expected_invariant =
        std::find(invariance_kinds().begin(), invariance_kinds().end(), kind) !=
        invariance_kinds().end();
    result.trials = options.trials;
    result.l2_change_min = INFINITY;
    result.l2_change_max = -INFINITY;
    for (int64_t trial = 0; trial < options.trials; ++trial) {
      auto draw = draw_rescaling(kind, net, original, generator);
      const double f = draw.output_factor;

      // Pattern by pattern: D(W', x', R) against f D(W, x, R).
      const auto expected = outputs * f;
      const auto mapped =
          draw.net->forward_with_patterns(draw.data.x, patterns);
      const double output_scale =
          std::max(expected.abs().max().item<double>(), 1e-300);
      const double output_difference =
          (mapped - expected).abs().max().item<double>() / output_scale;
      if (std::isnan(output_difference) ||
          output_difference >= result.output_difference) {
        result.output_difference = output_difference;
        result.worst_draw = draw.description;
      }

      // The criteria, each against f^2 times the original's.
      const auto moved = criteria_of(draw.net, draw.data, options.max_patterns);
      const double f2 = f * f;
      const double scale =
          std::max(f2 * std::max(base.criterion, base.risk), 1e-300);
      result.risk_difference = worse(
          result.risk_difference,
          std::abs(moved.risk - f2 * base.risk) / scale);
      result.criterion_difference = worse(
          result.criterion_difference,
          std::abs(moved.criterion - f2 * base.criterion) / scale);
      result.penalty_difference = worse(
          result.penalty_difference,
          std::abs(
              (moved.criterion - moved.risk) -
              f2 * (base.criterion - base.risk)) /
              scale);

      const double l2_change =
          base_l2 > 0 ? squared_weight_norm(draw.net) / base_l2 - 1.0 : 0.0;
      result.l2_change_min = std::min(result.l2_change_min, l2_change);
      result.l2_change_max = std::max(result.l2_change_max, l2_change);
    }
    result.holds = result.output_difference <= options.tolerance &&
                   result.risk_difference <= options.tolerance &&
                   result.criterion_difference <= options.tolerance &&
                   result.penalty_difference <= options.tolerance;
    report.kinds.push_back(result);
  }
  return report;
}

}  // namespace dropout_lab
