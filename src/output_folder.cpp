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

bool is_output_or_empty(const fs::path& folder) {
  std::error_code error;
  return fs::is_empty(folder, error) ||
         fs::exists(folder / kOutputMarker, error);
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
      // Only what a dead run of this program left: marked or empty.
      const auto pid = parse_integer(entry_name.substr(prefix.size()));
      if (pid && !process_alive(*pid) && is_output_or_empty(entry.path())) {
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

StagedFolder::StagedFolder(fs::path final_path) : shown_(final_path.string()) {
  require_input(!shown_.empty(), "output folder: the path is empty");
  std::error_code error;

  // Resolve "..", "." and symbolic links in the part that exists first, so
  // that every check below sees the folder that would really be replaced.
  require_input(
      !fs::is_symlink(final_path, error) || fs::exists(final_path, error),
      fmt::format("{}: is a symbolic link to nothing", shown_));
  final_ = fs::weakly_canonical(
      fs::absolute(without_trailing_slash(final_path)), error);
  require_input(
      !error && final_.has_filename(),
      fmt::format("{}: not a usable folder path", shown_));
  require_replaceable();

  const auto here = fs::weakly_canonical(fs::current_path(error), error);
  const auto relative = here.lexically_relative(final_);
  require_input(
      !relative.empty() && *relative.begin() == "..",
      fmt::format(
          "{}: is or contains the current folder, which cannot be replaced",
          shown_));

  // Remember the highest folder created here, to remove it again if the
  // work fails.
  for (auto ancestor = final_.parent_path(); !fs::exists(ancestor, error);
       ancestor = ancestor.parent_path()) {
    created_root_ = ancestor;
  }
  fs::create_directories(final_.parent_path(), error);
  require_input(
      !error,
      fmt::format(
          "{}: cannot create folder: {}",
          final_.parent_path().string(),
          error.message()));

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

void StagedFolder::require_replaceable() const {
  std::error_code error;
  if (!fs::exists(final_, error)) {
    return;
  }
  require_input(
      fs::is_directory(final_, error),
      fmt::format("{}: exists and is not a folder", shown_));
  require_input(
      is_output_or_empty(final_),
      fmt::format(
          "{}: exists and was not written by dropout-lab (it has no {}); "
          "choose another output folder or remove it",
          shown_,
          kOutputMarker));
}

void mark_as_output(const fs::path& folder) {
  write_file_atomically(
      folder / kOutputMarker,
      "This folder was written by dropout-lab; a later run may replace it.\n");
}

StagedFolder::~StagedFolder() {
  if (committed_) {
    return;
  }
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
  if (!created_root_.empty()) {
    // fs::remove deletes only empty folders: climb from the parent to the
    // highest folder this object created.
    for (auto folder = final_.parent_path();; folder = folder.parent_path()) {
      fs::remove(folder, ignored);
      if (folder == created_root_ || !folder.has_parent_path()) {
        break;
      }
    }
  }
}

void StagedFolder::commit() {
  std::error_code error;
  // Checked again: the folder may have appeared while the work ran.
  require_replaceable();
  if (fs::exists(final_)) {
    // Move the old folder aside first so the new one appears in one rename.
    const auto old = sibling(final_, "old");
    fs::rename(final_, old, error);
    require_input(
        !error, fmt::format("{}: cannot replace: {}", shown_, error.message()));
    fs::remove_all(old, error);
  }
  fs::rename(staging_, final_, error);
  require_input(
      !error, fmt::format("{}: cannot create: {}", shown_, error.message()));
  committed_ = true;
}

}  // namespace dropout_lab
