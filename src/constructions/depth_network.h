#pragma once

#include <cstdint>

#include "dropout_net.h"

namespace dropout_lab {

/// The network showing that the dropout penalty can grow exponentially with
/// depth. On the single example x = (1, ..., 1) with label
/// 0 <= y <= K n^(d-1), every weight equals
///
///   c = (y / (K n^(d-1)))^(1/d),
///
/// and every bias is 0, so W(x) = c^d K n^(d-1) = y and the risk is 0.
DropoutNet depth_network(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double keep_prob = 0.5);

/// The weight c above. Throws InputError unless 0 <= y <= K n^(d-1).
double depth_network_weight(
    int64_t n_inputs, int64_t depth, int64_t width, double label);

/// The exact dropout criterion of depth_network in closed form, for any p.
/// All weights and inputs are non-negative, so every ReLU acts linearly and
/// D = c^d S_0 S_1 ... S_{d-1} with independent layer sums S_0 = sum_i r_i/p
/// over the K inputs and S_l = sum_j r_j/p over the n units of hidden layer
/// l. Each has E S = width and E S^2 = width^2 + width q/p, and E D = y, so
///
///   JD = E D^2 - y^2 = y^2 ((1 + q/(p K)) (1 + q/(p n))^(d-1) - 1).
///
/// At p = 1/2 this is y^2 ((1 + 1/K)(1 + 1/n)^(d-1) - 1) >= y^2 / K.
double depth_network_dropout_criterion(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double keep_prob);

/// Its L2 penalty (lambda/2) c^2 (number of weights), and the bound
/// (lambda/2) y^(2/d) (number of weights) that holds because K n^(d-1) >= 1.
double depth_network_l2_penalty(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double lambda);
double depth_network_l2_bound(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double lambda);

}  // namespace dropout_lab
