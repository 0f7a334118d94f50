#pragma once

#include <filesystem>
#include <string>

namespace dropout_lab {

/// Writes `content` to `path` through a temporary file in the same folder
/// and a rename, so a reader never sees a half-written file.
void write_file_atomically(
    const std::filesystem::path& path, const std::string& content);

/// The file that marks a folder as dropout-lab output, which a later run
/// may replace.
constexpr const char* kOutputMarker = ".dropout-lab-output";

/// Writes kOutputMarker into `folder`.
void mark_as_output(const std::filesystem::path& folder);

/// A folder that is built under a temporary sibling name and appears under
/// its final name only on commit(), replacing any previous folder there.
/// If the work fails before commit() the temporary folder is removed, so a
/// failed command leaves no partial output; leftovers of a killed run are
/// removed by the next one.
///
/// The constructor refuses (InputError), before any work is done, a final
/// path that exists and is neither empty nor marked with kOutputMarker, or
/// that holds the current folder, so no user data is ever replaced.
class StagedFolder {
 public:
  explicit StagedFolder(std::filesystem::path final_path);
  ~StagedFolder();
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  /// Where to write while staging.
  const std::filesystem::path& path() const {
    return staging_;
  }
  /// The final folder as the user gave it.
  const std::string& final_path() const {
    return shown_;
  }
  void commit();

 private:
  // Throws unless the final folder is absent, empty or marked.
  void require_replaceable() const;

  std::string shown_;
  std::filesystem::path final_;
  std::filesystem::path staging_;
  std::filesystem::path created_root_;
  bool committed_ = false;
};

}  // namespace dropout_lab
