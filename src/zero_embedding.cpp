#include "zero_embedding.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

ExampleDistribution zero_embedding(
    int64_t n_inputs,
    const std::vector<std::pair<int64_t, int64_t>>& pairs,
    const std::vector<double>& masses) {
  require_input(
      n_inputs >= 2,
      fmt::format("zero-embedding: K must be >= 2, got {}", n_inputs));
  require_input(!pairs.empty(), "zero-embedding: no two-hot examples");
  require_input(
      masses.empty() || masses.size() == pairs.size(),
      fmt::format(
          "zero-embedding: {} masses for {} examples",
          masses.size(),
          pairs.size()));

  std::vector<std::pair<int64_t, int64_t>> seen;
  std::vector<std::vector<double>> inputs;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto [a, b] = std::minmax(pairs[i].first, pairs[i].second);
    require_input(a >= 0 && b < n_inputs && a != b, [&] {
      return fmt::format(
          "zero-embedding: example {} has ones at inputs {} and {}, expected "
          "two distinct indices in 0..{}",
          i + 1,
          pairs[i].first,
          pairs[i].second,
          n_inputs - 1);
    });
    require_input(
        std::find(seen.begin(), seen.end(), std::make_pair(a, b)) == seen.end(),
        [&] {
          return fmt::format(
              "zero-embedding: example {} repeats the pair ({}, {})",
              i + 1,
              a,
              b);
        });
    seen.emplace_back(a, b);
    std::vector<double> x(n_inputs, 0.0);
    x[a] = 1.0;
    x[b] = 1.0;
    inputs.push_back(x);
  }

  // The two-hot examples share half of the mass; make_distribution checks
  // the masses and normalises them.
  std::vector<double> weights =
      masses.empty() ? std::vector<double>(pairs.size(), 1.0) : masses;
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  require_input(
      total > 0.0,
      fmt::format("zero-embedding: masses sum to {}, expected > 0", total));
  for (double& w : weights) {
    w /= total;
  }
  inputs.emplace_back(n_inputs, 0.0);
  weights.push_back(1.0);
  std::vector<double> labels(pairs.size(), 1.0);
  labels.push_back(0.0);
  return make_distribution(inputs, labels, weights, "zero-embedding");
}

ExampleDistribution all_pairs_zero_embedding(int64_t n_inputs) {
  require_input(
      n_inputs >= 2,
      fmt::format("zero-embedding: K must be >= 2, got {}", n_inputs));
  std::vector<std::pair<int64_t, int64_t>> pairs;
  for (int64_t a = 0; a < n_inputs; ++a) {
    for (int64_t b = a + 1; b < n_inputs; ++b) {
      pairs.emplace_back(a, b);
    }
  }
  return zero_embedding(n_inputs, pairs);
}

}  // namespace dropout_lab
