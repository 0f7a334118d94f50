#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

namespace dropout_lab {

/// A finite distribution P over labelled examples: row i is the input x_i
/// with label y_i and probability mass_i. Masses are non-negative and sum
/// to 1, so an expectation under P is `sum_i mass_i f(x_i, y_i)`.
struct ExampleDistribution {
  torch::Tensor x;     ///< [N, K] inputs.
  torch::Tensor y;     ///< [N] labels.
  torch::Tensor mass;  ///< [N] probabilities.

  int64_t size() const {
    return x.size(0);
  }
  int64_t input_dim() const {
    return x.size(1);
  }
  /// The same distribution on another device or dtype.
  ExampleDistribution to(const torch::TensorOptions& options) const;
};

/// Builds a distribution from rows, normalising the masses. Throws
/// InputError (naming `source`) on non-finite values, negative masses or
/// masses that sum to zero.
ExampleDistribution make_distribution(
    const std::vector<std::vector<double>>& inputs,
    const std::vector<double>& labels,
    std::vector<double> masses,
    const std::string& source = "distribution");

/// The empirical distribution of a training set: mass 1/m on each of the m
/// rows of `x` [m, K] with labels `y` [m]. Both must be float64 and finite.
ExampleDistribution uniform_distribution(
    const torch::Tensor& x, const torch::Tensor& y);

/// P{x,y}: all mass on one example.
ExampleDistribution point_mass(const std::vector<double>& x, double y);

/// P(x,y): mass 1/2 on (x, y) and 1/2 on (0, 0).
ExampleDistribution pair_with_zero(const std::vector<double>& x, double y);

/// P(1,1): P(x,y) with x the all-ones vector in K dimensions and y = 1.
ExampleDistribution ones_pair(int64_t n_inputs);

/// The distribution with every input multiplied elementwise by `scale`
/// (a diagonal rescaling A o P); labels and masses unchanged.
ExampleDistribution scale_inputs(
    const ExampleDistribution& data, const std::vector<double>& scale);

}  // namespace dropout_lab
