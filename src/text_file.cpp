#include "text_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

std::string read_text_file(const std::string& path) {
  std::error_code error;
  require_input(
      !std::filesystem::is_directory(path, error),
      fmt::format("{}: is a folder, not a file", path));
  std::ifstream in(path, std::ios::binary);
  require_input(in.good(), fmt::format("{}: cannot open for reading", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  require_input(!in.bad(), fmt::format("{}: read failed", path));
  return buffer.str();
}

}  // namespace dropout_lab
