#include "registry.h"

namespace dropout_lab {

std::vector<Experiment> all_experiments() {
  return {
      figure1_experiment(),
      depth_experiment(),
      penalty_sign_experiment(),
      label_dependence_experiment(),
      keep_prob_sweep_experiment(),
      weight_decay_experiment(),
      invariance_experiment(),
      flat_minima_experiment(),
      diabetes_units_experiment(),
      figure2_experiment(),
      negative_weights_experiment(),
  };
}

const Experiment* find_experiment(const std::string& name) {
  static const std::vector<Experiment> experiments = all_experiments();
  for (const auto& experiment : experiments) {
    if (experiment.name == name) {
      return &experiment;
    }
  }
  return nullptr;
}

}  // namespace dropout_lab
