#include "figure2_protocol.h"

#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dropout_pattern.h"
#include "errors.h"
#include "exact_dropout_criterion.h"
#include "example_distribution.h"
#include "keep_prob.h"
#include "risk.h"
#include "training_stream.h"
#include "weight_decay.h"

namespace dropout_lab {
namespace {

// The protocol's random draws, one generator per purpose and run, so that
// changing the number of runs or scales leaves the other runs alone.
at::Generator run_generator(uint64_t seed, int64_t run, uint64_t purpose) {
  return make_generator(stream_key(seed, static_cast<uint64_t>(run), purpose));
}

constexpr uint64_t kDataPurpose = 1;
constexpr uint64_t kInitPurpose = 2;
constexpr uint64_t kStreamPurpose = 3;

// Mean and standard error of the mean (sample standard deviation over
// sqrt(n)); the error is NaN below two values.
std::pair<double, double> mean_and_stderr(const std::vector<double>& values) {
  const double n = static_cast<double>(values.size());
  if (values.empty()) {
    return {std::nan(""), std::nan("")};
  }
  double sum = 0.0;
  for (double value : values) {
    sum += value;
  }
  const double mean = sum / n;
  if (values.size() < 2) {
    return {mean, std::nan("")};
  }
  double squares = 0.0;
  for (double value : values) {
    squares += (value - mean) * (value - mean);
  }
  return {mean, std::sqrt(squares / (n - 1.0) / n)};
}

}  // namespace

void validate_figure2_options(const Figure2Options& options) {
  auto positive = [](int64_t value, const char* field) {
    require_input(value >= 1, [&] {
      return fmt::format("{}: must be >= 1, got {}", field, value);
    });
  };
  positive(options.runs, "--runs");
  positive(options.n_inputs, "inputs");
  positive(options.n_examples, "--examples");
  positive(options.width, "--width");
  positive(options.depth, "--depth");
  require_input(options.steps >= 0, [&] {
    return fmt::format("--steps: must be >= 0, got {}", options.steps);
  });
  require_input(!options.scales.empty(), "--scales: give at least one scale");
  for (double scale : options.scales) {
    require_input(std::isfinite(scale) && scale > 0.0, [&] {
      return fmt::format("--scales: {} is not a positive number", scale);
    });
  }
  for (size_t a = 0; a < options.scales.size(); ++a) {
    for (size_t b = 0; b < a; ++b) {
      require_input(options.scales[a] != options.scales[b], [&] {
        return fmt::format("--scales: {} is listed twice", options.scales[a]);
      });
    }
  }
  validate_keep_prob(options.keep_prob, "--keep-prob");
  // Training draws each unit with a 32-bit uniform, so keep probabilities
  // are resolved to 2^-32; far below that a unit would never be kept.
  require_input(options.keep_prob >= 1e-6, [&] {
    return fmt::format(
        "--keep-prob: {} is below 1e-6, finer than training's 32-bit "
        "dropout draws resolve well",
        options.keep_prob);
  });
  validate_lambda(options.lambda, "--lambda");
  validate_lua_sgd_options(options.sgd);
  require_input(
      options.divergence_threshold > 0.0,
      "divergence threshold: must be positive");

  // Every trained network's exact dropout criterion enumerates the patterns
  // of all units but the last hidden layer's.
  const int64_t enumerated =
      options.depth >= 2
          ? options.n_inputs + options.width * (options.depth - 2)
          : 0;
  require_input(
      enumerated < 62 && (int64_t{1} << enumerated) <= options.max_patterns,
      [&] {
        return fmt::format(
            "--width/--depth: the exact dropout criterion of each trained "
            "network would enumerate 2^{} patterns, more than --max-patterns "
            "{}",
            enumerated,
            options.max_patterns);
      });

  // The whole ensemble lives in memory as float64: inputs, labels and two
  // copies of the parameters per model.
  const double models = static_cast<double>(options.runs) *
                        static_cast<double>(options.scales.size()) * 3.0;
  const double per_model =
      static_cast<double>(options.n_examples) *
          static_cast<double>(options.n_inputs + 1) +
      2.0 * static_cast<double>(flat_parameter_count(figure2_widths(options)));
  require_input(models * per_model * 8.0 < 8e9, [&] {
    return fmt::format(
        "--runs/--scales/--width/--examples: {:.0f} models of {:.0f} values "
        "would not fit in memory",
        models,
        per_model);
  });
}

std::vector<Figure2Variant> figure2_variants(const Figure2Options& options) {
  return {
      {"dropout", options.keep_prob, 0.0},
      {"weight decay", 1.0, options.lambda},
      {"none", 1.0, 0.0},
  };
}

std::vector<int64_t> figure2_widths(const Figure2Options& options) {
  std::vector<int64_t> widths{options.n_inputs};
  for (int64_t l = 1; l < options.depth; ++l) {
    widths.push_back(options.width);
  }
  widths.push_back(1);
  return widths;
}

Ensemble figure2_ensemble(const Figure2Options& options) {
  validate_figure2_options(options);
  const auto variants = figure2_variants(options);
  const auto widths = figure2_widths(options);
  const int64_t n_scales = static_cast<int64_t>(options.scales.size());
  const int64_t n_variants = static_cast<int64_t>(variants.size());
  const int64_t models = options.runs * n_scales * n_variants;

  Ensemble ensemble;
  ensemble.widths = widths;
  ensemble.inputs = torch::empty(
      {models, options.n_examples, options.n_inputs}, torch::kFloat64);
  ensemble.labels = torch::empty({models, options.n_examples}, torch::kFloat64);
  ensemble.parameters =
      torch::empty({models, flat_parameter_count(widths)}, torch::kFloat64);

  for (int64_t run = 0; run < options.runs; ++run) {
    // Inputs uniform in [-1, 1]^K; the label is the product of the signs.
    auto x =
        torch::empty({options.n_examples, options.n_inputs}, torch::kFloat64);
    x.uniform_(-1.0, 1.0, run_generator(options.seed, run, kDataPurpose));
    const auto y = torch::sign(x).prod(1);
    const auto initial = default_linear_initialisation(
        widths, 1, run_generator(options.seed, run, kInitPurpose))[0];
    const uint64_t key = stream_key(options.seed, run, kStreamPurpose);

    for (int64_t s = 0; s < n_scales; ++s) {
      for (int64_t v = 0; v < n_variants; ++v) {
        const int64_t i = (run * n_scales + s) * n_variants + v;
        ensemble.inputs[i].copy_(x * options.scales[s]);
        ensemble.labels[i].copy_(y);
        ensemble.parameters[i].copy_(initial);
        ModelTraining training;
        training.keep_prob = variants[v].keep_prob;
        training.sgd = options.sgd;
        training.sgd.weight_decay = variants[v].weight_decay;
        training.stream_key = key;
        ensemble.training.push_back(training);
      }
    }
  }
  return ensemble;
}

std::vector<Figure2Training> evaluate_figure2(
    const Figure2Options& options,
    const Ensemble& ensemble,
    const TrainingOutcome& outcome) {
  const auto variants = figure2_variants(options);
  const int64_t n_scales = static_cast<int64_t>(options.scales.size());
  const int64_t n_variants = static_cast<int64_t>(variants.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  torch::NoGradGuard no_grad;

  std::vector<Figure2Training> trainings;
  for (int64_t i = 0; i < ensemble.size(); ++i) {
    Figure2Training training;
    training.run = i / (n_scales * n_variants);
    training.scale = options.scales[(i / n_variants) % n_scales];
    training.variant = variants[i % n_variants].name;
    training.diverged_at = outcome.diverged_at[i];
    if (training.diverged_at >= 0) {
      training.risk = nan;
      training.dropout_criterion = nan;
      training.l2_penalty = nan;
    } else {
      auto net = network_from_flat(
          ensemble.widths, outcome.parameters[i], options.keep_prob);
      const auto data =
          uniform_distribution(ensemble.inputs[i], ensemble.labels[i]);
      training.risk = risk(net, data).item<double>();
      ExactCriterionOptions exact;
      exact.max_patterns = options.max_patterns;
      training.dropout_criterion =
          dropout_criterion(net, data, exact).item<double>();
      training.l2_penalty = l2_penalty(net, options.lambda).item<double>();
      // A finite network whose criteria overflow has no value to report.
      require_input(
          std::isfinite(training.risk) &&
              std::isfinite(training.dropout_criterion) &&
              std::isfinite(training.l2_penalty),
          [&] {
            return fmt::format(
                "figure2: the criteria of training {} (run {}, scale {}, {}) "
                "overflow float64",
                i,
                training.run,
                training.scale,
                training.variant);
          });
    }
    trainings.push_back(training);
  }
  return trainings;
}

std::vector<Figure2Summary> summarise_figure2(
    const Figure2Options& options,
    const std::vector<Figure2Training>& trainings) {
  std::vector<Figure2Summary> summaries;
  for (const auto& variant : figure2_variants(options)) {
    for (double scale : options.scales) {
      Figure2Summary summary;
      summary.variant = variant.name;
      summary.scale = scale;
      std::vector<double> risks;
      std::vector<double> criteria;
      std::vector<double> penalties;
      for (const auto& training : trainings) {
        if (training.variant != variant.name || training.scale != scale) {
          continue;
        }
        if (training.diverged_at >= 0) {
          ++summary.diverged;
          continue;
        }
        ++summary.trained;
        risks.push_back(training.risk);
        criteria.push_back(training.dropout_criterion);
        penalties.push_back(training.l2_penalty);
      }
      std::tie(summary.mean_risk, summary.stderr_risk) = mean_and_stderr(risks);
      std::tie(
          summary.mean_dropout_criterion, summary.stderr_dropout_criterion) =
          mean_and_stderr(criteria);
      std::tie(summary.mean_l2_penalty, summary.stderr_l2_penalty) =
          mean_and_stderr(penalties);
      summaries.push_back(summary);
    }
  }
  return summaries;
}

Figure2Result run_figure2(const Figure2Options& options) {
  const auto ensemble = figure2_ensemble(options);
  TrainingOptions training;
  training.steps = options.steps;
  training.divergence_threshold = options.divergence_threshold;
  training.backend = options.backend;
  training.device = options.device;
  training.progress = options.progress;
  training.progress_label = "figure2";

  const auto start = std::chrono::steady_clock::now();
  const auto outcome = train_ensemble(ensemble, training);
  Figure2Result result;
  result.training_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  result.model_steps = outcome.model_steps;

  result.trainings = evaluate_figure2(options, ensemble, outcome);
  result.summaries = summarise_figure2(options, result.trainings);
  return result;
}

}  // namespace dropout_lab
