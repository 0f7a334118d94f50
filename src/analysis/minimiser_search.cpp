#include "minimiser_search.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "invariance_check.h"
#include "random_network.h"

namespace dropout_lab {

MinimiserSearch search_minimiser(
    const std::vector<int64_t>& widths,
    double keep_prob,
    const NetworkCriterion& criterion,
    at::Generator generator,
    const MinimiserSearchOptions& options) {
  require_input(
      options.restarts >= 1,
      fmt::format("restarts must be >= 1, got {}", options.restarts));
  MinimiserSearch best;
  best.restarts = options.restarts;
  std::vector<double> converged_values;
  for (int64_t restart = 0; restart < options.restarts; ++restart) {
    auto net = random_network(
        widths, keep_prob, -options.init, options.init, generator);
    const auto result = fit_criterion(net, criterion, options.fit);
    if (result.converged) {
      ++best.converged_restarts;
      converged_values.push_back(result.criterion);
    }

    // A converged fit beats any fit that did not converge.
    const bool better = !best.net ||
                        (result.converged && !best.fit.converged) ||
                        (result.converged == best.fit.converged &&
                         result.criterion < best.fit.criterion);
    if (better) {
      best.net = net;
      best.fit = result;
    }
  }
  for (double value : converged_values) {
    best.converged_spread = std::max(
        best.converged_spread,
        std::abs(value - best.fit.criterion) /
            std::max(std::abs(best.fit.criterion), 1e-300));
  }
  return best;
}

ExampleDistribution teacher_distribution(
    const std::vector<int64_t>& widths,
    int64_t n_examples,
    at::Generator generator) {
  std::vector<std::vector<double>> inputs;
  for (int64_t i = 0; i < n_examples; ++i) {
    inputs.push_back(uniform_values(widths.front(), -1.0, 1.0, generator));
  }
  auto data = make_distribution(
      inputs,
      std::vector<double>(n_examples, 0.0),
      std::vector<double>(n_examples, 1.0),
      "teacher distribution");

  // A teacher with a unit that never fires on these inputs would be a
  // smaller network in disguise (or a constant): draw until all fire.
  auto teacher = random_network(widths, 1.0, -1.0, 1.0, generator);
  for (int attempt = 0; !every_hidden_unit_fires(teacher, data); ++attempt) {
    TORCH_CHECK(
        attempt < 1000,
        "teacher distribution: no teacher with every unit firing in 1000 "
        "draws");
    teacher = random_network(widths, 1.0, -1.0, 1.0, generator);
  }
  torch::NoGradGuard no_grad;
  data.y = teacher->forward(data.x);
  return data;
}

}  // namespace dropout_lab
