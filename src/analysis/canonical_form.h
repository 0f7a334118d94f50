#pragma once

#include <cstdint>

#include "dropout_net.h"

namespace dropout_lab {

struct CanonicalFormOptions {
  /// Stop when every balanced unit's incoming and outgoing squared norms
  /// differ by at most this fraction of the larger.
  double balance_tolerance = 1e-12;
  /// Sweeps over every hidden unit.
  int64_t max_sweeps = 10000;
};

/// The smallest-norm member of a network's node-wise rescaling orbit.
///
/// Rescaling hidden unit j by e^t multiplies its incoming squared weight
/// norm a_j by e^{2t} and its outgoing o_j by e^{-2t}; biases are not in
/// ||W||^2. ||W||^2 is a sum of exponentials of linear functions of the
/// log-factors, hence convex in them, and its stationary points are exactly
/// the balanced networks, a_j = o_j for every unit. Coordinate descent
/// balances one unit at a time exactly (e^{4t} = o_j / a_j), which never
/// increases ||W||^2, until every unit is balanced.
///
/// Units whose incoming or outgoing weights are all zero cannot be balanced
/// (the infimum moves the other side to zero and is not attained); they are
/// left as they are and counted in `unbalanceable_units`.
struct CanonicalForm {
  DropoutNet net{nullptr};
  double squared_norm_before = 0.0;
  double squared_norm_after = 0.0;
  /// max_j |a_j - o_j| / max(a_j, o_j) over the balanced units.
  double largest_imbalance = 0.0;
  int64_t sweeps = 0;
  int64_t unbalanceable_units = 0;
  bool converged = false;
};

/// The canonical form of `net` (which is left untouched): JD, R and every
/// D(W, x, R) are unchanged (node-wise rescalings with c > 0 are dropout
/// invariances) and the L2 norm is never larger.
CanonicalForm canonical_form(
    const DropoutNet& net, const CanonicalFormOptions& options = {});

/// Incoming and outgoing squared weight norms of hidden unit `unit` of
/// hidden layer `layer` (1..d-1).
std::pair<double, double> unit_weight_norms(
    const DropoutNet& net, int64_t layer, int64_t unit);

}  // namespace dropout_lab
