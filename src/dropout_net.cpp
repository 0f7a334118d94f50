#include "dropout_net.h"

#include <fmt/format.h>

#include "dropout_pattern.h"
#include "errors.h"
#include "keep_prob.h"

namespace dropout_lab {

DropoutNetImpl::DropoutNetImpl(std::vector<int64_t> widths, double keep_prob)
    : widths_(std::move(widths)), keep_prob_(keep_prob) {
  require_input(
      widths_.size() >= 2,
      "network: needs at least an input layer and an output layer");
  for (size_t i = 0; i < widths_.size(); ++i) {
    require_input(
        widths_[i] > 0,
        fmt::format("network: layer {} has width {}", i, widths_[i]));
  }
  require_input(
      widths_.back() == 1,
      fmt::format(
          "network: the output layer must have one unit, got {}",
          widths_.back()));
  validate_keep_prob(keep_prob_, "network keep_prob");
  reset();
}

void DropoutNetImpl::reset() {
  layers_.clear();
  for (size_t l = 1; l < widths_.size(); ++l) {
    auto linear = torch::nn::Linear(widths_[l - 1], widths_[l]);
    layers_.push_back(register_module(fmt::format("layer{}", l), linear));
  }
  to(torch::kFloat64);
}

int64_t DropoutNetImpl::n_droppable_units() const {
  int64_t units = 0;
  for (size_t i = 0; i + 1 < widths_.size(); ++i) {
    units += widths_[i];
  }
  return units;
}

void DropoutNetImpl::set_keep_prob(double keep_prob) {
  validate_keep_prob(keep_prob, "keep_prob");
  keep_prob_ = keep_prob;
}

torch::nn::Linear& DropoutNetImpl::layer(int64_t l) {
  TORCH_CHECK(
      l >= 1 && l <= depth(),
      "layer index must be in 1..",
      depth(),
      ", got ",
      l);
  return layers_[l - 1];
}

std::vector<torch::Tensor> DropoutNetImpl::weights() const {
  std::vector<torch::Tensor> result;
  for (const auto& linear : layers_) {
    result.push_back(linear->weight);
  }
  return result;
}

void DropoutNetImpl::check_inputs(const torch::Tensor& x) const {
  TORCH_CHECK(
      x.dim() == 2 && x.size(1) == input_dim(),
      "expected inputs of shape [B, ",
      input_dim(),
      "], got ",
      x.sizes());
}

torch::Tensor DropoutNetImpl::propagate(
    torch::Tensor h,
    const std::vector<torch::Tensor>& masks,
    int64_t first,
    int64_t last) {
  for (int64_t l = first; l < last; ++l) {
    if (!masks.empty()) {
      h = h * masks[l - first] / keep_prob_;
    }
    h = layers_[l]->forward(h);
    if (l + 1 < depth()) {
      h = torch::relu(h);
    }
  }
  return h;
}

torch::Tensor DropoutNetImpl::forward(const torch::Tensor& x) {
  check_inputs(x);
  return propagate(x, {}, 0, depth()).squeeze(-1);
}

torch::Tensor DropoutNetImpl::values_below_output(
    const torch::Tensor& x, const torch::Tensor& lower_patterns) {
  check_inputs(x);
  TORCH_CHECK(
      lower_patterns.dim() == 2 &&
          lower_patterns.size(1) == n_enumerated_units(),
      "expected lower patterns of shape [P, ",
      n_enumerated_units(),
      "], got ",
      lower_patterns.sizes());
  const int64_t n_patterns = lower_patterns.size(0);
  const int64_t n_examples = x.size(0);
  if (depth() == 1) {
    return x.unsqueeze(0).expand({n_patterns, n_examples, input_dim()});
  }

  // Layer 1 with its input dropout as one matrix product over patterns,
  //   pre[r, b, j] = sum_k r_k (x_bk W1_jk / p) + b1_j,
  // which never materialises the [P, B, K] tensor of dropped inputs.
  auto& first = layers_.front();
  const int64_t width = widths_[1];
  auto scaled = x.unsqueeze(2) * first->weight.t().unsqueeze(0) / keep_prob_;
  auto per_input = scaled.permute({1, 0, 2}).reshape({input_dim(), -1});
  auto input_mask = lower_patterns.narrow(1, 0, input_dim());
  auto pre = torch::matmul(input_mask, per_input)
                 .view({n_patterns, n_examples, width}) +
             first->bias;
  auto h = torch::relu(pre);

  // Higher hidden layers: each mask is [P, 1, width] so it broadcasts over
  // the examples.
  std::vector<torch::Tensor> masks;
  int64_t offset = input_dim();
  for (int64_t l = 1; l + 2 < static_cast<int64_t>(widths_.size()); ++l) {
    masks.push_back(lower_patterns.narrow(1, offset, widths_[l]).unsqueeze(1));
    offset += widths_[l];
  }
  h = propagate(h, masks, 1, depth() - 1);
  TORCH_INTERNAL_ASSERT(
      h.dim() == 3 && h.size(0) == n_patterns &&
      h.size(2) == n_marginalised_units());
  return h;
}

torch::Tensor DropoutNetImpl::forward_with_patterns(
    const torch::Tensor& x, const torch::Tensor& patterns) {
  TORCH_CHECK(
      patterns.dim() == 2 && patterns.size(1) == n_droppable_units(),
      "expected patterns of shape [P, ",
      n_droppable_units(),
      "], got ",
      patterns.sizes());
  auto lower = patterns.narrow(1, 0, n_enumerated_units());
  auto last = patterns.narrow(1, n_enumerated_units(), n_marginalised_units());

  auto h = values_below_output(x, lower) * last.unsqueeze(1) / keep_prob_;
  auto out = layers_.back()->forward(h).squeeze(-1);
  TORCH_INTERNAL_ASSERT(out.dim() == 2 && out.size(0) == patterns.size(0));
  return out;
}

torch::Tensor DropoutNetImpl::forward_with_mask(
    const torch::Tensor& x, const torch::Tensor& patterns) {
  check_inputs(x);
  TORCH_CHECK(
      patterns.dim() == 2 && patterns.size(0) == x.size(0) &&
          patterns.size(1) == n_droppable_units(),
      "expected one pattern of ",
      n_droppable_units(),
      " bits per example, got ",
      patterns.sizes());
  std::vector<torch::Tensor> masks;
  int64_t offset = 0;
  for (int64_t l = 0; l < depth(); ++l) {
    masks.push_back(patterns.narrow(1, offset, widths_[l]));
    offset += widths_[l];
  }
  return propagate(x, masks, 0, depth()).squeeze(-1);
}

torch::Tensor DropoutNetImpl::forward_with_dropout(
    const torch::Tensor& x, at::Generator generator) {
  check_inputs(x);
  // One pattern per example, drawn on the CPU so that `generator` may be
  // a CPU generator whatever the device.
  auto patterns = sample_patterns(
      x.size(0), n_droppable_units(), keep_prob_, generator, x.options());
  return forward_with_mask(x, patterns);
}

DropoutNet standard_architecture(
    int64_t n_inputs, int64_t depth, int64_t width, double keep_prob) {
  require_input(depth >= 1, fmt::format("depth must be >= 1, got {}", depth));
  std::vector<int64_t> widths{n_inputs};
  for (int64_t l = 1; l < depth; ++l) {
    widths.push_back(width);
  }
  widths.push_back(1);
  return DropoutNet(widths, keep_prob);
}

DropoutNet clone_network(const DropoutNet& net) {
  return std::dynamic_pointer_cast<DropoutNetImpl>(net->clone());
}

}  // namespace dropout_lab
