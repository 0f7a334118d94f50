#include "data_csv.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "errors.h"
#include "number_parsing.h"
#include "text_file.h"

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

// The number in `text`, field `field` of line `line` of `source`; the
// location is formatted only for an error.
double parse_number(
    const std::string& text,
    const std::string& source,
    int64_t line,
    const std::string& field) {
  const auto value = text.empty() ? std::nullopt : parse_decimal(text);
  if (!value) {
    throw InputError(
        text.empty()
            ? fmt::format("{}:{}: {}: empty field", source, line, field)
            : fmt::format(
                  "{}:{}: {}: {} is not a finite decimal number",
                  source,
                  line,
                  field,
                  quote_for_message(text)));
  }
  return *value;
}

// The header is x1,...,xK,y with an optional mass column last; returns K
// and whether there is a mass column.
std::pair<int64_t, bool> parse_header(
    const std::vector<std::string>& header, const std::string& where) {
  const auto y = std::find(header.begin(), header.end(), "y");
  require_input(
      y != header.end(),
      fmt::format(
          "{}: header has no 'y' column (expected x1,...,xK,y[,mass])", where));
  const auto n_inputs = static_cast<int64_t>(y - header.begin());
  require_input(
      n_inputs >= 1,
      fmt::format("{}: header has no input columns before 'y'", where));
  for (int64_t k = 0; k < n_inputs; ++k) {
    require_input(
        header[k] == fmt::format("x{}", k + 1),
        fmt::format(
            "{}: header column {} is {}, expected 'x{}'",
            where,
            k + 1,
            quote_for_message(header[k]),
            k + 1));
  }
  const auto after = header.size() - static_cast<size_t>(n_inputs) - 1;
  if (after > 1 || (after == 1 && header.back() != "mass")) {
    auto unexpected = header.begin() + n_inputs + 1;
    while (*unexpected == "mass" && unexpected + 1 != header.end()) {
      ++unexpected;
    }
    throw InputError(fmt::format(
        "{}: unexpected column {} after 'y' (only one 'mass' column may "
        "follow)",
        where,
        quote_for_message(*unexpected)));
  }
  return {n_inputs, after == 1};
}

}  // namespace

ExampleDistribution parse_data_csv(
    const std::string& text, const std::string& source) {
  // A UTF-8 byte-order mark, as some spreadsheets write, is not data.
  const std::string bom = "\xEF\xBB\xBF";
  std::stringstream stream(
      text.compare(0, bom.size(), bom) == 0 ? text.substr(bom.size()) : text);
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

  const auto [n_inputs, has_mass] =
      parse_header(header, fmt::format("{}:{}", source, line_number));

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
    require_input(fields.size() == header.size(), [&] {
      return fmt::format(
          "{}:{}: {} fields, expected {} (as in the header)",
          source,
          line_number,
          fields.size(),
          header.size());
    });
    std::vector<double> x;
    for (int64_t k = 0; k < n_inputs; ++k) {
      x.push_back(parse_number(fields[k], source, line_number, header[k]));
    }
    inputs.push_back(std::move(x));
    labels.push_back(parse_number(fields[n_inputs], source, line_number, "y"));
    if (has_mass) {
      const double mass =
          parse_number(fields[n_inputs + 1], source, line_number, "mass");
      require_input(mass >= 0.0, [&] {
        return fmt::format(
            "{}:{}: mass: negative mass {}", source, line_number, mass);
      });
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
  return parse_data_csv(read_text_file(path), path);
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
