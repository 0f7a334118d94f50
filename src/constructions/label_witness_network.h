#pragma once

#include "dropout_net.h"

namespace dropout_lab {

/// The witness that the dropout penalty depends on the labels: K = 2
/// inputs, two hidden ReLU units whose incoming weights are all 1, output
/// weights 1, biases 0, evaluated at x = (1, -2). The plain output is 0;
/// only the pattern that keeps input 1 and drops input 2 (probability p q)
/// makes the hidden units fire, each with value 1/p.
DropoutNet label_witness_network(double keep_prob = 0.5);

/// The witness input (1, -2).
std::vector<double> label_witness_input();

/// Closed forms for the witness, with delta = D - W(x) and W(x) = 0:
/// E[delta] = 2 q and E[delta^2] = 2 q (1 + p) / p^2, so the penalty is
/// E[delta^2] + 2 (W(x) - y) E[delta] = 2 q (1 + p) / p^2 - 4 q y.
double label_witness_mean_shift(double keep_prob);
double label_witness_mean_square_shift(double keep_prob);
double label_witness_penalty(double keep_prob, double label);

/// For y > 1 the penalty first falls and then rises as q grows: with
/// p = 1 - q it equals 2 / (1 - q)^2 - 2 - 4 q y, whose derivative
/// 4 / (1 - q)^3 - 4 y vanishes at q* = 1 - y^(-1/3), its only minimum.
double label_witness_turning_drop_prob(double label);

}  // namespace dropout_lab
