// figure2: the paper's simulation. Small ReLU networks trained by SGD on the
// same data at five input scales, with dropout, with weight decay and with
// neither. Dropout's training error should not depend on the scale (the
// dropout criterion is invariant to rescaling the inputs), weight decay's
// should fall as the inputs grow (its penalty costs less when smaller
// weights suffice), and the unregularised networks should fit the data.
//
// Every training of the protocol is one member of a single ensemble, trained
// at once; a slice is retrained by the per-model autograd reference and the
// two must agree.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "errors.h"
#include "figure2_protocol.h"
#include "progress_bar.h"
#include "registry.h"

namespace dropout_lab {
namespace {

Figure2Options options_from(const ExperimentContext& context) {
  Figure2Options options;
  options.runs = context.setting_integer("runs", options.runs);
  options.steps = context.setting_integer("steps", options.steps);
  options.scales = context.setting_doubles("scales", options.scales);
  options.width = context.setting_integer("width", options.width);
  options.depth = context.setting_integer("depth", options.depth);
  options.n_examples = context.setting_integer("examples", options.n_examples);
  options.keep_prob = context.setting_double("keep-prob", options.keep_prob);
  options.lambda = context.setting_double("lambda", options.lambda);
  options.sgd.learning_rate =
      context.setting_double("learning-rate", options.sgd.learning_rate);
  const auto decay_biases = context.setting_text("decay-biases", "no");
  require_input(decay_biases == "yes" || decay_biases == "no", [&] {
    return fmt::format(
        "--decay-biases: expected yes or no, got '{}'", decay_biases);
  });
  options.sgd.decay_biases = decay_biases == "yes";
  options.backend = parse_backend(context.setting_text("backend", "automatic"));
  options.device = context.device;
  options.seed = context.seed;
  options.max_patterns = context.max_patterns;
  options.progress = progress_wanted(context.quiet);
  validate_figure2_options(options);
  return options;
}

// The largest relative parameter difference between the ensemble trainer
// and the per-model reference on the first `count` models for `steps`
// steps.
double reference_difference(
    const Figure2Options& options, int64_t count, int64_t steps) {
  const auto ensemble = slice_ensemble(
      figure2_ensemble(options), 0, std::min<int64_t>(count, 3 * options.runs));
  TrainingOptions training;
  training.steps = steps;
  training.divergence_threshold = options.divergence_threshold;
  training.backend = options.backend;
  training.device = options.device;
  // Against itself the reference proves nothing: then the CPU loop stands
  // in for the fast trainer.
  if (training.backend == TrainingBackend::per_model) {
    training.backend = TrainingBackend::cpu_loop;
    training.device = torch::kCPU;
  }
  const auto fast = train_ensemble(ensemble, training);
  training.backend = TrainingBackend::per_model;
  training.device = torch::kCPU;
  const auto reference = train_ensemble(ensemble, training);
  return largest_parameter_difference(fast.parameters, reference.parameters);
}

std::vector<const Figure2Summary*> summaries_of(
    const Figure2Result& result, const std::string& variant) {
  std::vector<const Figure2Summary*> found;
  for (const auto& summary : result.summaries) {
    if (summary.variant == variant) {
      found.push_back(&summary);
    }
  }
  return found;
}

// The least-squares slope of the mean risks against the scales.
double risk_slope(const std::vector<const Figure2Summary*>& summaries) {
  double mean_x = 0.0;
  double mean_y = 0.0;
  for (const auto* summary : summaries) {
    mean_x += summary->scale;
    mean_y += summary->mean_risk;
  }
  mean_x /= static_cast<double>(summaries.size());
  mean_y /= static_cast<double>(summaries.size());
  double sxy = 0.0;
  double sxx = 0.0;
  for (const auto* summary : summaries) {
    sxy += (summary->scale - mean_x) * (summary->mean_risk - mean_y);
    sxx += (summary->scale - mean_x) * (summary->scale - mean_x);
  }
  return sxx > 0.0 ? sxy / sxx : 0.0;
}

Plot summary_plot(
    const Figure2Result& result,
    const std::string& name,
    const std::string& title,
    const std::string& y_label,
    bool dropout_criterion) {
  Plot plot{name, title, "input scale", y_label, false, false, {}};
  for (const auto& variant : {"dropout", "weight decay", "none"}) {
    PlotSeries series;
    series.title = variant;
    for (const auto* summary : summaries_of(result, variant)) {
      if (summary->trained == 0) {
        continue;
      }
      series.x.push_back(summary->scale);
      series.y.push_back(
          dropout_criterion ? summary->mean_dropout_criterion
                            : summary->mean_risk);
      const double error = dropout_criterion ? summary->stderr_dropout_criterion
                                             : summary->stderr_risk;
      series.y_error.push_back(std::isfinite(error) ? error : 0.0);
    }
    plot.series.push_back(series);
  }
  return plot;
}

// The larger of a and b, or NaN when either is NaN, so that a check over
// a curve with a missing point fails instead of skipping it.
double nan_aware_max(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? std::nan("") : std::max(a, b);
}

// The expected shape: dropout flat, weight decay falling, no
// regularisation fitting the data.
void add_shape_checks(const Figure2Result& figure, ExperimentResult& result) {
  const auto dropout = summaries_of(figure, "dropout");
  double pooled = 0.0;
  for (const auto* row : dropout) {
    pooled += row->mean_risk / static_cast<double>(dropout.size());
  }
  double largest_z = 0.0;
  for (const auto* row : dropout) {
    largest_z = nan_aware_max(
        largest_z, std::abs(row->mean_risk - pooled) / row->stderr_risk);
  }
  result.checks.push_back(check_at_most(
      "dropout risk: largest distance of a scale's mean from the mean over "
      "scales, in standard errors",
      largest_z,
      3.0));

  // Weight decay: a negative slope, and the smallest scale's mean above the
  // largest's by at least two combined standard errors.
  const auto decay = summaries_of(figure, "weight decay");
  const auto* first = decay.front();
  const auto* last = decay.back();
  result.checks.push_back(check_at_most(
      "weight-decay risk: least-squares slope against the scale",
      risk_slope(decay),
      0.0));
  result.checks.push_back(check_at_least(
      "weight-decay risk: fall from the smallest to the largest scale, in "
      "standard errors",
      (first->mean_risk - last->mean_risk) /
          std::hypot(first->stderr_risk, last->stderr_risk),
      2.0));

  // The unregularised networks fit the data: at every scale the mean risk
  // is below 0.05 to within two standard errors. A run now and then stalls
  // in a local minimum with a few examples unfitted, so the mean of ten
  // runs alone would make the check depend on the seed.
  double worst_plain = 0.0;
  int64_t stalled = 0;
  for (const auto* row : summaries_of(figure, "none")) {
    worst_plain =
        nan_aware_max(worst_plain, row->mean_risk - 2.0 * row->stderr_risk);
  }
  for (const auto& training : figure.trainings) {
    stalled += training.variant == "none" && training.diverged_at < 0 &&
                       training.risk > 0.05
                   ? 1
                   : 0;
  }
  result.checks.push_back(check_at_most(
      "unregularised risk: largest (mean - 2 standard errors) over the "
      "scales",
      worst_plain,
      0.05));
  result.notes.push_back(fmt::format(
      "{} unregularised trainings ended with a risk above 0.05 (a local "
      "minimum leaving some examples unfitted).",
      stalled));
}

void add_reference_check(
    const Figure2Options& options, ExperimentResult& result) {
  // The fast trainer against the per-model autograd reference on one run's
  // first scale, every variant.
  const int64_t reference_steps = std::min<int64_t>(options.steps, 2000);
  result.checks.push_back(check_at_most(
      fmt::format(
          "{} trainer vs per-model reference, {} steps: largest relative "
          "parameter difference",
          backend_name(
              options.backend == TrainingBackend::per_model
                  ? TrainingBackend::cpu_loop
                  : options.backend),
          reference_steps),
      reference_difference(options, 3, reference_steps),
      1e-10));
}

ExperimentResult run_figure2_experiment(const ExperimentContext& context) {
  const auto options = options_from(context);
  const auto figure = run_figure2(options);
  const auto variants = figure2_variants(options);

  ExperimentResult result;
  result.parameters = {
      {"runs", options.runs},
      {"steps", options.steps},
      {"scales", options.scales},
      {"widths", figure2_widths(options)},
      {"examples", options.n_examples},
      {"keep_prob", options.keep_prob},
      {"lambda", options.lambda},
      {"learning_rate", options.sgd.learning_rate},
      {"learning_rate_decay", options.sgd.learning_rate_decay},
      {"momentum", options.sgd.momentum},
      {"dampening", options.sgd.dampening},
      {"decay_biases", options.sgd.decay_biases},
      {"divergence_threshold", options.divergence_threshold},
      {"backend", backend_name(options.backend)},
      {"training_seconds", figure.training_seconds},
      {"model_steps", figure.model_steps}};

  Table trainings{
      "trainings",
      "Every training: final plain risk R, exact dropout criterion JD at the "
      "protocol's keep probability, L2 penalty (lambda/2)||W||^2, and the "
      "step of divergence (-1: none)",
      {"run",
       "scale",
       "variant",
       "risk",
       "dropout_criterion",
       "l2_penalty",
       "diverged_at"},
      {}};
  for (const auto& training : figure.trainings) {
    const bool diverged = training.diverged_at >= 0;
    trainings.add_row({
        training.run,
        training.scale,
        training.variant,
        diverged ? Cell{} : Cell{training.risk},
        diverged ? Cell{} : Cell{training.dropout_criterion},
        diverged ? Cell{} : Cell{training.l2_penalty},
        training.diverged_at,
    });
  }

  Table summary{
      "summary",
      "Means and standard errors over the runs that did not diverge",
      {"variant",
       "scale",
       "trained",
       "diverged",
       "mean_risk",
       "stderr_risk",
       "mean_dropout_criterion",
       "stderr_dropout_criterion",
       "mean_l2_penalty",
       "stderr_l2_penalty"},
      {}};
  int64_t diverged = 0;
  for (const auto& row : figure.summaries) {
    auto cell = [](double value) {
      return std::isfinite(value) ? Cell{value} : Cell{};
    };
    summary.add_row({
        row.variant,
        row.scale,
        row.trained,
        row.diverged,
        cell(row.mean_risk),
        cell(row.stderr_risk),
        cell(row.mean_dropout_criterion),
        cell(row.stderr_dropout_criterion),
        cell(row.mean_l2_penalty),
        cell(row.stderr_l2_penalty),
    });
    diverged += row.diverged;
  }
  result.tables = {summary, trainings};

  if (options.runs < 2 || options.scales.size() < 2) {
    result.notes.push_back(
        "With one run there are no standard errors, and with one scale no "
        "curve, so the shape of the curves is not checked.");
  } else {
    add_shape_checks(figure, result);
  }
  add_reference_check(options, result);
  result.plots.push_back(summary_plot(
      figure,
      "figure2_risk",
      "Training error (plain risk) after SGD",
      "risk",
      false));
  result.plots.push_back(summary_plot(
      figure,
      "figure2_dropout_criterion",
      fmt::format("Exact dropout criterion at p = {}", options.keep_prob),
      "JD",
      true));

  result.notes.push_back(fmt::format(
      "{} trainings ({} model-steps) took {:.2f} s in the trainer: {:.3g} "
      "model-steps per second. {} of them diverged; diverged trainings are "
      "listed with their step and left out of the means.",
      figure.trainings.size(),
      figure.model_steps,
      figure.training_seconds,
      static_cast<double>(figure.model_steps) /
          std::max(figure.training_seconds, 1e-9),
      diverged));
  result.notes.push_back(
      "The trainings of one run share their initial network, example order "
      "and dropout draws (common random numbers), so differences between "
      "scales and variants are not differences of luck.");
  return result;
}

}  // namespace

Experiment figure2_experiment() {
  return {
      "figure2",
      "The paper's simulation: SGD with dropout, weight decay or neither at "
      "several input scales",
      run_figure2_experiment,
      {
          {"runs", "Independent runs", "10"},
          {"steps", "SGD steps per training", "100000"},
          {"scales", "Comma-separated input scales", "0.5,0.75,1,1.25,1.5"},
          {"width", "Hidden units per layer", "5"},
          {"depth", "Weight layers", "2"},
          {"examples", "Training examples per run", "10"},
          {"keep-prob", "The dropout variant's keep probability", "0.5"},
          {"lambda", "The weight-decay variant's lambda", "0.5"},
          {"learning-rate", "SGD step size at step 0", "0.01"},
          {"decay-biases", "Weight decay on biases too (yes/no)", "no"},
          {"backend",
           "One of automatic, cpu-loop, batched-tensors, per-model",
           "automatic"},
      },
      [](const ExperimentContext& context) {
        options_from(context);
      }};
}

}  // namespace dropout_lab
