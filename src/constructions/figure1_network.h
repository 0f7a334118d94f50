#pragma once

#include "dropout_net.h"
#include "example_distribution.h"

namespace dropout_lab {

/// The network of the negative-penalty example: K = 2 inputs, one hidden
/// layer of n = 2 ReLU units (d = 2), every weight 1 and every bias 0.
DropoutNet figure1_network(double keep_prob = 0.5);

/// Its single example: x = (1, -1) with label y = 8. The plain output is 0,
/// but dropping the negative input makes the hidden units fire, which pulls
/// the dropout output towards the label: JD < R at p = 1/2.
ExampleDistribution figure1_data();

}  // namespace dropout_lab
