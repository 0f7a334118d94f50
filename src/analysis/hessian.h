#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "dropout_net.h"

namespace dropout_lab {

/// A scalar criterion of a network, differentiable twice with autograd.
using NetworkCriterion = std::function<torch::Tensor(DropoutNet&)>;

/// Every parameter as one float64 vector theta, in the order of
/// net->parameters(): W_1 (row-major), b_1, W_2, b_2, ..., w, b.
torch::Tensor flat_parameters(const DropoutNet& net);

/// The gradient of `criterion` with respect to theta, [P].
torch::Tensor criterion_gradient(
    DropoutNet& net, const NetworkCriterion& criterion);

/// The Hessian H_ij = d^2 criterion / d theta_i d theta_j, [P, P], by
/// double backward through autograd (one backward pass per row), then
/// symmetrised as (H + H^T) / 2 to remove rounding asymmetry.
torch::Tensor criterion_hessian(
    DropoutNet& net, const NetworkCriterion& criterion);

/// The node-wise rescaling of hidden unit `unit` of hidden layer `layer` by
/// c = e^t (rescale_unit) moves theta along theta(t) = exp(t M) theta with
/// M = diag(m): m is +1 on the unit's incoming weights and bias, -1 on its
/// outgoing weights and 0 elsewhere. Returns m, [P].
torch::Tensor unit_rescaling_mask(DropoutNet& net, int64_t layer, int64_t unit);

/// The orbit tangent v = d theta / dt at t = 0, that is m .* theta.
torch::Tensor unit_rescaling_tangent(
    DropoutNet& net, int64_t layer, int64_t unit);

/// The layer-wise rescaling with c_layer = e^t and c_{layer+1} = e^{-t}
/// (product 1) is every unit of hidden layer `layer` rescaled at once, so
/// its mask is the sum of those units' masks. Returns the tangent m .* theta.
torch::Tensor layer_rescaling_tangent(DropoutNet& net, int64_t layer);

/// How the criterion curves along one orbit tangent v.
struct OrbitDirection {
  std::string name;
  /// Hidden layer and unit (0-based) of a node-wise direction; unit is -1
  /// for a layer-wise direction.
  int64_t layer = 0;
  int64_t unit = -1;
  double tangent_norm = 0.0;
  /// ||H v|| / ||v||.
  double null_residual = 0.0;
  /// v^T H v / v^T v.
  double curvature = 0.0;
  /// ||m .* g|| / ||v||: where the criterion is constant on the orbit,
  /// differentiating g(exp(tM) theta)^T M theta = 0 in theta gives
  /// H v = -M g exactly, so this bounds null_residual at any point.
  double gradient_bound = 0.0;
};

/// The Hessian spectrum at a point and the orbit directions through it.
struct FlatnessReport {
  int64_t n_parameters = 0;
  double gradient_norm = 0.0;
  /// Ascending.
  std::vector<double> eigenvalues;
  /// max |eigenvalue|.
  double largest_eigenvalue = 0.0;
  /// One per hidden unit with weights: incoming and outgoing squared
  /// weight norms both above kWeightTolerance max(||W||^2, 1). A unit without
  /// (such as one weight decay has pruned) keeps at most its bias, which moves
  /// nothing downstream, so its orbit says nothing about curvature.
  std::vector<OrbitDirection> unit_directions;
  int64_t units_without_weights = 0;
  /// One per hidden layer.
  std::vector<OrbitDirection> layer_directions;
  /// Rank of the matrix of unit tangents (their span's dimension).
  int64_t tangent_rank = 0;
  /// Eigenvalues with |lambda| <= zero_band.
  int64_t near_zero_eigenvalues = 0;
  double zero_tolerance = 0.0;
  /// max(zero_tolerance * largest_eigenvalue, sqrt(r) eps / sigma_min):
  /// eps the largest ||H v|| / ||v|| over the r unit tangents and sigma_min
  /// the smallest singular value of the matrix of normalised tangents.
  /// Every unit vector u in their span has ||H u|| <= sqrt(r) eps /
  /// sigma_min, so by the min-max theorem at least `tangent_rank`
  /// eigenvalues lie in [-band, band] whatever the point; at a minimiser
  /// of JD eps is bounded by the gradient (H v = -M g) and the band is
  /// small.
  double zero_band = 0.0;
  /// The smallest eigenvalue above the zero band: the weakest curvature
  /// across the orbits (0 when there is none).
  double smallest_curvature = 0.0;
};

/// Relative size below which a unit's incoming or outgoing squared weight
/// norm counts as zero (see FlatnessReport::unit_directions).
constexpr double kWeightTolerance = 1e-10;

/// Hessian, eigenvalues (torch::linalg::eigvalsh) and orbit directions of
/// `criterion` at the current parameters of `net`.
FlatnessReport analyse_flatness(
    DropoutNet& net, const NetworkCriterion& criterion, double zero_tolerance);

}  // namespace dropout_lab
