#pragma once

#include <string>
#include <vector>

#include "experiment.h"

namespace dropout_lab {

Experiment figure1_experiment();
Experiment depth_experiment();
Experiment penalty_sign_experiment();
Experiment label_dependence_experiment();
Experiment keep_prob_sweep_experiment();
Experiment weight_decay_experiment();
Experiment invariance_experiment();
Experiment flat_minima_experiment();
Experiment diabetes_units_experiment();
Experiment figure2_experiment();
Experiment negative_weights_experiment();

/// Every experiment, in the order of the report.
std::vector<Experiment> all_experiments();

/// The experiment called `name`, or nullptr.
const Experiment* find_experiment(const std::string& name);

}  // namespace dropout_lab
