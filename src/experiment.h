#pragma once

#include <cstdint>
#include <functional>
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

  /// A generator for the experiment `name`, derived from the seed so that an
  /// experiment gives the same numbers whether run alone or in `reproduce`.
  at::Generator generator(const std::string& name) const;
  torch::TensorOptions tensor_options() const;
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
};

}  // namespace dropout_lab
