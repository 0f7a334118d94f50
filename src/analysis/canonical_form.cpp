#include "canonical_form.h"

#include <algorithm>
#include <cmath>

#include "rescaling.h"
#include "weight_decay.h"

namespace dropout_lab {
std::pair<double, double> unit_weight_norms(
    const DropoutNet& net, int64_t layer, int64_t unit) {
  const auto weights = net->weights();
  const double incoming =
      weights[layer - 1][unit].square().sum().item<double>();
  const double outgoing =
      weights[layer].select(1, unit).square().sum().item<double>();
  return {incoming, outgoing};
}

CanonicalForm canonical_form(
    const DropoutNet& net, const CanonicalFormOptions& options) {
  CanonicalForm form;
  form.net = clone_network(net);
  form.squared_norm_before = squared_weight_norm(net);
  torch::NoGradGuard no_grad;

  for (form.sweeps = 0; form.sweeps < options.max_sweeps; ++form.sweeps) {
    // One sweep: balance every unit, then measure the imbalance left.
    for (int64_t l = 1; l < net->depth(); ++l) {
      for (int64_t j = 0; j < net->widths()[l]; ++j) {
        const auto [incoming, outgoing] = unit_weight_norms(form.net, l, j);
        if (incoming > 0 && outgoing > 0 && incoming != outgoing) {
          // In place, as rescale_unit does: row j and bias j times c,
          // column j of the next layer divided by c.
          const double c = std::pow(outgoing / incoming, 0.25);
          form.net->layer(l)->weight[j].mul_(c);
          form.net->layer(l)->bias[j].mul_(c);
          form.net->layer(l + 1)->weight.select(1, j).div_(c);
        }
      }
    }

    form.largest_imbalance = 0.0;
    form.unbalanceable_units = 0;
    for (int64_t l = 1; l < net->depth(); ++l) {
      for (int64_t j = 0; j < net->widths()[l]; ++j) {
        const auto [incoming, outgoing] = unit_weight_norms(form.net, l, j);
        if (incoming == 0 || outgoing == 0) {
          form.unbalanceable_units += incoming == outgoing ? 0 : 1;
          continue;
        }
        form.largest_imbalance = std::max(
            form.largest_imbalance,
            std::abs(incoming - outgoing) / std::max(incoming, outgoing));
      }
    }
    if (form.largest_imbalance <= options.balance_tolerance) {
      form.converged = true;
      ++form.sweeps;
      break;
    }
  }
  form.squared_norm_after = squared_weight_norm(form.net);
  return form;
}

}  // namespace dropout_lab
