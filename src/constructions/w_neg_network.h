#pragma once

#include <cstdint>

#include "dropout_net.h"

namespace dropout_lab {

/// The first-one gadget on K inputs: K hidden units; unit i has weight +1 on
/// input i, -1 on every input before i and 0 after, bias 0. On a 0/1 input
/// that is not all zero exactly one unit is active, the one at the first 1,
/// with value equal to that input. Returned as the K x K weight matrix.
torch::Tensor first_one_gadget(int64_t n_inputs);

/// W_neg: the first hidden layer is n/K copies of the first-one gadget, the
/// weights between later hidden layers are all 1, every output weight is
/// `output_weight`, and every bias is 0 except the output bias
/// `output_bias`. n must be a multiple of K.
DropoutNet w_neg_network(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double output_weight,
    double output_bias = 0.0,
    double keep_prob = 0.5);

/// The output weight c that minimises JD(W_neg) on P(1,1) for a given
/// output bias b.
///
/// On the zero input every hidden unit is off and the output is b. On the
/// all-ones input, if some input is kept (probability 1 - q^K), each of the m =
/// n/K gadget copies has one active unit of value 1/p, and every later layer
/// multiplies by the number of kept units below it over p, so D = c S with
///   S = (1/p) (N_1/p) (N_2/p) ... (N_{d-1}/p),
/// N_1 ~ Bin(m, p) and N_l ~ Bin(n, p) independent. E(N/p) = count and
/// E(N/p)^2 = count^2 + count q/p give E S and E S^2. The output is b on
/// the zero input and c S + b on the ones input (label 1), so JD is
/// minimised at c = (1 - b) E S / E S^2.
double w_neg_output_weight(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double keep_prob,
    double output_bias = 0.0);

/// JD(W_neg) on P(1,1) at that c:
///   b^2 / 2 + ((1 - b)^2 / 2) (1 - E[S]^2 / E[S^2]),  where
///   E[S]^2 / E[S^2] = (1 - q^K) / ((1 + qK/(pn)) (1 + q/(pn))^(d-2)).
/// With b = 0 and p = 1/2 this is
/// (1/2)(1 - (1 - 2^-K) / ((1 + K/n)(1 + 1/n)^(d-2))); with b = 1/5, K = 2
/// and p = 1/2 it tends to 1/50 + (8/25)(1/4) = 1/10 as n grows.
double w_neg_dropout_criterion(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double keep_prob,
    double output_bias = 0.0);

/// JD of the same W_neg (K-input gadgets, output weight
/// w_neg_output_weight) on any zero-embedding in K dimensions (spec R7).
///
/// On a two-hot input with ones at a < b, a gadget copy has exactly one
/// active unit of value 1/p when input a or b is kept (unit a if a is
/// kept, else unit b; every other unit sees a -1 from the first kept one or
/// nothing), so D = c S as on P(1,1) with probability 1 - q^2 in place of
/// 1 - q^K, the same for every pair. Hence the optimal c is unchanged and
///   JD = b^2 / 2 + ((1 - b)^2 / 2) (1 - (1 - q^2) E'[S]^2 / E'[S^2]),
/// with E' the moments without that factor, whatever the pairs and their
/// masses. For K = 2 it equals w_neg_dropout_criterion.
double w_neg_zero_embedding_criterion(
    int64_t n_inputs,
    int64_t width,
    int64_t depth,
    double keep_prob,
    double output_bias = 0.0);

}  // namespace dropout_lab
