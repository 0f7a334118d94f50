#include "data_csv.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) {
    fields.push_back(trim(field));
  }
  if (!line.empty() && line.back() == ',') {
    fields.push_back("");
  }
  return fields;
}

double parse_number(const std::string& text, const std::string& where) {
  require_input(!text.empty(), fmt::format("{}: empty field", where));
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  require_input(
      end == text.c_str() + text.size() && errno != ERANGE,
      fmt::format("{}: '{}' is not a number", where, text));
  require_input(
      std::isfinite(value),
      fmt::format("{}: '{}' is not a finite number", where, text));
  return value;
}

}  // namespace

ExampleDistribution parse_data_csv(
    const std::string& text, const std::string& source) {
  std::stringstream stream(text);
  std::string line;
  int64_t line_number = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(stream, line)) {
    ++line_number;
    line = trim(line);
    if (!line.empty() && line[0] != '#') {
      header = split_fields(line);
    }
  }
  require_input(
      !header.empty(), fmt::format("{}: no header line (x1,...,xK,y)", source));

  const bool has_mass = header.back() == "mass";
  const auto n_inputs =
      static_cast<int64_t>(header.size()) - (has_mass ? 2 : 1);
  require_input(
      n_inputs >= 1,
      fmt::format(
          "{}:{}: header needs columns x1,...,xK,y (and optionally mass)",
          source,
          line_number));
  for (int64_t k = 0; k < n_inputs; ++k) {
    require_input(
        header[k] == fmt::format("x{}", k + 1),
        fmt::format(
            "{}:{}: header column {} is '{}', expected 'x{}'",
            source,
            line_number,
            k + 1,
            header[k],
            k + 1));
  }
  require_input(
      header[n_inputs] == "y",
      fmt::format(
          "{}:{}: header column {} is '{}', expected 'y'",
          source,
          line_number,
          n_inputs + 1,
          header[n_inputs]));

  std::vector<std::vector<double>> inputs;
  std::vector<double> labels;
  std::vector<double> masses;
  while (std::getline(stream, line)) {
    ++line_number;
    line = trim(line);
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto fields = split_fields(line);
    require_input(
        fields.size() == header.size(),
        fmt::format(
            "{}:{}: {} fields, expected {} (as in the header)",
            source,
            line_number,
            fields.size(),
            header.size()));
    std::vector<double> x;
    for (int64_t k = 0; k < n_inputs; ++k) {
      x.push_back(parse_number(
          fields[k], fmt::format("{}:{}: {}", source, line_number, header[k])));
    }
    inputs.push_back(std::move(x));
    labels.push_back(parse_number(
        fields[n_inputs], fmt::format("{}:{}: y", source, line_number)));
    if (has_mass) {
      const auto where = fmt::format("{}:{}: mass", source, line_number);
      const double mass = parse_number(fields[n_inputs + 1], where);
      require_input(
          mass >= 0.0, fmt::format("{}: negative mass {}", where, mass));
      masses.push_back(mass);
    } else {
      masses.push_back(1.0);
    }
  }
  require_input(
      !inputs.empty(), fmt::format("{}: no examples after the header", source));
  return make_distribution(inputs, labels, masses, source);
}

ExampleDistribution read_data_file(const std::string& path) {
  std::ifstream in(path);
  require_input(in.good(), fmt::format("{}: cannot open for reading", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_data_csv(buffer.str(), path);
}

std::string data_to_csv(const ExampleDistribution& data) {
  auto x = data.x.to(torch::kCPU, torch::kFloat64);
  auto y = data.y.to(torch::kCPU, torch::kFloat64);
  auto mass = data.mass.to(torch::kCPU, torch::kFloat64);
  std::string text;
  for (int64_t k = 0; k < data.input_dim(); ++k) {
    text += fmt::format("x{},", k + 1);
  }
  text += "y,mass\n";
  for (int64_t i = 0; i < data.size(); ++i) {
    for (int64_t k = 0; k < data.input_dim(); ++k) {
      text += fmt::format("{},", x[i][k].item<double>());
    }
    text += fmt::format("{},{}\n", y[i].item<double>(), mass[i].item<double>());
  }
  return text;
}

}  // namespace dropout_lab
