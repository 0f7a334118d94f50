#include "w_neg_network.h"

#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "keep_prob.h"

namespace dropout_lab {
namespace {

void validate_shape(int64_t n_inputs, int64_t width, int64_t depth) {
  require_input(
      n_inputs >= 1 && depth >= 2 && width >= n_inputs && width % n_inputs == 0,
      fmt::format(
          "W_neg: needs K >= 1, d >= 2 and n a multiple of K, got K = {}, "
          "n = {}, d = {}",
          n_inputs,
          width,
          depth));
}

// E S and E S^2 of the comment in the header, without the factor
// (1 - q^K) that both share; validates the arguments.
std::pair<double, double> moments(
    int64_t n_inputs, int64_t width, int64_t depth, double p) {
  validate_shape(n_inputs, width, depth);
  validate_keep_prob(p, "keep_prob");

  const double ratio = drop_prob(p) / p;
  const double copies = static_cast<double>(width / n_inputs);
  double mean = copies / p;
  double square = (copies * copies + copies * ratio) / (p * p);
  for (int64_t l = 2; l < depth; ++l) {
    mean *= width;
    square *= width * width + width * ratio;
  }
  return {mean, square};
}

// JD of W_neg at its optimal c on the distribution with mass 1/2 on zero
// and 1/2 on 0/1 inputs with `n_ones` ones, label 1: only the chance that
// some one is kept, 1 - q^n_ones, depends on the inputs.
double criterion_with_ones(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double keep_prob,
    double output_bias,
    int64_t n_ones) {
  const auto [mean, square] = moments(n_inputs, width, depth, keep_prob);
  const double some_kept =
      1.0 - std::pow(drop_prob(keep_prob), static_cast<double>(n_ones));
  const double missing = 1.0 - output_bias;
  return 0.5 * output_bias * output_bias +
         0.5 * missing * missing * (1.0 - some_kept * mean * mean / square);
}

}  // namespace

torch::Tensor first_one_gadget(int64_t n_inputs) {
  require_input(
      n_inputs >= 1,
      fmt::format("first-one gadget: K must be >= 1, got {}", n_inputs));
  auto gadget = torch::zeros({n_inputs, n_inputs}, torch::kFloat64);
  for (int64_t i = 0; i < n_inputs; ++i) {
    gadget[i].narrow(0, 0, i).fill_(-1.0);
    gadget[i][i] = 1.0;
  }
  return gadget;
}

DropoutNet w_neg_network(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double output_weight,
    double output_bias,
    double keep_prob) {
  validate_shape(n_inputs, width, depth);
  auto net = standard_architecture(n_inputs, depth, width, keep_prob);
  torch::NoGradGuard no_grad;
  net->layer(1)->weight.copy_(
      first_one_gadget(n_inputs).repeat({width / n_inputs, 1}));
  for (int64_t l = 2; l < depth; ++l) {
    net->layer(l)->weight.fill_(1.0);
  }
  net->layer(depth)->weight.fill_(output_weight);
  for (int64_t l = 1; l <= depth; ++l) {
    net->layer(l)->bias.zero_();
  }
  net->layer(depth)->bias.fill_(output_bias);
  return net;
}

double w_neg_output_weight(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double keep_prob,
    double output_bias) {
  const auto [mean, square] = moments(n_inputs, width, depth, keep_prob);
  return (1.0 - output_bias) * mean / square;
}

double w_neg_dropout_criterion(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double keep_prob,
    double output_bias) {
  return criterion_with_ones(
      n_inputs, width, depth, keep_prob, output_bias, n_inputs);
}

double w_neg_zero_embedding_criterion(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double keep_prob,
    double output_bias) {
  require_input(
      n_inputs >= 2,
      fmt::format(
          "W_neg on a zero-embedding: K must be >= 2, got {}", n_inputs));
  return criterion_with_ones(n_inputs, width, depth, keep_prob, output_bias, 2);
}

}  // namespace dropout_lab
