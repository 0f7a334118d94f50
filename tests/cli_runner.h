#pragma once

#include <filesystem>
#include <string>

namespace dropout_lab::testing {

/// What one run of the dropout-lab binary produced.
struct CliRun {
  int status;
  std::string out;
  std::string err;
};

/// Runs the built dropout-lab binary with `arguments` (a shell-quoted
/// string) in the working directory `directory`, capturing both streams.
CliRun run_dropout_lab(
    const std::string& arguments, const std::filesystem::path& directory);

/// A fresh empty folder under the system's temporary directory, removed
/// when the object goes out of scope.
class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& tag);
  ~ScratchFolder();
  const std::filesystem::path& path() const {
    return path_;
  }
  /// Writes `text` to `name` inside the folder; returns the full path.
  std::string write(const std::string& name, const std::string& text) const;
  /// Names of every entry in the folder, hidden ones included.
  std::string listing() const;

 private:
  std::filesystem::path path_;
};

/// The number of newline characters in `text`.
int count_lines(const std::string& text);

/// Runs `arguments` in `folder` and requires what bad input must give:
/// status 2, exactly one line on stderr containing `needle`, nothing on
/// stdout, and nothing new in the folder.
void require_bad_input(
    const ScratchFolder& folder,
    const std::string& arguments,
    const std::string& needle);

}  // namespace dropout_lab::testing
