#include "network_parameters.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "keep_prob.h"

namespace dropout_lab {

std::vector<int64_t> NetworkParameters::widths() const {
  std::vector<int64_t> widths;
  widths.push_back(static_cast<int64_t>(layers.front().weight.front().size()));
  for (const auto& layer : layers) {
    widths.push_back(static_cast<int64_t>(layer.weight.size()));
  }
  return widths;
}

void validate(const NetworkParameters& parameters, const std::string& source) {
  require_input(
      !parameters.layers.empty(), fmt::format("{}: layers: empty", source));
  validate_keep_prob(parameters.keep_prob, source + ": keep_prob");

  size_t below = 0;
  for (size_t l = 0; l < parameters.layers.size(); ++l) {
    const auto& layer = parameters.layers[l];
    const auto field = fmt::format("{}: layers[{}]", source, l);
    require_input(!layer.weight.empty(), field + ".weight: no rows");
    if (l == 0) {
      below = layer.weight.front().size();
      require_input(below > 0, field + ".weight: rows have no entries");
    }
    for (size_t r = 0; r < layer.weight.size(); ++r) {
      require_input(layer.weight[r].size() == below, [&] {
        return fmt::format(
            "{}.weight[{}]: has {} entries, expected {} (the width of the "
            "layer below)",
            field,
            r,
            layer.weight[r].size(),
            below);
      });
      for (size_t c = 0; c < below; ++c) {
        require_input(std::isfinite(layer.weight[r][c]), [&] {
          return fmt::format(
              "{}.weight[{}][{}]: not a finite number", field, r, c);
        });
      }
    }
    require_input(layer.bias.size() == layer.weight.size(), [&] {
      return fmt::format(
          "{}.bias: has {} entries, expected {} (one per row of weight)",
          field,
          layer.bias.size(),
          layer.weight.size());
    });
    for (size_t r = 0; r < layer.bias.size(); ++r) {
      require_input(std::isfinite(layer.bias[r]), [&] {
        return fmt::format("{}.bias[{}]: not a finite number", field, r);
      });
    }
    below = layer.weight.size();
  }
  require_input(
      below == 1,
      fmt::format(
          "{}: the last layer must have one row (the output unit), got {}",
          source,
          below));
}

NetworkParameters parameters_of(DropoutNet& net) {
  NetworkParameters parameters;
  parameters.keep_prob = net->keep_prob();
  for (int64_t l = 1; l <= net->depth(); ++l) {
    auto weight =
        net->layer(l)->weight.detach().to(torch::kCPU, torch::kFloat64);
    auto bias = net->layer(l)->bias.detach().to(torch::kCPU, torch::kFloat64);
    LayerParameters layer;
    auto w = weight.accessor<double, 2>();
    for (int64_t r = 0; r < weight.size(0); ++r) {
      std::vector<double> row(weight.size(1));
      for (int64_t c = 0; c < weight.size(1); ++c) {
        row[c] = w[r][c];
      }
      layer.weight.push_back(std::move(row));
    }
    auto b = bias.accessor<double, 1>();
    for (int64_t r = 0; r < bias.size(0); ++r) {
      layer.bias.push_back(b[r]);
    }
    parameters.layers.push_back(std::move(layer));
  }
  return parameters;
}

DropoutNet network_from(
    const NetworkParameters& parameters, const std::string& source) {
  validate(parameters, source);
  DropoutNet net(parameters.widths(), parameters.keep_prob);

  torch::NoGradGuard no_grad;
  for (size_t l = 0; l < parameters.layers.size(); ++l) {
    const auto& layer = parameters.layers[l];
    auto& linear = net->layer(static_cast<int64_t>(l) + 1);
    auto w = linear->weight.accessor<double, 2>();
    for (size_t r = 0; r < layer.weight.size(); ++r) {
      for (size_t c = 0; c < layer.weight[r].size(); ++c) {
        w[r][c] = layer.weight[r][c];
      }
      linear->bias[r] = layer.bias[r];
    }
  }
  return net;
}

}  // namespace dropout_lab
