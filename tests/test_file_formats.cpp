// The network (JSON) and data (CSV) file formats: round trips and the
// messages for malformed input.

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "data_csv.h"
#include "dropout_pattern.h"
#include "errors.h"
#include "network_json.h"
#include "test_support.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

std::string temporary_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("dropout_lab_test_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path) << text;
  return path.string();
}

NetworkParameters parse_network(const std::string& text) {
  return network_from_json(nlohmann::json::parse(text), "net.json");
}

}  // namespace

TEST_CASE("network files round-trip exactly", "[io][network]") {
  auto net = mixed_sign_network({3, 4, 2, 1}, 0.35, make_generator(1));
  const auto parameters = parameters_of(net);
  const auto path = temporary_file("roundtrip.json", "");
  write_network_file(parameters, path);
  const auto back = read_network_file(path);
  CHECK(back.keep_prob == parameters.keep_prob);
  REQUIRE(back.layers.size() == parameters.layers.size());
  for (size_t l = 0; l < back.layers.size(); ++l) {
    CHECK(back.layers[l].weight == parameters.layers[l].weight);
    CHECK(back.layers[l].bias == parameters.layers[l].bias);
  }
  auto rebuilt = network_from(back);
  auto x = torch::rand({5, 3}, torch::kFloat64);
  CHECK(torch::equal(rebuilt->forward(x), net->forward(x)));
  std::filesystem::remove(path);
}

TEST_CASE("network file errors name the field", "[io][network][errors]") {
  CHECK_THROWS_WITH(
      parse_network(R"({"layers": [{"weight": [[1, 2]], "bias": [0, 1]}]})"),
      Catch::Contains("layers[0].bias") && Catch::Contains("expected 1"));
  CHECK_THROWS_WITH(
      parse_network(
          R"({"layers": [{"weight": [[1, 2], [3, 4]], "bias": [0, 0]},
                          {"weight": [[1, 2, 3]], "bias": [0]}]})"),
      Catch::Contains("layers[1].weight[0]") && Catch::Contains("expected 2"));
  CHECK_THROWS_WITH(
      parse_network(R"({"layers": [{"weight": [[1], [2]], "bias": [0, 0]}]})"),
      Catch::Contains("last layer must have one row"));
  CHECK_THROWS_WITH(
      parse_network(
          R"({"keep_prob": 0, "layers": [{"weight": [[1]], "bias": [0]}]})"),
      Catch::Contains("keep_prob") && Catch::Contains("(0, 1]"));
  CHECK_THROWS_WITH(
      parse_network(
          R"({"keep_prob": 1.5, "layers": [{"weight": [[1]], "bias": [0]}]})"),
      Catch::Contains("keep_prob"));
  CHECK_THROWS_WITH(
      parse_network(R"({"layers": [{"weight": [["a"]], "bias": [0]}]})"),
      Catch::Contains("layers[0].weight[0][0]") &&
          Catch::Contains("expected a number"));
  CHECK_THROWS_WITH(
      parse_network(R"({"layer": []})"), Catch::Contains("unknown field"));
  CHECK_THROWS_WITH(
      parse_network(R"({"layers": []})"), Catch::Contains("empty"));
}

TEST_CASE("malformed JSON is reported with its line", "[io][network][errors]") {
  const auto path = temporary_file(
      "broken.json",
      "{\n  \"layers\": [\n    {\"weight\": [[1]],, }\n  ]\n}\n");
  CHECK_THROWS_AS(read_network_file(path), InputError);
  CHECK_THROWS_WITH(
      read_network_file(path),
      Catch::Contains(path) && Catch::Contains("line 3"));
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(
      read_network_file("/nonexistent/net.json"),
      Catch::Contains("cannot open"));
}

TEST_CASE("data files parse with and without masses", "[io][data]") {
  auto data = parse_data_csv("x1,x2,y\n1,2,3\n4,5,6\n", "d.csv");
  CHECK(data.size() == 2);
  CHECK(data.input_dim() == 2);
  CHECK(data.mass[0].item<double>() == 0.5);

  auto weighted =
      parse_data_csv("# a comment\nx1,y,mass\n1,2,3\n\n4,5,1\n", "d.csv");
  CHECK(weighted.mass[0].item<double>() == 0.75);
  CHECK(weighted.y[1].item<double>() == 5.0);

  auto back = parse_data_csv(data_to_csv(weighted), "again.csv");
  CHECK(torch::equal(back.x, weighted.x));
  CHECK(torch::equal(back.mass, weighted.mass));
}

TEST_CASE("data file errors name the line and field", "[io][data][errors]") {
  CHECK_THROWS_WITH(
      parse_data_csv("x1,x2,y\n1,2,3\n1,zz,3\n", "d.csv"),
      Catch::Contains("d.csv:3: x2") && Catch::Contains("'zz'"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,x2,y\n1,2\n", "d.csv"),
      Catch::Contains("d.csv:2") && Catch::Contains("2 fields, expected 3"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,x3,y\n1,2,3\n", "d.csv"),
      Catch::Contains("expected 'x2'"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,y\nnan,1\n", "d.csv"),
      Catch::Contains("d.csv:2: x1") && Catch::Contains("not a finite"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,y,mass\n1,1,-1\n", "d.csv"),
      Catch::Contains("negative mass"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,y,mass\n1,1,0\n", "d.csv"),
      Catch::Contains("masses sum to 0"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,y\n", "d.csv"), Catch::Contains("no examples"));
  CHECK_THROWS_WITH(parse_data_csv("", "d.csv"), Catch::Contains("no header"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,y\n1e999,1\n", "d.csv"),
      Catch::Contains("not a finite decimal number"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,y\n0x1,1\n", "d.csv"), Catch::Contains("'0x1'"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,x2,y,mass,foo\n1,2,3,4,5\n", "d.csv"),
      Catch::Contains("unexpected column 'foo'"));
  CHECK_THROWS_WITH(
      parse_data_csv("x1,x2\n1,2\n", "d.csv"), Catch::Contains("no 'y'"));
  // A long field is quoted only in part, so the message stays one line.
  const auto long_field = std::string(5000, 'z');
  try {
    parse_data_csv("x1,y\n" + long_field + ",1\n", "d.csv");
    FAIL("a 5000-character field was accepted");
  } catch (const InputError& error) {
    CHECK(std::string(error.what()).size() < 120);
  }
}

TEST_CASE(
    "data files accept a byte-order mark, CRLF and tiny numbers",
    "[io][data]") {
  auto data = parse_data_csv("\xEF\xBB\xBFx1,y\r\n1e-320,2\r\n", "d.csv");
  CHECK(data.size() == 1);
  CHECK(data.x[0][0].item<double>() > 0.0);
  CHECK(data.y[0].item<double>() == 2.0);
}
