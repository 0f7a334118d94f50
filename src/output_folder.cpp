#include "output_folder.h"

#include <fstream>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>

#include "errors.h"

namespace fs = std::filesystem;

namespace dropout_lab {
namespace {

fs::path sibling(const fs::path& path, const std::string& tag) {
  auto name = path.filename().string();
  if (name.empty()) {
    name = path.parent_path().filename().string();
  }
  return path.parent_path() / fmt::format(".{}.{}-{}", name, tag, getpid());
}

fs::path without_trailing_slash(fs::path path) {
  if (path.filename().empty() && path.has_parent_path()) {
    return path.parent_path();
  }
  return path;
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& content) {
  const auto temporary = sibling(path, "partial");
  {
    std::ofstream out(temporary, std::ios::binary);
    require_input(
        out.good(),
        fmt::format("{}: cannot open for writing", temporary.string()));
    out << content;
    out.close();
    require_input(
        !out.fail(), fmt::format("{}: write failed", temporary.string()));
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    fs::remove(temporary);
    throw InputError(
        fmt::format("{}: cannot write: {}", path.string(), error.message()));
  }
}

StagedFolder::StagedFolder(fs::path final_path)
    : final_(without_trailing_slash(std::move(final_path))),
      staging_(sibling(final_, "partial")) {
  std::error_code error;
  if (!final_.parent_path().empty()) {
    fs::create_directories(final_.parent_path(), error);
    require_input(
        !error,
        fmt::format(
            "{}: cannot create folder: {}",
            final_.parent_path().string(),
            error.message()));
  }
  require_input(
      !fs::exists(final_) || fs::is_directory(final_),
      fmt::format("{}: exists and is not a folder", final_.string()));
  fs::remove_all(staging_, error);
  fs::create_directories(staging_, error);
  require_input(
      !error,
      fmt::format(
          "{}: cannot create folder: {}", staging_.string(), error.message()));
}

StagedFolder::~StagedFolder() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
  }
}

void StagedFolder::commit() {
  std::error_code error;
  if (fs::exists(final_)) {
    // Move the old folder aside first so the new one appears in one rename.
    const auto old = sibling(final_, "old");
    fs::rename(final_, old, error);
    require_input(
        !error,
        fmt::format(
            "{}: cannot replace: {}", final_.string(), error.message()));
    fs::remove_all(old, error);
  }
  fs::rename(staging_, final_, error);
  require_input(
      !error,
      fmt::format("{}: cannot create: {}", final_.string(), error.message()));
  committed_ = true;
}

}  // namespace dropout_lab
