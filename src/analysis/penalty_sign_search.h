#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "network_parameters.h"

namespace dropout_lab {

/// A randomised search for negative dropout penalties JD - R.
struct PenaltySignSearchOptions {
  int64_t trials = 1000;
  /// Draw every weight, bias and input from [0, 1] instead of [-1, 1].
  bool non_negative = false;
  int64_t max_inputs = 4;
  int64_t max_depth = 4;
  int64_t max_width = 3;
  int64_t max_examples = 3;
  /// Where the criteria are evaluated; draws are always made on the CPU.
  torch::Device device = torch::kCPU;
};

struct PenaltySignSearchResult {
  int64_t trials = 0;
  /// Trials whose penalty is below -1e-12 (JD + R), i.e. beyond rounding.
  int64_t negative_count = 0;
  /// The smallest penalty divided by JD + R (a scale-free measure).
  double min_relative_penalty = 0.0;
  double min_penalty = 0.0;
  /// The largest |E_R D - W(x)| / (1 + |W(x)|) over every example seen;
  /// zero to rounding when the network acts linearly.
  double max_relative_mean_shift = 0.0;
  /// The network, keep probability and data of the most negative penalty.
  NetworkParameters witness;
  std::vector<std::vector<double>> witness_inputs;
  std::vector<double> witness_labels;
};

/// Draws `trials` random networks (K in 1..max_inputs, d in 1..max_depth,
/// hidden widths in 1..max_width), keep probabilities uniform in [0.05, 1],
/// and 1..max_examples examples with labels uniform in [-3, 3], and
/// computes the exact penalty of each. With every weight, bias and input
/// non-negative the ReLUs act linearly, E_R D = W(x), and the penalty
/// E[(D - W(x))^2] cannot be negative.
PenaltySignSearchResult search_penalty_sign(
    const PenaltySignSearchOptions& options, at::Generator generator);

}  // namespace dropout_lab
