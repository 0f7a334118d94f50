// Checks, tables, staged folders and the progress bar's formatting.

#include <cmath>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "check.h"
#include "errors.h"
#include "experiment.h"
#include "output_folder.h"
#include "progress_bar.h"
#include "table.h"

using namespace dropout_lab;
namespace fs = std::filesystem;

TEST_CASE("checks compare by their stated rule", "[output][checks]") {
  CHECK(check_relative("r", 1.0 + 1e-13, 1.0, 1e-12).pass);
  CHECK_FALSE(check_relative("r", 1.0 + 1e-11, 1.0, 1e-12).pass);
  CHECK(check_absolute("a", 0.5, 0.0, 0.5).pass);
  CHECK_FALSE(check_absolute("a", 0.51, 0.0, 0.5).pass);
  CHECK(check_at_least("ge", 1.0, 1.0).pass);
  CHECK_FALSE(check_at_least("ge", 0.9, 1.0).pass);
  CHECK(check_at_most("le", -3.0, 0.0).pass);
  CHECK(check_within_interval("ci", 10.5, 0.2, 10.0, 4.0).pass);
  CHECK_FALSE(check_within_interval("ci", 11.0, 0.2, 10.0, 4.0).pass);
  // A NaN never passes, whatever the rule.
  CHECK_FALSE(check_at_most("nan", NAN, 0.0).pass);
  CHECK_FALSE(check_absolute("nan", NAN, 0.0, INFINITY).pass);

  ExperimentResult result;
  result.checks.push_back(check_absolute("ok", 0.0, 0.0, 0.0));
  CHECK(result.all_passed());
  result.checks.push_back(check_absolute("bad", 1.0, 0.0, 0.0));
  CHECK_FALSE(result.all_passed());
}

TEST_CASE("tables write CSV with every digit", "[output][tables]") {
  Table table{"t", "caption", {"name", "value", "count"}, {}};
  table.add_row({std::string("a,b"), 0.1 + 0.2, int64_t{3}});
  table.add_row({std::string("c"), Cell(), int64_t{4}});
  CHECK(
      to_csv(table) ==
      "name,value,count\n\"a,b\",0.30000000000000004,3\nc,,4\n");
  CHECK_THROWS(table.add_row({int64_t{1}}));
  CHECK(to_markdown(table).find("| a,b | 0.3 | 3 |") != std::string::npos);
}

TEST_CASE(
    "a staged folder appears only on commit and replaces the old one",
    "[output][folders]") {
  const auto root = fs::temp_directory_path() /
                    ("dropout_lab_stage_" + std::to_string(::getpid()));
  fs::remove_all(root);
  const auto target = root / "out";
  {
    StagedFolder folder(target);
    write_file_atomically(folder.path() / "a.txt", "first");
    CHECK_FALSE(fs::exists(target));
    // Not committed: nothing is left behind.
  }
  // The folder created to hold it is removed too.
  CHECK_FALSE(fs::exists(root));
  {
    StagedFolder folder(target);
    write_file_atomically(folder.path() / "a.txt", "second");
    folder.commit();
  }
  {
    StagedFolder folder(target);
    write_file_atomically(folder.path() / "b.txt", "third");
    folder.commit();
  }
  CHECK(fs::exists(target / "b.txt"));
  CHECK_FALSE(fs::exists(target / "a.txt"));
  CHECK(
      std::distance(fs::directory_iterator(root), fs::directory_iterator()) ==
      1);
  fs::remove_all(root);
}

TEST_CASE("durations print as m:ss or h:mm:ss", "[output][progress]") {
  CHECK(format_duration(0) == "0:00");
  CHECK(format_duration(75.4) == "1:15");
  CHECK(format_duration(3725) == "1:02:05");
}
