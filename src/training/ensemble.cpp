#include "ensemble.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "keep_prob.h"
#include "training_stream.h"

namespace dropout_lab {

int64_t flat_parameter_count(const std::vector<int64_t>& widths) {
  int64_t count = 0;
  for (size_t l = 1; l < widths.size(); ++l) {
    count += widths[l] * widths[l - 1] + widths[l];
  }
  return count;
}

void validate_ensemble(const Ensemble& ensemble) {
  const auto& widths = ensemble.widths;
  require_input(
      widths.size() >= 2 && widths.back() == 1,
      "ensemble: widths must run from the inputs to one output");
  for (auto width : widths) {
    require_input(width >= 1, "ensemble: every width must be positive");
  }

  const int64_t models = ensemble.size();
  require_input(models >= 1, "ensemble: no models");
  require_input(
      ensemble.inputs.defined() && ensemble.inputs.dim() == 3 &&
          ensemble.inputs.size(0) == models &&
          ensemble.inputs.size(2) == widths.front() &&
          ensemble.inputs.size(1) >= 1,
      [&] {
        return fmt::format(
            "ensemble: inputs must be [{}, m, {}] with m >= 1",
            models,
            widths.front());
      });
  require_input(
      ensemble.labels.defined() &&
          ensemble.labels.sizes() ==
              torch::IntArrayRef({models, ensemble.inputs.size(1)}),
      "ensemble: labels must be [M, m], matching the inputs");
  require_input(
      ensemble.parameters.defined() &&
          ensemble.parameters.sizes() ==
              torch::IntArrayRef({models, flat_parameter_count(widths)}),
      "ensemble: parameters must be [M, P] for these widths");
  for (const auto& tensor :
       {ensemble.inputs, ensemble.labels, ensemble.parameters}) {
    require_input(
        tensor.scalar_type() == torch::kFloat64 && tensor.device().is_cpu(),
        "ensemble: data and parameters must be float64 CPU tensors");
    require_input(
        torch::isfinite(tensor).all().item<bool>(),
        "ensemble: data and parameters must be finite");
  }

  for (const auto& training : ensemble.training) {
    validate_keep_prob(training.keep_prob, "keep_prob");
    require_input(keep_threshold(training.keep_prob) >= 1, [&] {
      return fmt::format(
          "ensemble: keep probability {} is below the 2^-33 that training's "
          "32-bit dropout draws can represent",
          training.keep_prob);
    });
    validate_lua_sgd_options(training.sgd);
  }
}

torch::Tensor flatten_parameters(const DropoutNet& net) {
  std::vector<torch::Tensor> pieces;
  auto& module = const_cast<DropoutNetImpl&>(*net);
  for (int64_t l = 1; l <= module.depth(); ++l) {
    auto& linear = module.layer(l);
    pieces.push_back(linear->weight.detach().reshape({-1}));
    pieces.push_back(linear->bias.detach().reshape({-1}));
  }
  return torch::cat(pieces).to(torch::kFloat64).cpu();
}

DropoutNet network_from_flat(
    const std::vector<int64_t>& widths,
    const torch::Tensor& flat,
    double keep_prob) {
  TORCH_CHECK(
      flat.dim() == 1 && flat.size(0) == flat_parameter_count(widths),
      "network_from_flat: expected ",
      flat_parameter_count(widths),
      " parameters, got ",
      flat.sizes());
  DropoutNet net(widths, keep_prob);
  torch::NoGradGuard no_grad;
  auto source = flat.to(torch::kFloat64).cpu();
  int64_t offset = 0;
  for (int64_t l = 1; l <= net->depth(); ++l) {
    auto& linear = net->layer(l);
    const int64_t in = widths[l - 1];
    const int64_t out = widths[l];
    linear->weight.copy_(source.narrow(0, offset, out * in).view({out, in}));
    offset += out * in;
    linear->bias.copy_(source.narrow(0, offset, out));
    offset += out;
  }
  return net;
}

torch::Tensor default_linear_initialisation(
    const std::vector<int64_t>& widths,
    int64_t n_models,
    at::Generator generator) {
  std::vector<torch::Tensor> layers;
  for (size_t l = 1; l < widths.size(); ++l) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(widths[l - 1]));
    const int64_t count = widths[l] * widths[l - 1] + widths[l];
    auto draws = torch::empty({n_models, count}, torch::kFloat64);
    draws.uniform_(-bound, bound, generator);
    layers.push_back(draws);
  }
  return torch::cat(layers, 1);
}

Ensemble slice_ensemble(
    const Ensemble& ensemble, int64_t first, int64_t count) {
  TORCH_CHECK(
      first >= 0 && count >= 1 && first + count <= ensemble.size(),
      "slice_ensemble: models ",
      first,
      "..",
      first + count - 1,
      " out of range");
  Ensemble slice;
  slice.widths = ensemble.widths;
  slice.inputs = ensemble.inputs.narrow(0, first, count).contiguous();
  slice.labels = ensemble.labels.narrow(0, first, count).contiguous();
  slice.parameters = ensemble.parameters.narrow(0, first, count).contiguous();
  slice.training.assign(
      ensemble.training.begin() + first,
      ensemble.training.begin() + first + count);
  return slice;
}

}  // namespace dropout_lab
