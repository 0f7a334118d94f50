// negative-weights: dropout uses negative weights on monotone data (spec R6,
// R7; theorems 8 and 17).
//
// 1. JD(W_neg) on P(1,1) by the spec's p = 1/2 formula, by the general-p
//    closed form (w_neg_dropout_criterion), by exact enumeration wherever
//    the patterns fit, and by Monte Carlo with 4-standard-error intervals on
//    larger networks, up to K = 19 and 25 with n >= 10^4; the output weight
//    c against a golden-section minimisation of the exact JD.
// 2. For K >= 19 the smallest n (per d) at which JD(W_neg) falls below the
//    bound 1/(36K) that every non-negative network obeys.
// 3. For K = 2 the variant with output bias 1/5: JD against n, its limit
//    1/10, and the first n (per d) below the non-negative bound 1/8.
// 4. Exact-JD fits on P(1,1), K = 2, from many random starts, unconstrained
//    and projected onto non-negative weights after every step; the same
//    with stochastic dropout SGD; the same on the zero-embedding with all
//    six two-hot examples in K = 4. Projected fits must stay >= 1/8.
//
// Command: dropout-lab run negative-weights [--seed S] [--quick]. Expected
// (seed 1, about 1-3 min on 2 cores): every method agrees with the closed
// form (exact to 1e-12, Monte Carlo within 4 stderr); for K = 19 the
// crossing is at n = 6498 = 18 K^2 for d = 2 (6840 for d = 3); the
// bias-1/5 variant first beats 1/8 at n = 18, 28, 36 for d = 2, 3, 4;
// unconstrained exact-JD fits end near 0.115-0.125, nearly all below 1/8
// and so with negative weights in use; projected fits end near 0.134-0.2;
// dropout SGD ends near 0.124-0.16, rarely below 1/8.
//
// Limitation: the projected fits stop about 0.01 above the bound 1/8 at
// best, and from here it cannot be told whether the non-negative infimum
// is 1/8 or the projected Adam steps stall on dead units; a non-negative
// construction whose JD tends to 1/8 (or a global method on small widths)
// would settle it.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "exact_dropout_criterion.h"
#include "fit.h"
#include "monte_carlo_dropout_criterion.h"
#include "progress_bar.h"
#include "random_restarts.h"
#include "registry.h"
#include "w_neg_network.h"
#include "zero_embedding.h"

namespace dropout_lab {
namespace {

constexpr double kIntervalZ = 4.0;
constexpr double kHalf = 0.5;
constexpr double kFifth = 0.2;
// The lower bound on JD for non-negative networks on P(1,1) with K = 2 and
// on zero-embeddings (theorem 17).
constexpr double kEighth = 0.125;
// A weight below this counts as negative in the fit summaries.
constexpr double kNegativeTolerance = 1e-6;

// The spec's statement for p = 1/2, bias 0, typed from R6 so that the
// library's general-p closed form is checked against it:
// (1/2)(1 - (1 - 2^-K) / ((1 + K/n)(1 + 1/n)^(d-2))).
double spec_formula(int64_t k, int64_t n, int64_t d) {
  const double kk = static_cast<double>(k);
  const double nn = static_cast<double>(n);
  return 0.5 *
         (1.0 - (1.0 - std::pow(2.0, -kk)) /
                    ((1.0 + kk / nn) *
                     std::pow(1.0 + 1.0 / nn, static_cast<double>(d - 2))));
}

// Patterns the exact criterion enumerates for W_neg(K, n, d), as a power
// of two.
int64_t enumerated_bits(int64_t k, int64_t n, int64_t d) {
  return k + n * (d - 2);
}

// The smallest multiple n of K with criterion(n) < bound; criterion falls
// with n.
int64_t first_width_below(
    int64_t k, double bound, const std::function<double(int64_t)>& criterion) {
  int64_t n = k;
  while (criterion(n) >= bound) {
    n += k;
  }
  return n;
}

// The smallest n at which W_neg (output bias 0) beats every non-negative
// network on P(1,1), for K > 18.
int64_t crossing_width(int64_t k, int64_t d) {
  return first_width_below(k, 1.0 / (36.0 * k), [&](int64_t n) {
    return w_neg_dropout_criterion(k, n, d, kHalf);
  });
}

struct MonteCarloCase {
  int64_t k;
  int64_t n;
  int64_t d;
};

// Networks for the Monte Carlo comparison, beyond exact enumeration: K = 19
// at depth 2 from n = 10 K through the crossing width and n = K^3 to
// n > 10^4; K = 25 past its crossing; deeper ones.
std::vector<MonteCarloCase> monte_carlo_cases(bool quick) {
  const int64_t k = 19;
  if (quick) {
    return {{k, 10 * k, 2}, {k, 2 * k, 3}};
  }
  return {
      {k, 10 * k, 2},
      {k, 100 * k, 2},
      {k, crossing_width(k, 2), 2},
      {k, k * k * k, 2},
      {k, 527 * k, 2},
      {25, 500 * 25, 2},
      {k, 2 * k, 3},
      {k, 10 * k, 3},
      {20, 5 * 20, 4}};
}

// Section 1: closed forms, exact enumeration and Monte Carlo.
void compare_methods(
    const ExperimentContext& context,
    at::Generator generator,
    ProgressBar& progress,
    ExperimentResult& result,
    Plot& plot) {
  Table table{
      "methods",
      "JD(W_neg) on P(1,1), p = 1/2, output bias 0: spec formula, closed "
      "form, exact enumeration and Monte Carlo",
      {"K",
       "n",
       "d",
       "c",
       "JD_spec_formula",
       "JD_closed_form",
       "JD_exact",
       "JD_monte_carlo",
       "stderr",
       "z",
       "samples",
       "bound_1_over_36K"},
      {}};
  const int64_t max_bits = context.quick ? 10 : 16;
  double spec_error = 0.0;
  double exact_error = 0.0;
  int64_t n_exact = 0;

  auto evaluate_exact = [&](int64_t k, int64_t n, int64_t d) {
    const double c = w_neg_output_weight(k, n, d, kHalf);
    auto net = w_neg_network(k, n, d, c);
    net->to(context.device);
    auto data = ones_pair(k).to(context.tensor_options());
    ExactCriterionOptions options;
    options.max_patterns = context.max_patterns;
    const double exact = dropout_criterion(net, data, options).item<double>();
    const double closed = w_neg_dropout_criterion(k, n, d, kHalf);
    const double spec = spec_formula(k, n, d);
    spec_error = std::max(spec_error, std::abs(spec - closed) / closed);
    exact_error = std::max(exact_error, std::abs(exact - closed) / closed);
    ++n_exact;
    table.add_row(
        {k, n, d, c, spec, closed, exact, {}, {}, {}, {}, 1.0 / (36.0 * k)});
  };
  for (int64_t k : {1, 2, 3, 4, 6, 8}) {
    for (int64_t copies : {1, 2, 3}) {
      for (int64_t d : {2, 3, 4}) {
        const int64_t n = k * copies;
        if (enumerated_bits(k, n, d) <= max_bits &&
            (int64_t{1} << enumerated_bits(k, n, d)) <= context.max_patterns) {
          evaluate_exact(k, n, d);
        }
      }
    }
  }
  // K >= 19 is within reach of the enumeration at depth 2 (2^K patterns).
  const int64_t big_k = context.quick ? 12 : 19;
  for (int64_t copies : {1, 2}) {
    if ((int64_t{1} << big_k) <= context.max_patterns) {
      evaluate_exact(big_k, big_k * copies, 2);
    }
  }
  progress.advance();

  // The output weight against a numerical minimisation of exact JD over c.
  double weight_error = 0.0;
  for (const auto& [k, n, d, b] :
       std::vector<std::tuple<int, int, int, double>>{
           {2, 4, 2, 0.0},
           {2, 4, 2, kFifth},
           {3, 3, 3, 0.0},
           {4, 8, 2, kFifth}}) {
    auto data = ones_pair(k);
    const double closed = w_neg_output_weight(k, n, d, kHalf, b);
    const double numeric = golden_section_minimum(
        [&](double c) {
          auto net = w_neg_network(k, n, d, c, b);
          return dropout_criterion(net, data).item<double>();
        },
        0.0,
        4.0 * closed,
        1e-9 * closed);
    weight_error = std::max(weight_error, std::abs(numeric - closed) / closed);
  }
  progress.advance();

  // Monte Carlo on networks too large to enumerate. At depth 2 the
  // marginalised estimator samples only the K input bits, whose only
  // effect is the all-dropped event of probability 2^-K, so its samples
  // are nearly all equal and its standard error says nothing; there every
  // bit is sampled instead.
  const int64_t k_a = 19;
  const double bound_a = 1.0 / (36.0 * k_a);
  const auto cases = monte_carlo_cases(context.quick);
  const int64_t samples = context.quick ? 2000 : 10000;
  double worst_z = 0.0;
  // Over the cases past the crossing width: the largest ratio of the
  // interval's upper end to the bound 1/(36K), which must stay below 1.
  double worst_upper_ratio = -INFINITY;
  int64_t n_past_crossing = 0;
  PlotSeries mc_series{"Monte Carlo, d = 2 (4 stderr)", {}, {}, {}, "points"};
  for (const auto& mc : cases) {
    const double c = w_neg_output_weight(mc.k, mc.n, mc.d, kHalf);
    auto net = w_neg_network(mc.k, mc.n, mc.d, c);
    net->to(context.device);
    auto data = ones_pair(mc.k).to(context.tensor_options());
    MonteCarloOptions options;
    options.samples = samples;
    options.marginalise_last_layer = mc.d > 2;
    options.chunk_elements = int64_t{1} << 20;
    const auto estimate =
        dropout_criterion_monte_carlo(net, data, generator, options);
    const double closed = w_neg_dropout_criterion(mc.k, mc.n, mc.d, kHalf);
    const double z = std::abs(estimate.mean - closed) / estimate.stderr_;
    worst_z = std::max(worst_z, z);
    // Just past the crossing JD sits within a fraction of a percent of the
    // bound, closer than any affordable interval; from 1.5 times that
    // width on the margin is several percent.
    if (2 * mc.n >= 3 * crossing_width(mc.k, mc.d)) {
      const double upper = estimate.mean + estimate.half_width(kIntervalZ);
      worst_upper_ratio =
          std::max(worst_upper_ratio, upper * 36.0 * static_cast<double>(mc.k));
      ++n_past_crossing;
    }
    if (mc.k == k_a && mc.d == 2) {
      mc_series.x.push_back(static_cast<double>(mc.n));
      mc_series.y.push_back(estimate.mean);
      mc_series.y_error.push_back(estimate.half_width(kIntervalZ));
    }
    table.add_row(
        {mc.k,
         mc.n,
         mc.d,
         c,
         spec_formula(mc.k, mc.n, mc.d),
         closed,
         {},
         estimate.mean,
         estimate.stderr_,
         z,
         estimate.samples,
         1.0 / (36.0 * mc.k)});
    progress.advance();
  }

  result.checks.push_back(check_absolute(
      "max relative error, general-p closed form vs spec's p = 1/2 formula",
      spec_error,
      0.0,
      1e-13));
  result.checks.push_back(check_absolute(
      fmt::format(
          "max relative error, exact JD vs closed form ({} networks)", n_exact),
      exact_error,
      0.0,
      1e-12));
  result.checks.push_back(check_absolute(
      "max relative error, c = (1 - b) E S / E S^2 vs golden-section "
      "minimum of exact JD",
      weight_error,
      0.0,
      1e-6));
  result.checks.push_back(check_at_most(
      fmt::format(
          "max |MC - closed form| / stderr ({} networks, {} samples)",
          cases.size(),
          samples),
      worst_z,
      kIntervalZ));
  if (n_past_crossing > 0) {
    result.checks.push_back(check_at_most(
        fmt::format(
            "Monte Carlo alone confirms W_neg beats 1/(36K) from 1.5 x the "
            "crossing width: largest (mean + 4 stderr) / (1/(36K)) over {} "
            "networks",
            n_past_crossing),
        worst_upper_ratio,
        1.0));
  }
  const double cube = w_neg_dropout_criterion(k_a, k_a * k_a * k_a, 2, kHalf);
  result.checks.push_back(check_at_most(
      "K = 19, d = 2, n = K^3: closed-form JD * K^2 (spec: JD < 1/K^2)",
      cube * k_a * k_a,
      1.0));
  result.tables.push_back(table);

  // JD against n for K = 19 with the bound and the limit 2^-K / 2.
  PlotSeries closed2{"closed form, d = 2", {}, {}, {}, "lines"};
  PlotSeries closed3{"closed form, d = 3", {}, {}, {}, "lines"};
  PlotSeries bound{"non-negative bound 1/(36K)", {}, {}, {}, "lines"};
  PlotSeries limit{"limit 2^-K / 2", {}, {}, {}, "lines"};
  for (int i = 0; i <= 60; ++i) {
    const auto n =
        k_a * static_cast<int64_t>(std::round(std::pow(10.0, 4.0 * i / 60.0)));
    closed2.x.push_back(static_cast<double>(n));
    closed2.y.push_back(w_neg_dropout_criterion(k_a, n, 2, kHalf));
    closed3.x.push_back(static_cast<double>(n));
    closed3.y.push_back(w_neg_dropout_criterion(k_a, n, 3, kHalf));
    bound.x.push_back(static_cast<double>(n));
    bound.y.push_back(bound_a);
    limit.x.push_back(static_cast<double>(n));
    limit.y.push_back(std::pow(2.0, -k_a) / 2);
  }
  plot = Plot{
      "jd_vs_width_k19",
      "JD(W_neg) on P(1,1), K = 19, p = 1/2",
      "hidden width n",
      "JD",
      true,
      true,
      {closed2, closed3, mc_series, bound, limit}};
}

// Section 2: the smallest n at which W_neg beats every non-negative
// network, for K >= 19.
void crossing_widths(
    const ExperimentContext& context, ExperimentResult& result) {
  Table table{
      "crossing",
      "Smallest n (a multiple of K) with JD(W_neg) < 1/(36K), the lower "
      "bound for non-negative networks (p = 1/2, closed form)",
      {"K",
       "d",
       "n",
       "n_over_K_squared",
       "JD_at_n",
       "JD_at_n_minus_K",
       "bound"},
      {}};
  const std::vector<int64_t> ks = context.quick
                                      ? std::vector<int64_t>{19}
                                      : std::vector<int64_t>{19, 20, 25, 30};
  const std::vector<int64_t> depths = context.quick
                                          ? std::vector<int64_t>{2, 3}
                                          : std::vector<int64_t>{2, 3, 4, 6};
  bool bracketed = true;
  for (int64_t k : ks) {
    const double bound = 1.0 / (36.0 * k);
    for (int64_t d : depths) {
      auto jd = [&](int64_t n) {
        return w_neg_dropout_criterion(k, n, d, kHalf);
      };
      const int64_t n = first_width_below(k, bound, jd);
      const double before = n > k ? jd(n - k) : INFINITY;
      bracketed = bracketed && jd(n) < bound && before >= bound;
      table.add_row(
          {k,
           d,
           n,
           static_cast<double>(n) / static_cast<double>(k * k),
           jd(n),
           before,
           bound});
    }
  }
  result.checks.push_back(check_absolute(
      "every crossing n has JD(n) < 1/(36K) <= JD(n - K) (1 = yes)",
      bracketed ? 1.0 : 0.0,
      1.0,
      0.0));
  result.tables.push_back(table);
}

// Section 3: K = 2 with output bias 1/5.
void bias_fifth(
    const ExperimentContext& context, ExperimentResult& result, Plot& plot) {
  Table table{
      "bias_fifth",
      "K = 2, output bias 1/5 (c re-optimised): JD(W_neg) on P(1,1) against "
      "n, closed form and exact",
      {"n", "d", "c", "JD_closed_form", "JD_exact"},
      {}};
  const int64_t k = 2;
  const std::vector<int64_t> depths{2, 3, 4};
  const int64_t max_bits = context.quick ? 10 : 14;
  double exact_error = 0.0;
  plot = Plot{
      "bias_fifth",
      "K = 2, W_neg with output bias 1/5, p = 1/2",
      "hidden width n",
      "JD on P(1,1)",
      true,
      false,
      {}};
  for (int64_t d : depths) {
    PlotSeries closed{
        fmt::format("closed form, d = {}", d), {}, {}, {}, "lines"};
    PlotSeries exact_points{
        fmt::format("exact, d = {}", d), {}, {}, {}, "points"};
    for (int64_t n = 2; n <= 4096; n *= 2) {
      const double c = w_neg_output_weight(k, n, d, kHalf, kFifth);
      const double jd = w_neg_dropout_criterion(k, n, d, kHalf, kFifth);
      Cell exact_cell;
      if (enumerated_bits(k, n, d) <= max_bits) {
        auto net = w_neg_network(k, n, d, c, kFifth);
        const double exact =
            dropout_criterion(net, ones_pair(k)).item<double>();
        exact_error = std::max(exact_error, std::abs(exact - jd) / jd);
        exact_cell = exact;
        exact_points.x.push_back(static_cast<double>(n));
        exact_points.y.push_back(exact);
      }
      table.add_row({n, d, c, jd, exact_cell});
    }
    for (int i = 0; i <= 80; ++i) {
      const auto n =
          2 * static_cast<int64_t>(std::round(std::pow(2048.0, i / 80.0)));
      closed.x.push_back(static_cast<double>(n));
      closed.y.push_back(w_neg_dropout_criterion(k, n, d, kHalf, kFifth));
    }
    plot.series.push_back(closed);
    plot.series.push_back(exact_points);
  }
  PlotSeries eighth{"non-negative bound 1/8", {}, {}, {}, "lines"};
  PlotSeries tenth{"limit 1/10", {}, {}, {}, "lines"};
  for (double n : {2.0, 4096.0}) {
    eighth.x.push_back(n);
    eighth.y.push_back(kEighth);
    tenth.x.push_back(n);
    tenth.y.push_back(0.1);
  }
  plot.series.push_back(eighth);
  plot.series.push_back(tenth);

  // The first n that beats 1/8, per depth, confirmed by enumeration where
  // it fits (at depth 2 always: 4 patterns).
  Table first{
      "bias_fifth_first_below_eighth",
      "K = 2, output bias 1/5: the first n with JD(W_neg) < 1/8",
      {"d",
       "n",
       "JD_closed_form_at_n",
       "JD_closed_form_at_n_minus_2",
       "JD_exact_at_n",
       "JD_exact_at_n_minus_2"},
      {}};
  bool first_ok = true;
  for (int64_t d : depths) {
    auto jd = [&](int64_t n) {
      return w_neg_dropout_criterion(k, n, d, kHalf, kFifth);
    };
    const int64_t n = first_width_below(k, kEighth, jd);
    std::vector<Cell> row{d, n, jd(n)};
    if (n > k) {
      row.push_back(jd(n - k));
    } else {
      row.push_back({});
    }
    for (int64_t width : {n, n - k}) {
      if (width >= k && enumerated_bits(k, width, d) <= 22 &&
          (int64_t{1} << enumerated_bits(k, width, d)) <= (int64_t{1} << 16)) {
        auto net = w_neg_network(
            k,
            width,
            d,
            w_neg_output_weight(k, width, d, kHalf, kFifth),
            kFifth);
        const double exact =
            dropout_criterion(net, ones_pair(k)).item<double>();
        first_ok =
            first_ok && (width == n ? exact < kEighth : exact >= kEighth);
        row.push_back(exact);
      } else {
        row.push_back({});
      }
    }
    first.add_row(row);
  }

  // The limit: E S^2 / (E S)^2 -> 1 as n grows, so JD -> b^2/2 +
  // ((1 - b)^2 / 2)(1 - (1 - q^2)) = 1/10 for b = 1/5, q = 1/2.
  const double far =
      w_neg_dropout_criterion(k, int64_t{1} << 40, 2, kHalf, kFifth);
  result.checks.push_back(check_absolute(
      "K = 2, b = 1/5: max relative error, exact JD vs closed form",
      exact_error,
      0.0,
      1e-12));
  result.checks.push_back(check_absolute(
      "K = 2, b = 1/5: closed-form JD at n = 2^40 vs the limit 1/10",
      far,
      0.1,
      1e-9));
  result.checks.push_back(check_absolute(
      "K = 2, b = 1/5: exact JD confirms the first n below 1/8 (1 = yes)",
      first_ok ? 1.0 : 0.0,
      1.0,
      0.0));
  result.tables.push_back(table);
  result.tables.push_back(first);
}

struct FitSetting {
  std::string data_name;
  std::string method;
  RestartSummary summary;
  double reference;
};

void add_summary_row(Table& table, const FitSetting& setting) {
  const auto& s = setting.summary;
  table.add_row(
      {setting.data_name,
       setting.method,
       s.runs,
       s.diverged,
       s.min,
       s.lower_quartile,
       s.median,
       s.upper_quartile,
       s.max,
       s.fraction_negative,
       s.fraction_below_bound,
       s.most_negative_weight,
       setting.reference});
}

std::vector<double> final_criteria(const std::vector<RestartOutcome>& runs) {
  std::vector<double> values;
  for (const auto& run : runs) {
    if (!run.diverged) {
      values.push_back(run.dropout_criterion);
    }
  }
  return values;
}

// A histogram of `values` over [low, high] in `bins` bins, as a step curve
// at the bin centres.
PlotSeries histogram(
    const std::string& title,
    const std::vector<double>& values,
    double low,
    double high,
    int bins) {
  PlotSeries series{title, {}, {}, {}, "histeps"};
  std::vector<double> counts(bins, 0.0);
  for (double value : values) {
    const auto bin = static_cast<int>(
        std::clamp((value - low) / (high - low) * bins, 0.0, bins - 1.0));
    counts[bin] += 1.0;
  }
  for (int i = 0; i < bins; ++i) {
    series.x.push_back(low + (i + 0.5) * (high - low) / bins);
    series.y.push_back(counts[i]);
  }
  return series;
}

// Sections 4-6: fits and training, unconstrained and non-negative.
void fits(
    const ExperimentContext& context,
    at::Generator generator,
    ProgressBar& progress,
    ExperimentResult& result,
    std::vector<Plot>& plots) {
  const int64_t width = 32;
  const int64_t starts = context.quick ? 4 : 50;
  const int64_t sgd_starts = context.quick ? 2 : 10;
  const int64_t embedding_k = 4;
  const int64_t embedding_width = 32;
  const int64_t embedding_starts = context.quick ? 2 : 10;
  const double init_range = 1.0;

  FitOptions free_fit;
  free_fit.method = FitMethod::adam;
  free_fit.adam_steps = context.quick ? 500 : 1500;
  free_fit.adam_learning_rate = 2e-2;
  FitOptions projected_fit = free_fit;
  projected_fit.projection = project_nonnegative_weights;

  DropoutSgdOptions sgd;
  sgd.steps = context.quick ? 2000 : 20000;
  sgd.learning_rate = 0.02;
  sgd.decay_steps = sgd.steps / 10.0;
  DropoutSgdOptions projected_sgd = sgd;
  projected_sgd.projection = project_nonnegative_weights;

  result.parameters["fits"] = {
      {"hidden_width", width},
      {"starts", starts},
      {"init", fmt::format("weights and biases U(-{0}, {0})", init_range)},
      {"fit",
       fmt::format(
           "Adam {} steps, step size {} decaying to {}, then "
           "L-BFGS (unconstrained only); projected: weights clamped "
           "at 0 after every step",
           free_fit.adam_steps,
           free_fit.adam_learning_rate,
           free_fit.adam_final_learning_rate)},
      {"sgd_starts", sgd_starts},
      {"sgd",
       fmt::format(
           "{} steps, one example and one pattern each, step size "
           "{} / (1 + t / {})",
           sgd.steps,
           sgd.learning_rate,
           sgd.decay_steps)},
      {"zero_embedding",
       fmt::format(
           "K = {}, all two-hot examples, width {}, {} "
           "starts",
           embedding_k,
           embedding_width,
           embedding_starts)},
      {"negative_weight_tolerance", kNegativeTolerance}};

  const std::vector<int64_t> widths{2, width, 1};
  auto pair = ones_pair(2);
  // The best W_neg at this width (output bias optimised): a reference.
  const double w_neg_reference = [&] {
    const double b = golden_section_minimum(
        [&](double bias) {
          return w_neg_dropout_criterion(2, width, 2, kHalf, bias);
        },
        0.0,
        1.0,
        1e-10);
    return w_neg_dropout_criterion(2, width, 2, kHalf, b);
  }();

  const auto free_runs = fit_dropout_criterion_from_random_starts(
      widths, pair, starts, init_range, free_fit, kHalf, generator);
  progress.advance();
  const auto projected_runs = fit_dropout_criterion_from_random_starts(
      widths, pair, starts, init_range, projected_fit, kHalf, generator);
  progress.advance();
  const auto sgd_runs = train_dropout_sgd_from_random_starts(
      widths, pair, sgd_starts, init_range, sgd, kHalf, generator);
  progress.advance();
  const auto projected_sgd_runs = train_dropout_sgd_from_random_starts(
      widths, pair, sgd_starts, init_range, projected_sgd, kHalf, generator);
  progress.advance();

  auto embedding = all_pairs_zero_embedding(embedding_k);
  const std::vector<int64_t> embedding_widths{embedding_k, embedding_width, 1};
  const auto embedding_free = fit_dropout_criterion_from_random_starts(
      embedding_widths,
      embedding,
      embedding_starts,
      init_range,
      free_fit,
      kHalf,
      generator);
  progress.advance();
  const auto embedding_projected = fit_dropout_criterion_from_random_starts(
      embedding_widths,
      embedding,
      embedding_starts,
      init_range,
      projected_fit,
      kHalf,
      generator);
  progress.advance();

  // W_neg on the zero-embedding: closed form against enumeration.
  double embedding_error = 0.0;
  for (int64_t n : {4, 8, 16, 32}) {
    for (double b : {0.0, kFifth}) {
      const double c = w_neg_output_weight(embedding_k, n, 2, kHalf, b);
      auto net = w_neg_network(embedding_k, n, 2, c, b);
      const double exact = dropout_criterion(net, embedding).item<double>();
      const double closed =
          w_neg_zero_embedding_criterion(embedding_k, n, 2, kHalf, b);
      embedding_error =
          std::max(embedding_error, std::abs(exact - closed) / closed);
    }
  }
  const double embedding_reference = [&] {
    const double b = golden_section_minimum(
        [&](double bias) {
          return w_neg_zero_embedding_criterion(
              embedding_k, embedding_width, 2, kHalf, bias);
        },
        0.0,
        1.0,
        1e-10);
    return w_neg_zero_embedding_criterion(
        embedding_k, embedding_width, 2, kHalf, b);
  }();

  const std::string pair_name = fmt::format("P(1,1), K = 2, n = {}", width);
  const std::string embedding_name = fmt::format(
      "zero-embedding, K = {}, 6 pairs, n = {}", embedding_k, embedding_width);
  const std::vector<FitSetting> settings{
      {pair_name,
       "exact-JD fit",
       summarise_restarts(free_runs, kNegativeTolerance, kEighth),
       w_neg_reference},
      {pair_name,
       "exact-JD fit, weights >= 0",
       summarise_restarts(projected_runs, kNegativeTolerance, kEighth),
       w_neg_reference},
      {pair_name,
       "dropout SGD",
       summarise_restarts(sgd_runs, kNegativeTolerance, kEighth),
       w_neg_reference},
      {pair_name,
       "dropout SGD, weights >= 0",
       summarise_restarts(projected_sgd_runs, kNegativeTolerance, kEighth),
       w_neg_reference},
      {embedding_name,
       "exact-JD fit",
       summarise_restarts(embedding_free, kNegativeTolerance, kEighth),
       embedding_reference},
      {embedding_name,
       "exact-JD fit, weights >= 0",
       summarise_restarts(embedding_projected, kNegativeTolerance, kEighth),
       embedding_reference}};
  Table table{
      "fits",
      "Final exact JD from random starts: quantiles, the fraction of runs "
      "with a negative weight and the most negative weight; reference = "
      "W_neg at the same width with its output bias optimised",
      {"data",
       "method",
       "runs",
       "diverged",
       "JD_min",
       "JD_q25",
       "JD_median",
       "JD_q75",
       "JD_max",
       "fraction_with_negative_weight",
       "fraction_below_1_8",
       "most_negative_weight",
       "JD_W_neg_reference"},
      {}};
  for (const auto& setting : settings) {
    add_summary_row(table, setting);
  }
  result.tables.push_back(table);

  // The bound holds for every non-negative network, so every projected run
  // must respect it up to rounding.
  for (size_t i : {1, 3, 5}) {
    result.checks.push_back(check_at_least(
        fmt::format(
            "{}, {}: smallest JD (bound 1/8 for non-negative weights)",
            settings[i].data_name,
            settings[i].method),
        settings[i].summary.min,
        kEighth,
        1e-12));
    result.checks.push_back(check_absolute(
        fmt::format(
            "{}, {}: most negative weight (projection keeps >= 0)",
            settings[i].data_name,
            settings[i].method),
        settings[i].summary.most_negative_weight,
        0.0,
        0.0));
  }
  for (size_t i : {0, 4}) {
    result.checks.push_back(check_at_most(
        fmt::format(
            "{}, {}: smallest JD is below the non-negative bound 1/8",
            settings[i].data_name,
            settings[i].method),
        settings[i].summary.min,
        kEighth));
  }
  result.checks.push_back(check_absolute(
      "zero-embedding, K = 4: max relative error, W_neg exact JD vs closed "
      "form",
      embedding_error,
      0.0,
      1e-12));

  // Histograms of the final JD, constrained against unconstrained.
  const auto free_values = final_criteria(free_runs);
  const auto projected_values = final_criteria(projected_runs);
  std::vector<double> all = free_values;
  all.insert(all.end(), projected_values.begin(), projected_values.end());
  const auto [low, high] = std::minmax_element(all.begin(), all.end());
  const double margin = 0.05 * (*high - *low) + 1e-3;
  plots.push_back(Plot{
      "fit_histogram",
      fmt::format(
          "Final exact JD of {} fits on P(1,1), K = 2, n = {}", starts, width),
      "JD",
      "runs",
      false,
      false,
      {histogram(
           "unconstrained", free_values, *low - margin, *high + margin, 30),
       histogram(
           "weights >= 0",
           projected_values,
           *low - margin,
           *high + margin,
           30)}});

  // Every number in the note comes from the table above; diverged SGD runs
  // are named with their step, not averaged.
  std::string diverged;
  for (const auto* runs : {&sgd_runs, &projected_sgd_runs}) {
    for (size_t i = 0; i < runs->size(); ++i) {
      if ((*runs)[i].diverged) {
        diverged += fmt::format(
            " {} SGD run {} diverged at step {}.",
            runs == &sgd_runs ? "Unconstrained" : "Projected",
            i + 1,
            (*runs)[i].diverged_at_step);
      }
    }
  }
  const auto& free = settings[0].summary;
  const auto& projected = settings[1].summary;
  const auto& stochastic = settings[2].summary;
  const auto& stochastic_projected = settings[3].summary;
  result.notes.push_back(fmt::format(
      "Fits on P(1,1), K = 2, n = {}: unconstrained exact-JD fits from {} "
      "starts reach JD {:.6f} at best (median {:.6f}; W_neg with the best "
      "output bias: {:.6f}); {:.0f}% of them end below 1/8, which no "
      "non-negative network can reach, so they provably use their negative "
      "weights (most negative {:.4f}). Fits projected onto non-negative "
      "weights stop at {:.6f} at best (median {:.6f}). Dropout SGD ({} runs, "
      "{} diverged): best {:.6f}, median {:.6f}, {:.0f}% below 1/8; "
      "projected SGD: best {:.6f}. Zero-embedding K = 4: unconstrained best "
      "{:.6f} ({:.0f}% below 1/8), projected best {:.6f}; W_neg at this "
      "width reaches only {:.6f} (it tends to 1/10 as n grows).{}",
      width,
      starts,
      free.min,
      free.median,
      w_neg_reference,
      100 * free.fraction_below_bound,
      free.most_negative_weight,
      projected.min,
      projected.median,
      sgd_starts,
      stochastic.diverged,
      stochastic.min,
      stochastic.median,
      100 * stochastic.fraction_below_bound,
      stochastic_projected.min,
      settings[4].summary.min,
      100 * settings[4].summary.fraction_below_bound,
      settings[5].summary.min,
      embedding_reference,
      diverged));
}

ExperimentResult run_negative_weights(const ExperimentContext& context) {
  auto generator = context.generator("negative-weights");
  ExperimentResult result;
  result.parameters = {
      {"keep_prob", kHalf},
      {"interval_z", kIntervalZ},
      {"max_patterns", context.max_patterns}};
  const auto mc_cases =
      static_cast<int64_t>(monte_carlo_cases(context.quick).size());
  ProgressBar progress(
      "negative-weights", 2 + mc_cases + 6, progress_wanted(context.quiet));

  Plot width_plot;
  compare_methods(context, generator, progress, result, width_plot);
  crossing_widths(context, result);
  Plot fifth_plot;
  bias_fifth(context, result, fifth_plot);
  result.plots.push_back(width_plot);
  result.plots.push_back(fifth_plot);
  fits(context, generator, progress, result, result.plots);
  progress.finish();

  result.notes.push_back(
      "W_neg: n/K first-one gadgets (unit i: +1 on input i, -1 on earlier "
      "inputs), later weights 1, output weight c = (1 - b) E S / E S^2 "
      "(derived for every p, depth and output bias b). Every non-negative "
      "network has JD >= 1/(36K) on P(1,1) for K > 18 and >= 1/8 for K = 2 "
      "and on zero-embeddings (theorems 8 and 17); those bounds are the "
      "paper's and are used here as expected values, not recomputed.");
  return result;
}

}  // namespace

Experiment negative_weights_experiment() {
  return {
      "negative-weights",
      "Dropout uses negative weights on monotone data (theorems 8 and 17, "
      "R6, R7): W_neg's JD by closed form, enumeration and Monte Carlo "
      "against the non-negative bounds; fits with and without the sign "
      "constraint.",
      run_negative_weights};
}

}  // namespace dropout_lab
