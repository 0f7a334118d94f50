// The diabetes data compiled into the library: the same numbers as the
// repository's data/diabetes.csv, and the shape and label range that the
// data's documentation states (442 patients, 10 features, targets 25-346).

#include <catch2/catch.hpp>

#include "data_csv.h"
#include "diabetes_data.h"

using namespace dropout_lab;

TEST_CASE(
    "the built-in diabetes data equals data/diabetes.csv", "[diabetes][data]") {
  const auto built_in = diabetes_data();
  const auto file = read_data_file(
      std::string(DROPOUT_LAB_SOURCE_DIR) + "/data/diabetes.csv");
  CHECK(torch::equal(built_in.x, file.x));
  CHECK(torch::equal(built_in.y, file.y));
  CHECK(torch::equal(built_in.mass, file.mass));
}

TEST_CASE(
    "the diabetes data has the documented shape and label range",
    "[diabetes][data]") {
  const auto data = diabetes_data();
  CHECK(data.size() == 442);
  CHECK(data.input_dim() == 10);
  CHECK(diabetes_feature_names().size() == 10);
  CHECK(data.y.min().item<double>() == 25.0);
  CHECK(data.y.max().item<double>() == 346.0);
  // Equal masses: every patient counts once.
  CHECK((data.mass - 1.0 / 442).abs().max().item<double>() < 1e-17);
  // The sex column is coded 1 or 2.
  const auto sex = data.x.select(1, 1);
  CHECK(((sex == 1.0) | (sex == 2.0)).all().item<bool>());
}
