#include "example_distribution.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

ExampleDistribution ExampleDistribution::to(
    const torch::TensorOptions& options) const {
  return {x.to(options), y.to(options), mass.to(options)};
}

ExampleDistribution make_distribution(
    const std::vector<std::vector<double>>& inputs,
    const std::vector<double>& labels,
    std::vector<double> masses,
    const std::string& source) {
  const auto n_rows = static_cast<int64_t>(inputs.size());
  require_input(n_rows > 0, fmt::format("{}: no examples", source));
  require_input(
      labels.size() == inputs.size() && masses.size() == inputs.size(),
      fmt::format(
          "{}: {} inputs, {} labels and {} masses do not match",
          source,
          inputs.size(),
          labels.size(),
          masses.size()));
  const auto n_inputs = static_cast<int64_t>(inputs.front().size());
  require_input(
      n_inputs > 0, fmt::format("{}: examples have no inputs", source));

  double total = 0.0;
  for (int64_t i = 0; i < n_rows; ++i) {
    require_input(static_cast<int64_t>(inputs[i].size()) == n_inputs, [&] {
      return fmt::format(
          "{}: example {} has {} inputs, expected {}",
          source,
          i + 1,
          inputs[i].size(),
          n_inputs);
    });
    for (double value : inputs[i]) {
      require_input(std::isfinite(value), [&] {
        return fmt::format(
            "{}: example {} has a non-finite input", source, i + 1);
      });
    }
    require_input(std::isfinite(labels[i]), [&] {
      return fmt::format(
          "{}: example {} has a non-finite label", source, i + 1);
    });
    require_input(std::isfinite(masses[i]) && masses[i] >= 0.0, [&] {
      return fmt::format(
          "{}: example {} has mass {}, expected a finite value >= 0",
          source,
          i + 1,
          masses[i]);
    });
    total += masses[i];
  }
  require_input(
      total > 0.0 && std::isfinite(total),
      fmt::format(
          "{}: masses sum to {}, expected a positive sum", source, total));

  auto options = torch::TensorOptions().dtype(torch::kFloat64);
  auto x = torch::empty({n_rows, n_inputs}, options);
  auto accessor = x.accessor<double, 2>();
  for (int64_t i = 0; i < n_rows; ++i) {
    for (int64_t k = 0; k < n_inputs; ++k) {
      accessor[i][k] = inputs[i][k];
    }
  }
  for (double& m : masses) {
    m /= total;
  }
  auto y = torch::tensor(labels, options);
  auto mass = torch::tensor(masses, options);
  return {x, y, mass};
}

ExampleDistribution uniform_distribution(
    const torch::Tensor& x, const torch::Tensor& y) {
  require_input(
      x.dim() == 2 && y.dim() == 1 && x.size(0) == y.size(0) && x.size(0) >= 1,
      "training set: inputs must be [m, K] and labels [m] with m >= 1");
  require_input(
      torch::isfinite(x).all().item<bool>() &&
          torch::isfinite(y).all().item<bool>(),
      "training set: inputs and labels must be finite");
  const int64_t m = x.size(0);
  auto options = x.options().dtype(torch::kFloat64);
  return {
      x.to(torch::kFloat64),
      y.to(torch::kFloat64),
      torch::full({m}, 1.0 / static_cast<double>(m), options)};
}

ExampleDistribution point_mass(const std::vector<double>& x, double y) {
  return make_distribution({x}, {y}, {1.0}, "point mass");
}

ExampleDistribution pair_with_zero(const std::vector<double>& x, double y) {
  std::vector<double> zero(x.size(), 0.0);
  return make_distribution({x, zero}, {y, 0.0}, {0.5, 0.5}, "P(x,y)");
}

ExampleDistribution ones_pair(int64_t n_inputs) {
  require_input(
      n_inputs > 0,
      fmt::format("P(1,1): K must be positive, got {}", n_inputs));
  return pair_with_zero(std::vector<double>(n_inputs, 1.0), 1.0);
}

ExampleDistribution scale_inputs(
    const ExampleDistribution& data, const std::vector<double>& scale) {
  require_input(
      static_cast<int64_t>(scale.size()) == data.input_dim(),
      fmt::format(
          "input rescaling has {} entries for {} inputs",
          scale.size(),
          data.input_dim()));
  auto factors = torch::tensor(scale, data.x.options());
  return {data.x * factors, data.y.clone(), data.mass.clone()};
}

}  // namespace dropout_lab
