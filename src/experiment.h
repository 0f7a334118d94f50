#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "check.h"
#include "dropout_pattern.h"
#include "plot.h"
#include "table.h"

namespace dropout_lab {

/// What every experiment is given by `run` and `reproduce`.
struct ExperimentContext {
  uint64_t seed = 1;
  /// Shrink sizes so the whole reproduction takes under a minute.
  bool quick = false;
  bool quiet = false;
  torch::Device device = torch::kCPU;
  int64_t max_patterns = kDefaultMaxPatterns;
  /// Values of experiment-specific options given on the command line
  /// (name without dashes -> text); absent ones take their defaults.
  std::map<std::string, std::string> settings;

  /// A generator for the experiment `name`, derived from the seed so that an
  /// experiment gives the same numbers whether run alone or in `reproduce`.
  at::Generator generator(const std::string& name) const;
  torch::TensorOptions tensor_options() const;

  /// The setting `name` as a number, an integer, a comma-separated list of
  /// numbers or text, or `fallback` when it was not given. A value that
  /// does not parse is an InputError naming the option.
  double setting_double(const std::string& name, double fallback) const;
  int64_t setting_integer(const std::string& name, int64_t fallback) const;
  std::vector<double> setting_doubles(
      const std::string& name, const std::vector<double>& fallback) const;
  std::string setting_text(
      const std::string& name, const std::string& fallback) const;
};

/// An option one experiment accepts beyond the common ones, such as
/// figure2's --runs; `run` and `reproduce` list it under the experiment's
/// name in their help and pass its value through ExperimentContext.
struct ExperimentOption {
  std::string name;
  std::string help;
  std::string default_value;
};

/// What an experiment produces: its parameters, checks, tables, plots and
/// notes for the report.
struct ExperimentResult {
  nlohmann::json parameters = nlohmann::json::object();
  std::vector<Check> checks;
  std::vector<Table> tables;
  std::vector<Plot> plots;
  std::vector<std::string> notes;
  /// Extra files (name, content), such as a witness network in the network
  /// file format so that it can be fed back to `dropout-lab criterion`.
  std::vector<std::pair<std::string, std::string>> files;

  bool all_passed() const;
};

/// A named reproduction of one result of the paper.
struct Experiment {
  std::string name;
  std::string summary;
  std::function<ExperimentResult(const ExperimentContext&)> run;
  std::vector<ExperimentOption> options;
  /// Optional: throws InputError when the context's settings are unusable,
  /// so that `run` and `reproduce` can refuse them before any work starts.
  std::function<void(const ExperimentContext&)> validate;
};

}  // namespace dropout_lab
