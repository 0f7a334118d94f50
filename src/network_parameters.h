#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dropout_net.h"

namespace dropout_lab {

/// One layer as plain numbers: `weight` has one row per unit of the layer
/// and one column per unit of the layer below.
struct LayerParameters {
  std::vector<std::vector<double>> weight;
  std::vector<double> bias;
};

/// A network as plain numbers, from the inputs' layer to the output: the
/// exchange format for files and for reference computations that must not
/// share code with the tensor path.
struct NetworkParameters {
  std::vector<LayerParameters> layers;
  double keep_prob = 0.5;

  /// {K, h_1, ..., 1}; valid only after validate().
  std::vector<int64_t> widths() const;
};

/// Throws InputError, prefixed with `source`, unless the layers chain (each
/// weight has as many columns as the layer below has units, one bias per
/// row), the last layer has one row, every number is finite and keep_prob
/// lies in (0, 1].
void validate(const NetworkParameters& parameters, const std::string& source);

/// The parameters of `net`, copied to the CPU as doubles.
NetworkParameters parameters_of(DropoutNet& net);

/// A float64 network with these parameters; validates them first.
DropoutNet network_from(
    const NetworkParameters& parameters, const std::string& source = "network");

}  // namespace dropout_lab
