#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace dropout_lab {

/// A feed-forward ReLU network with dropout on its inputs and hidden units.
///
/// Layer widths run from the inputs to the single linear output,
/// `{K, h_1, ..., h_{d-1}, 1}`, so the network has `d = widths.size() - 1`
/// layers counting the output and `d - 1` hidden layers. A dropout pattern R
/// has one bit per input and hidden unit, ordered inputs first and then each
/// hidden layer from the bottom up. Under R a kept value is multiplied by 1/p
/// and a dropped one becomes 0; the output unit is never dropped:
///
///   h_0 = x .* r_0 / p,   h_l = relu(W_l h_{l-1} + b_l) .* r_l / p,
///   D(W, x, R) = w . h_{d-1} + b.
///
/// With every bit set and p = 1 this is the plain output W(x). Parameters are
/// float64 unless converted with `to()`.
class DropoutNetImpl : public torch::nn::Cloneable<DropoutNetImpl> {
 public:
  /// `widths` = {K, h_1, ..., h_{d-1}, 1}; every width positive, at least
  /// two entries, and the last one 1. `keep_prob` in (0, 1].
  explicit DropoutNetImpl(std::vector<int64_t> widths, double keep_prob = 0.5);

  /// (Re)creates the layers with LibTorch's default Linear initialisation
  /// in float64; `clone()` relies on it.
  void reset() override;

  /// Plain output W(x): `x` is [B, K], the result [B].
  torch::Tensor forward(const torch::Tensor& x);

  /// D(W, x, R) for every pattern against every example in one batched
  /// computation: `x` is [B, K], `patterns` is [P, U] of 0/1 values with
  /// U = n_droppable_units(); the result is [P, B].
  torch::Tensor forward_with_patterns(
      const torch::Tensor& x, const torch::Tensor& patterns);

  /// D(W, x_b, R_b) with one given pattern per example, computed layer by
  /// layer as the definition reads: `x` [B, K], `patterns` [B, U] of 0/1
  /// values, result [B]. This is what a training step sees.
  torch::Tensor forward_with_mask(
      const torch::Tensor& x, const torch::Tensor& patterns);

  /// Output under freshly sampled dropout, one independent pattern per
  /// example (what training with dropout sees): `x` [B, K], result [B].
  torch::Tensor forward_with_dropout(
      const torch::Tensor& x, at::Generator generator);

  /// The values reaching the layer just below the output, before that
  /// layer's own dropout, for every pattern of the units beneath it against
  /// every example: `x` [B, K], `lower_patterns` [P, n_enumerated_units()],
  /// result [P, B, widths[d-1]]. For d = 1 this is `x` itself, repeated.
  torch::Tensor values_below_output(
      const torch::Tensor& x, const torch::Tensor& lower_patterns);

  /// Number of inputs K.
  int64_t input_dim() const {
    return widths_.front();
  }
  /// Number of layers d, counting the output and not the inputs.
  int64_t depth() const {
    return static_cast<int64_t>(widths_.size()) - 1;
  }
  const std::vector<int64_t>& widths() const {
    return widths_;
  }
  /// K plus every hidden width: the number of bits in a dropout pattern.
  int64_t n_droppable_units() const;
  /// Width of the layer feeding the output, whose dropout is marginalised
  /// in closed form by the exact criterion.
  int64_t n_marginalised_units() const {
    return widths_[widths_.size() - 2];
  }
  /// Bits that still have to be enumerated once the layer feeding the output
  /// is marginalised.
  int64_t n_enumerated_units() const {
    return n_droppable_units() - n_marginalised_units();
  }

  double keep_prob() const {
    return keep_prob_;
  }
  void set_keep_prob(double keep_prob);

  /// Layer l = 1..d (layer d is the output unit).
  torch::nn::Linear& layer(int64_t l);
  /// The weight matrices W_1 .. W_{d-1}, w, without biases.
  std::vector<torch::Tensor> weights() const;

 private:
  // Throws unless `x` is [B, K].
  void check_inputs(const torch::Tensor& x) const;

  // Runs the layers with 0-based indices first..last-1 on `h`, multiplying
  // the input of layer l by masks[l - first] / p when masks are given; the
  // masks must broadcast against h.
  torch::Tensor propagate(
      torch::Tensor h,
      const std::vector<torch::Tensor>& masks,
      int64_t first,
      int64_t last);

  std::vector<int64_t> widths_;
  double keep_prob_;
  std::vector<torch::nn::Linear> layers_;
};

TORCH_MODULE(DropoutNet);

/// The paper's standard architecture: K inputs, d layers counting the output,
/// n ReLU units in each of the d - 1 hidden layers, one linear output.
/// Parameters start from LibTorch's default Linear initialisation.
DropoutNet standard_architecture(
    int64_t n_inputs, int64_t depth, int64_t width, double keep_prob = 0.5);

/// A deep copy with the same parameters, dtype and keep probability.
DropoutNet clone_network(const DropoutNet& net);

}  // namespace dropout_lab
