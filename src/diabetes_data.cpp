#include "diabetes_data.h"

#include "data_csv.h"

namespace dropout_lab {

// Defined in diabetes_csv.cpp, which the build generates from
// data/diabetes.csv.
extern const char* const kDiabetesCsv;

ExampleDistribution diabetes_data() {
  return parse_data_csv(kDiabetesCsv, "data/diabetes.csv (built in)");
}

const std::vector<std::string>& diabetes_feature_names() {
  static const std::vector<std::string> names{
      "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"};
  return names;
}

}  // namespace dropout_lab
