#include "marginal_squared_error.h"

#include "keep_prob.h"

namespace dropout_lab {

torch::Tensor marginal_squared_error(
    DropoutNet& net, const torch::Tensor& h, const torch::Tensor& y) {
  auto& output = net->layer(net->depth());
  auto w = output->weight.squeeze(0);
  auto mean = torch::matmul(h, w) + output->bias;
  auto bias_term = (mean - y).square();

  const double p = net->keep_prob();
  if (p == 1.0) {
    return bias_term;
  }
  auto variance = (drop_prob(p) / p) * torch::matmul(h.square(), w.square());
  auto result = bias_term + variance;
  TORCH_INTERNAL_ASSERT(result.dim() == 2);
  return result;
}

}  // namespace dropout_lab
