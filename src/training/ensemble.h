#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "dropout_net.h"
#include "lua_sgd.h"

namespace dropout_lab {

/// How one member of an ensemble is trained.
struct ModelTraining {
  /// 1 trains without dropout.
  double keep_prob = 1.0;
  LuaSgdOptions sgd;
  /// Key of the model's TrainingStream: its example order and dropout
  /// patterns.
  uint64_t stream_key = 0;
};

/// Many independent networks of the same widths, each with its own training
/// set, initial parameters, random stream and hyper-parameters: the unit of
/// work of the ensemble trainers.
///
/// Parameters are stored flat, one row per model, layer after layer, each
/// layer as its weight matrix (row-major, outputs by inputs) followed by its
/// biases; `flatten_parameters` and `network_from_flat` convert.
///
/// Limitation: every member has the same number of training examples; a
/// per-model example count (padding plus a length per row) would lift it.
struct Ensemble {
  std::vector<int64_t> widths;
  /// [M, m, K] float64: model i trains on inputs[i].
  torch::Tensor inputs;
  /// [M, m] float64.
  torch::Tensor labels;
  /// [M, P] float64 initial parameters.
  torch::Tensor parameters;
  /// M entries.
  std::vector<ModelTraining> training;

  int64_t size() const {
    return static_cast<int64_t>(training.size());
  }
  int64_t n_examples() const {
    return inputs.size(1);
  }
};

/// Throws InputError unless shapes, dtypes, keep probabilities and
/// optimiser settings are consistent.
void validate_ensemble(const Ensemble& ensemble);

/// P, the number of weights and biases of a network with these widths.
int64_t flat_parameter_count(const std::vector<int64_t>& widths);

/// The parameters of `net` in the ensemble's flat layout, [P] float64.
torch::Tensor flatten_parameters(const DropoutNet& net);

/// A float64 network with the given widths and flat parameters [P].
DropoutNet network_from_flat(
    const std::vector<int64_t>& widths,
    const torch::Tensor& flat,
    double keep_prob);

/// LibTorch's (and Lua Torch's) default Linear initialisation, drawn from
/// `generator` so that it is reproducible: every weight and bias of a layer
/// with fan-in f uniform in [-1/sqrt(f), 1/sqrt(f)]. Returns [n_models, P].
torch::Tensor default_linear_initialisation(
    const std::vector<int64_t>& widths,
    int64_t n_models,
    at::Generator generator);

/// Models first..first+count-1 of `ensemble` as an ensemble of their own.
Ensemble slice_ensemble(const Ensemble& ensemble, int64_t first, int64_t count);

}  // namespace dropout_lab
