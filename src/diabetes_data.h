#pragma once

#include <string>
#include <vector>

#include "example_distribution.h"

namespace dropout_lab {

/// The diabetes regression data of Efron, Hastie, Johnstone and Tibshirani,
/// "Least Angle Regression" (Annals of Statistics, 2004): 442 patients,
/// K = 10 raw baseline variables (age, sex, bmi, blood pressure and six
/// serum measurements, in their original units) and the label, a measure of
/// disease progression a year later; equal masses. The copy in
/// data/diabetes.csv (source and conversion in data/README.md) is compiled
/// into the library, so the binary needs no data folder.
ExampleDistribution diabetes_data();

/// The names of the ten columns x1..x10, as in data/README.md.
const std::vector<std::string>& diabetes_feature_names();

}  // namespace dropout_lab
