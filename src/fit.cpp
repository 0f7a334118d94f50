#include "fit.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>

namespace dropout_lab {
namespace {

// The L-BFGS method of fit_criterion, continuing the counts in `result`.
void fit_lbfgs(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion,
    const FitOptions& options,
    FitResult& result) {
  // Each outer step runs a short burst of L-BFGS iterations; between bursts
  // the gradient norm is measured on its own so that the stopping rule does
  // not depend on the optimiser's internal tolerances.
  constexpr int64_t kBurst = 50;
  const auto fresh_optimiser = [&] {
    return std::make_unique<torch::optim::LBFGS>(
        net->parameters(),
        torch::optim::LBFGSOptions(1.0)
            .max_iter(kBurst)
            .history_size(options.history_size)
            .tolerance_grad(options.gradient_tolerance / 10)
            .tolerance_change(0.0)
            .line_search_fn("strong_wolfe"));
  };
  auto optimiser = fresh_optimiser();
  auto closure = [&] {
    optimiser->zero_grad();
    auto value = criterion(net);
    value.backward();
    return value;
  };

  double previous = INFINITY;
  int64_t fresh_starts_left = options.fresh_starts;
  const int64_t last = result.iterations + options.max_iterations;
  while (result.iterations < last) {
    // The last burst is cut short so that max_iterations is honoured.
    const int64_t burst = std::min(kBurst, last - result.iterations);
    static_cast<torch::optim::LBFGSOptions&>(
        optimiser->param_groups()[0].options())
        .max_iter(burst);
    optimiser->step(closure);
    result.iterations += burst;

    result.gradient_norm = criterion_gradient_norm(net, criterion);
    result.criterion = criterion(net).item<double>();
    if (result.gradient_norm < options.gradient_tolerance) {
      result.converged = true;
      break;
    }
    // A burst that changed nothing will not be followed by one that does,
    // unless the curvature memory that stalled it is forgotten.
    if (result.criterion == previous) {
      if (fresh_starts_left == 0) {
        break;
      }
      --fresh_starts_left;
      optimiser = fresh_optimiser();
    }
    previous = result.criterion;
  }
}

// The Adam method of fit_criterion.
void fit_adam(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion,
    const FitOptions& options,
    FitResult& result) {
  TORCH_CHECK(
      options.adam_steps >= 1 && options.adam_learning_rate > 0 &&
          options.adam_final_learning_rate > 0 && options.adam_patience >= 1,
      "fit_criterion: Adam needs steps >= 1, positive step sizes and "
      "patience >= 1");
  if (options.projection) {
    torch::NoGradGuard no_grad;
    options.projection(net);
  }

  torch::optim::Adam optimiser(
      net->parameters(), torch::optim::AdamOptions(options.adam_learning_rate));
  const double decay =
      std::log(options.adam_final_learning_rate / options.adam_learning_rate);
  // Criterion values of the last `adam_patience` steps, for the stop on
  // a stalled decrease.
  std::deque<double> recent;
  for (int64_t step = 0; step < options.adam_steps; ++step) {
    const double rate =
        options.adam_learning_rate *
        std::exp(decay * static_cast<double>(step) / options.adam_steps);
    for (auto& group : optimiser.param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(rate);
    }

    optimiser.zero_grad();
    auto value = criterion(net);
    value.backward();
    const double current = value.item<double>();
    double squared = 0.0;
    for (const auto& parameter : net->parameters()) {
      if (parameter.grad().defined()) {
        squared += parameter.grad().square().sum().item<double>();
      }
    }
    if (std::sqrt(squared) < options.gradient_tolerance) {
      break;
    }
    recent.push_back(current);
    if (static_cast<int64_t>(recent.size()) > options.adam_patience) {
      const double earlier = recent.front();
      recent.pop_front();
      if (earlier - current < options.adam_change_tolerance) {
        break;
      }
    }

    optimiser.step();
    ++result.iterations;
    if (options.projection) {
      torch::NoGradGuard no_grad;
      options.projection(net);
    }
  }
  net->zero_grad();

  result.gradient_norm = criterion_gradient_norm(net, criterion);
  result.criterion = criterion(net).item<double>();
  result.converged = result.gradient_norm < options.gradient_tolerance;
}

}  // namespace

double criterion_gradient_norm(
    DropoutNet& net,
    const std::function<torch::Tensor(DropoutNet&)>& criterion) {
  // Callers reporting results often hold a NoGradGuard.
  torch::AutoGradMode enable(true);
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
  FitResult result;
  if (options.method == FitMethod::lbfgs) {
    TORCH_CHECK(
        !options.projection,
        "fit_criterion: a projection needs FitMethod::adam (L-BFGS's line "
        "search cannot be projected step by step)");
    fit_lbfgs(net, criterion, options, result);
    return result;
  }

  fit_adam(net, criterion, options, result);
  if (!options.projection && options.polish && !result.converged) {
    fit_lbfgs(net, criterion, options, result);
  }
  return result;
}

DropoutSgdResult train_dropout_sgd(
    DropoutNet& net,
    const ExampleDistribution& data,
    const DropoutSgdOptions& options,
    at::Generator generator) {
  TORCH_CHECK(
      options.steps >= 0 && options.learning_rate > 0 &&
          options.decay_steps > 0,
      "train_dropout_sgd: needs steps >= 0 and a positive step size and "
      "decay");
  TORCH_CHECK(
      data.input_dim() == net->input_dim(),
      "train_dropout_sgd: the network takes ",
      net->input_dim(),
      " inputs, the data has ",
      data.input_dim());
  if (options.projection) {
    torch::NoGradGuard no_grad;
    options.projection(net);
  }

  // Every example index is drawn up front (the draws do not depend on the
  // parameters); the patterns are drawn step by step in the forward pass.
  const auto indices = torch::multinomial(
      data.mass.to(torch::kCPU), options.steps, true, generator);
  const auto* index = indices.data_ptr<int64_t>();
  auto parameters = net->parameters();
  DropoutSgdResult result;
  for (int64_t step = 0; step < options.steps; ++step) {
    const int64_t i = index[step];
    auto x = data.x.narrow(0, i, 1);
    auto y = data.y.narrow(0, i, 1);
    net->zero_grad();
    auto loss = (net->forward_with_dropout(x, generator) - y).square().sum();
    loss.backward();
    if (!std::isfinite(loss.item<double>())) {
      result.diverged = true;
      break;
    }

    const double rate =
        options.learning_rate / (1.0 + step / options.decay_steps);
    {
      torch::NoGradGuard no_grad;
      for (auto& parameter : parameters) {
        parameter.add_(parameter.grad(), -rate);
      }
      if (options.projection) {
        options.projection(net);
      }
    }
    ++result.steps;
  }
  net->zero_grad();

  torch::NoGradGuard no_grad;
  for (const auto& parameter : parameters) {
    if (!torch::isfinite(parameter).all().item<bool>()) {
      result.diverged = true;
    }
  }
  return result;
}

double golden_section_minimum(
    const std::function<double(double)>& function,
    double low,
    double high,
    double tolerance) {
  TORCH_CHECK(
      low < high && tolerance > 0,
      "golden_section_minimum: needs low < high and tolerance > 0");
  // Each step keeps the part of the bracket that holds the lower of two
  // interior points, which shrinks it by 1/phi and reuses one point.
  const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = low;
  double b = high;
  double left = b - ratio * (b - a);
  double right = a + ratio * (b - a);
  double f_left = function(left);
  double f_right = function(right);
  while (b - a > tolerance) {
    if (f_left <= f_right) {
      b = right;
      right = left;
      f_right = f_left;
      left = b - ratio * (b - a);
      f_left = function(left);
    } else {
      a = left;
      left = right;
      f_left = f_right;
      right = a + ratio * (b - a);
      f_right = function(right);
    }
  }
  return (a + b) / 2;
}

void project_nonnegative_weights(DropoutNet& net) {
  torch::NoGradGuard no_grad;
  for (auto& weight : net->weights()) {
    weight.clamp_min_(0.0);
  }
}

double most_negative_weight(const DropoutNet& net) {
  double lowest = 0.0;
  for (const auto& weight : net->weights()) {
    lowest = std::min(lowest, weight.min().item<double>());
  }
  return lowest;
}

}  // namespace dropout_lab
