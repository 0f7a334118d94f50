#include "risk.h"

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

void require_matching_inputs(
    const DropoutNet& net,
    const ExampleDistribution& data,
    const std::string& context) {
  require_input(
      net->input_dim() == data.input_dim(),
      fmt::format(
          "{}: the network takes {} input(s) but the data has {}",
          context,
          net->input_dim(),
          data.input_dim()));
}

torch::Tensor risk(DropoutNet& net, const ExampleDistribution& data) {
  require_matching_inputs(net, data, "risk");
  auto residual = net->forward(data.x) - data.y;
  return (data.mass * residual.square()).sum();
}

}  // namespace dropout_lab
