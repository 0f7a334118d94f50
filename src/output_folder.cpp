#include "output_folder.h"

#include <cerrno>
#include <fstream>
#include <signal.h>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>

#include "errors.h"
#include "number_parsing.h"

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

bool process_alive(long pid) {
  // kill with signal 0 only asks whether the process exists.
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// Removes the temporary siblings (.NAME.partial-PID, .NAME.old-PID) that a
// run killed before it could clean up left behind.
void remove_stale_siblings(const fs::path& path) {
  std::error_code error;
  const auto folder =
      path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const auto name = path.filename().string();
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const auto entry_name = entry.path().filename().string();
    for (const std::string tag : {"partial", "old"}) {
      const auto prefix = fmt::format(".{}.{}-", name, tag);
      if (entry_name.rfind(prefix, 0) != 0) {
        continue;
      }
      const auto pid = parse_integer(entry_name.substr(prefix.size()));
      if (pid && !process_alive(*pid)) {
        fs::remove_all(entry.path(), error);
      }
    }
  }
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
    : final_(without_trailing_slash(std::move(final_path))) {
  require_input(!final_.empty(), "output folder: the path is empty");
  const auto shown = final_.string();
  std::error_code error;

  // Only an empty folder or one this program wrote may be replaced: the
  // commit removes what is there.
  if (fs::exists(final_, error)) {
    require_input(
        fs::is_directory(final_, error),
        fmt::format("{}: exists and is not a folder", shown));
    require_input(
        fs::is_empty(final_, error) ||
            fs::exists(final_ / kOutputMarker, error),
        fmt::format(
            "{}: exists and was not written by dropout-lab (it has no {}); "
            "choose another output folder or remove it",
            shown,
            kOutputMarker));
    const auto canonical = fs::weakly_canonical(final_, error);
    const auto here = fs::current_path(error);
    const auto relative = here.lexically_relative(canonical);
    require_input(
        !relative.empty() && *relative.begin() == "..",
        fmt::format(
            "{}: is or contains the current folder, which cannot be replaced",
            shown));
  }

  if (!final_.parent_path().empty()) {
    fs::create_directories(final_.parent_path(), error);
    require_input(
        !error,
        fmt::format(
            "{}: cannot create folder: {}",
            final_.parent_path().string(),
            error.message()));
  }
  remove_stale_siblings(final_);
  staging_ = sibling(final_, "partial");
  fs::remove_all(staging_, error);
  fs::create_directories(staging_, error);
  require_input(
      !error,
      fmt::format(
          "{}: cannot create folder: {}", staging_.string(), error.message()));
  mark_as_output(staging_);
}

void mark_as_output(const fs::path& folder) {
  write_file_atomically(
      folder / kOutputMarker,
      "This folder was written by dropout-lab; a later run may replace it.\n");
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
