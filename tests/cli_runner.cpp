#include "cli_runner.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace fs = std::filesystem;

namespace dropout_lab::testing {
namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

CliRun run_dropout_lab(
    const std::string& arguments, const fs::path& directory) {
  static int counter = 0;
  const auto stem = fs::temp_directory_path() /
                    fmt::format("dropout_lab_cli_{}_{}", ::getpid(), counter++);
  const auto out_path = stem.string() + ".out";
  const auto err_path = stem.string() + ".err";
  const auto command = fmt::format(
      "cd '{}' && '{}' {} >'{}' 2>'{}' </dev/null",
      directory.string(),
      DROPOUT_LAB_BINARY,
      arguments,
      out_path,
      err_path);
  const int raw = std::system(command.c_str());
  CliRun run{
      WIFEXITED(raw) ? WEXITSTATUS(raw) : -1,
      read_text(out_path),
      read_text(err_path)};
  fs::remove(out_path);
  fs::remove(err_path);
  return run;
}

ScratchFolder::ScratchFolder(const std::string& tag) {
  static int counter = 0;
  path_ = fs::temp_directory_path() /
          fmt::format("dropout_lab_{}_{}_{}", tag, ::getpid(), counter++);
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchFolder::~ScratchFolder() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string ScratchFolder::write(
    const std::string& name, const std::string& text) const {
  std::ofstream(path_ / name) << text;
  return (path_ / name).string();
}

std::string ScratchFolder::listing() const {
  std::string names;
  for (const auto& entry : fs::directory_iterator(path_)) {
    names += entry.path().filename().string() + " ";
  }
  return names;
}

int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) {
    lines += c == '\n' ? 1 : 0;
  }
  return lines;
}

void require_bad_input(
    const ScratchFolder& folder,
    const std::string& arguments,
    const std::string& needle) {
  const auto before = folder.listing();
  const auto run = run_dropout_lab(arguments, folder.path());
  INFO("dropout-lab " << arguments << "\nstderr: " << run.err);
  CHECK(run.status == 2);
  CHECK(count_lines(run.err) == 1);
  CHECK(run.err.find(needle) != std::string::npos);
  CHECK(run.out.empty());
  CHECK(folder.listing() == before);
}

}  // namespace dropout_lab::testing
