#pragma once

#include <torch/torch.h>

#include "dropout_net.h"
#include "example_distribution.h"

namespace dropout_lab {

/// The risk R(W) = E_P (W(x) - y)^2 under quadratic loss, as a scalar tensor
/// that autograd can differentiate.
torch::Tensor risk(DropoutNet& net, const ExampleDistribution& data);

/// Throws InputError unless the network takes as many inputs as the data
/// has; `context` names the two sources in the message.
void require_matching_inputs(
    const DropoutNet& net,
    const ExampleDistribution& data,
    const std::string& context);

}  // namespace dropout_lab
