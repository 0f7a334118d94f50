#include "depth_network.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "keep_prob.h"
#include "uniform_weight_network.h"

namespace dropout_lab {
namespace {

double path_count(int64_t n_inputs, int64_t depth, int64_t width) {
  return n_inputs * std::pow(static_cast<double>(width), depth - 1);
}

}  // namespace

double depth_network_weight(
    int64_t n_inputs, int64_t depth, int64_t width, double label) {
  const double paths = path_count(n_inputs, depth, width);
  require_input(
      label >= 0.0 && label <= paths,
      fmt::format(
          "depth network: label must lie in [0, K n^(d-1)] = [0, {}], got {}",
          paths,
          label));
  return std::pow(label / paths, 1.0 / depth);
}

DropoutNet depth_network(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double keep_prob) {
  return uniform_weight_network(
      n_inputs,
      depth,
      width,
      depth_network_weight(n_inputs, depth, width, label),
      keep_prob);
}

double depth_network_dropout_criterion(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double keep_prob) {
  validate_keep_prob(keep_prob, "keep_prob");
  const double ratio = drop_prob(keep_prob) / keep_prob;
  const double growth =
      (1.0 + ratio / n_inputs) *
      std::pow(1.0 + ratio / width, static_cast<double>(depth - 1));
  return label * label * (growth - 1.0);
}

double depth_network_l2_penalty(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double lambda) {
  const double c = depth_network_weight(n_inputs, depth, width, label);
  return 0.5 * lambda * c * c * standard_weight_count(n_inputs, depth, width);
}

double depth_network_l2_bound(
    int64_t n_inputs,
    int64_t depth,
    int64_t width,
    double label,
    double lambda) {
  return 0.5 * lambda * std::pow(label, 2.0 / depth) *
         standard_weight_count(n_inputs, depth, width);
}

}  // namespace dropout_lab
