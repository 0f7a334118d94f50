#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "dropout_pattern.h"
#include "ensemble.h"
#include "ensemble_trainer.h"

namespace dropout_lab {

/// One of the simulation's regularisers.
struct Figure2Variant {
  std::string name;
  double keep_prob = 1.0;
  double weight_decay = 0.0;
};

/// The simulation of the paper's Figure 2: in each run, training inputs
/// uniform in [-1, 1]^K with label y = prod_i sign(x_i), the same inputs
/// multiplied by each scale (labels unchanged), one default-initialised
/// network cloned for every scale and variant, and Lua Torch SGD with one
/// example per step.
struct Figure2Options {
  int64_t runs = 10;
  int64_t steps = 100000;
  std::vector<double> scales{0.5, 0.75, 1.0, 1.25, 1.5};
  int64_t n_inputs = 5;
  int64_t n_examples = 10;
  /// Hidden layers of `width` units; `depth` counts weight layers.
  int64_t width = 5;
  int64_t depth = 2;
  /// The dropout variant's keep probability, and the probability at which
  /// every trained network's exact dropout criterion is reported.
  double keep_prob = 0.5;
  /// The weight-decay variant's lambda, and the lambda of the reported L2
  /// penalty (lambda / 2) ||W||^2.
  double lambda = 0.5;
  /// Step size, its decay and momentum; weight_decay is set per variant.
  LuaSgdOptions sgd;
  double divergence_threshold = 1e6;
  /// The most dropout patterns the exact criterion of a trained network
  /// may enumerate; larger networks are refused before any training.
  int64_t max_patterns = kDefaultMaxPatterns;
  uint64_t seed = 1;
  TrainingBackend backend = TrainingBackend::automatic;
  torch::Device device = torch::kCPU;
  bool progress = false;
};

/// Throws InputError naming the field unless every option is in range.
void validate_figure2_options(const Figure2Options& options);

/// dropout (keep_prob, no decay), weight decay (lambda, no dropout), none.
std::vector<Figure2Variant> figure2_variants(const Figure2Options& options);

/// The widths K, width x (depth - 1), 1.
std::vector<int64_t> figure2_widths(const Figure2Options& options);

/// Every training of the protocol as one ensemble, model index
/// `(run * n_scales + scale) * n_variants + variant`. The trainings of one
/// run share their initial network and their random stream (example order
/// and dropout draws): common random numbers, so that differences between
/// scales and variants are not blurred by different luck.
Ensemble figure2_ensemble(const Figure2Options& options);

/// One trained network of the protocol.
struct Figure2Training {
  int64_t run = 0;
  double scale = 1.0;
  std::string variant;
  /// Plain risk R on the run's scaled training set, the exact dropout
  /// criterion JD at the protocol's keep probability on it, and the L2
  /// penalty (lambda / 2) ||W||^2; NaN for a diverged training.
  double risk = 0.0;
  double dropout_criterion = 0.0;
  double l2_penalty = 0.0;
  /// -1, or the step at which the training diverged.
  int64_t diverged_at = -1;
};

/// Means and standard errors over the runs that did not diverge.
struct Figure2Summary {
  std::string variant;
  double scale = 1.0;
  int64_t trained = 0;
  int64_t diverged = 0;
  double mean_risk = 0.0;
  double stderr_risk = 0.0;
  double mean_dropout_criterion = 0.0;
  double stderr_dropout_criterion = 0.0;
  double mean_l2_penalty = 0.0;
  double stderr_l2_penalty = 0.0;
};

struct Figure2Result {
  std::vector<Figure2Training> trainings;
  /// Per variant, then per scale in the order of the options.
  std::vector<Figure2Summary> summaries;
  /// Seconds spent in the trainer alone, and the model-steps it computed.
  double training_seconds = 0.0;
  int64_t model_steps = 0;
};

/// Trains the whole protocol and evaluates every network.
Figure2Result run_figure2(const Figure2Options& options);

/// Evaluates trained parameters [M, P] of `figure2_ensemble(options)`.
std::vector<Figure2Training> evaluate_figure2(
    const Figure2Options& options,
    const Ensemble& ensemble,
    const TrainingOutcome& outcome);

/// Groups trainings by variant and scale; diverged ones are counted and
/// left out of the means.
std::vector<Figure2Summary> summarise_figure2(
    const Figure2Options& options,
    const std::vector<Figure2Training>& trainings);

}  // namespace dropout_lab
