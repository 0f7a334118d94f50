#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dropout_lab {

/// A table cell: empty, a count, a number or a word.
using Cell = std::variant<std::monostate, int64_t, double, std::string>;

/// A named table of results, written as CSV (every digit kept) and shown in
/// reports as Markdown (six significant digits).
struct Table {
  std::string name;  ///< File stem: NAME.csv.
  std::string caption;
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;

  void add_row(std::vector<Cell> row);
};

std::string to_csv(const Table& table);

/// `text` with every '|' escaped, for use inside a Markdown table cell.
std::string markdown_cell(const std::string& text);

/// The table in Markdown; tables longer than `max_rows` are cut, with a
/// line saying how many rows the CSV holds.
std::string to_markdown(const Table& table, size_t max_rows = 40);

}  // namespace dropout_lab
