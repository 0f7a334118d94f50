#include "table.h"

#include <cmath>

#include <fmt/format.h>

namespace dropout_lab {
namespace {

struct CellWriter {
  bool full_precision;

  std::string operator()(std::monostate) const {
    return "";
  }
  std::string operator()(int64_t value) const {
    return fmt::format("{}", value);
  }
  std::string operator()(double value) const {
    if (std::isnan(value)) {
      return "nan";
    }
    return full_precision ? fmt::format("{}", value)
                          : fmt::format("{:.6g}", value);
  }
  std::string operator()(const std::string& value) const {
    return value;
  }
};

std::string csv_escape(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) {
    return text;
  }
  std::string escaped = "\"";
  for (char c : text) {
    escaped += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return escaped + "\"";
}

}  // namespace

void Table::add_row(std::vector<Cell> row) {
  if (row.size() != columns.size()) {
    throw std::logic_error(fmt::format(
        "table {}: row has {} cells for {} columns",
        name,
        row.size(),
        columns.size()));
  }
  rows.push_back(std::move(row));
}

std::string to_csv(const Table& table) {
  std::string text;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    text += (c > 0 ? "," : "") + csv_escape(table.columns[c]);
  }
  text += "\n";
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      text +=
          (c > 0 ? "," : "") + csv_escape(std::visit(CellWriter{true}, row[c]));
    }
    text += "\n";
  }
  return text;
}

std::string markdown_cell(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    escaped += c == '|' ? std::string("\\|") : std::string(1, c);
  }
  return escaped;
}

std::string to_markdown(const Table& table, size_t max_rows) {
  std::string text = "|";
  std::string rule = "|";
  for (const auto& column : table.columns) {
    text += fmt::format(" {} |", markdown_cell(column));
    rule += " --- |";
  }
  text += "\n" + rule + "\n";
  for (size_t r = 0; r < table.rows.size() && r < max_rows; ++r) {
    text += "|";
    for (const auto& cell : table.rows[r]) {
      text += fmt::format(
          " {} |", markdown_cell(std::visit(CellWriter{false}, cell)));
    }
    text += "\n";
  }
  if (table.rows.size() > max_rows) {
    text += fmt::format(
        "\n({} of {} rows shown; all are in {}.csv)\n",
        max_rows,
        table.rows.size(),
        table.name);
  }
  return text;
}

}  // namespace dropout_lab
