#include "fit.h"

#include <cmath>

namespace dropout_lab {

double criterion_gradient_norm(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion) {
  net->zero_grad();
  criterion(net).backward();
  double squared = 0.0;
  for (const auto& parameter : net->parameters()) {
    if (parameter.grad().defined()) {
      squared += parameter.grad().square().sum().item<double>();
    }
  }
  net->zero_grad();
  return std::sqrt(squared);
}

FitResult fit_criterion(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion,
    const FitOptions& options) {
  // Each outer step runs a short burst of L-BFGS iterations; between bursts
  // the gradient norm is measured on its own so that the stopping rule does
  // not depend on the optimiser's internal tolerances.
  constexpr int64_t kBurst = 50;
  torch::optim::LBFGS optimiser(
      net->parameters(),
      torch::optim::LBFGSOptions(1.0)
          .max_iter(kBurst)
          .history_size(options.history_size)
          .tolerance_grad(options.gradient_tolerance / 10)
          .tolerance_change(0.0)
          .line_search_fn("strong_wolfe"));
  auto closure = [&] {
    optimiser.zero_grad();
    auto value = criterion(net);
    value.backward();
    return value;
  };

  FitResult result;
  double previous = INFINITY;
  while (result.iterations < options.max_iterations) {
    optimiser.step(closure);
    result.iterations += kBurst;

    result.gradient_norm = criterion_gradient_norm(net, criterion);
    result.criterion = criterion(net).item<double>();
    if (result.gradient_norm < options.gradient_tolerance) {
      result.converged = true;
      break;
    }
    // A burst that changed nothing will not be followed by one that does.
    if (result.criterion == previous) {
      break;
    }
    previous = result.criterion;
  }
  return result;
}

}  // namespace dropout_lab
