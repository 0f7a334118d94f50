#include "figure1_network.h"

#include "uniform_weight_network.h"

namespace dropout_lab {

DropoutNet figure1_network(double keep_prob) {
  return uniform_weight_network(2, 2, 2, 1.0, keep_prob);
}

ExampleDistribution figure1_data() {
  return point_mass({1.0, -1.0}, 8.0);
}

}  // namespace dropout_lab
