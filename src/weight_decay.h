#pragma once

#include <torch/torch.h>

#include "dropout_net.h"
#include "example_distribution.h"

namespace dropout_lab {

/// The L2 penalty (lambda / 2) ||W||^2, where ||W||^2 sums the squares of
/// the weights only; biases are not penalised.
torch::Tensor l2_penalty(DropoutNet& net, double lambda);

/// ||W||^2: the sum of the squares of every layer's weights, biases
/// excluded, as a number.
double squared_weight_norm(const DropoutNet& net);

/// The weight-decay criterion J2(W) = R(W) + (lambda / 2) ||W||^2.
torch::Tensor weight_decay_criterion(
    DropoutNet& net, const ExampleDistribution& data, double lambda);

/// Throws InputError unless lambda is finite and >= 0.
void validate_lambda(double lambda, const std::string& field);

}  // namespace dropout_lab
