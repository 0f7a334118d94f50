// The dropout-lab command line, run as a user would: results, exit
// statuses, one-line error messages, and no output left after bad input.

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

using namespace dropout_lab::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFigure1Net = R"({
  "keep_prob": 0.5,
  "layers": [
    {"weight": [[1, 1], [1, 1]], "bias": [0, 0]},
    {"weight": [[1, 1]], "bias": [0]}
  ]
})";
constexpr const char* kFigure1Data = "x1,x2,y\n1,-1,8\n";
constexpr const char* kExperimentNames[] = {
    "figure1",
    "depth",
    "penalty-sign",
    "label-dependence",
    "keep-prob-sweep",
    "weight-decay",
    "invariance",
    "flat-minima",
    "diabetes-units",
    "figure2",
    "negative-weights"};

}  // namespace

TEST_CASE("criterion reproduces figure 1 from files", "[cli]") {
  ScratchFolder folder("cli_fig1");
  folder.write("net.json", kFigure1Net);
  folder.write("data.csv", kFigure1Data);

  const auto run = run_dropout_lab(
      "criterion --net net.json --data data.csv --lambda 2 --json",
      folder.path());
  REQUIRE(run.status == 0);
  const auto result = nlohmann::json::parse(run.out);
  CHECK(result["risk"].get<double>() == Approx(64.0).epsilon(1e-14));
  CHECK(
      result["dropout_criterion"].get<double>() == Approx(54.0).epsilon(1e-14));
  CHECK(
      result["dropout_penalty"].get<double>() == Approx(-10.0).epsilon(1e-14));
  // J2 = R + (2 / 2) * (six weights of 1) = 70.
  CHECK(
      result["weight_decay_criterion"].get<double>() ==
      Approx(70.0).epsilon(1e-14));
  CHECK(result["stderr"].get<double>() == 0.0);

  const auto text = run_dropout_lab(
      "criterion --net net.json --data data.csv", folder.path());
  CHECK(text.status == 0);
  CHECK(text.out.find("54") != std::string::npos);
}

TEST_CASE(
    "criterion --method mc is seeded and covers the exact value", "[cli]") {
  ScratchFolder folder("cli_mc");
  folder.write("net.json", kFigure1Net);
  folder.write("data.csv", kFigure1Data);
  const std::string arguments =
      "criterion --net net.json --data data.csv --method mc --samples 20000 "
      "--seed 4 --json";
  const auto first = run_dropout_lab(arguments, folder.path());
  const auto second = run_dropout_lab(arguments, folder.path());
  REQUIRE(first.status == 0);
  CHECK(first.out == second.out);
  const auto result = nlohmann::json::parse(first.out);
  const double estimate = result["dropout_criterion"].get<double>();
  const double stderr_ = result["stderr"].get<double>();
  CHECK(stderr_ > 0.0);
  CHECK(std::abs(estimate - 54.0) <= 4.0 * stderr_);
}

TEST_CASE("criterion rejects bad input with status 2", "[cli][errors]") {
  ScratchFolder folder("cli_errors");
  folder.write("net.json", kFigure1Net);
  folder.write("data.csv", kFigure1Data);
  folder.write("broken.json", "{\"layers\": [\n");
  folder.write("bad.csv", "x1,x2,y\n1,oops,3\n");
  folder.write("three.csv", "x1,x2,x3,y\n1,2,3,4\n");
  // 30 inputs and 2 hidden units: 2^30 input patterns, past the default cap.
  const auto ones = [](int n) {
    std::string row = "[1";
    for (int i = 1; i < n; ++i) {
      row += ",1";
    }
    return row + "]";
  };
  folder.write(
      "wide.json",
      "{\"layers\": [{\"weight\": [" + ones(30) + "," + ones(30) +
          "], \"bias\": [0, 0]}, {\"weight\": [[1, 1]], \"bias\": [0]}]}");
  std::string wide_csv;
  for (int k = 1; k <= 30; ++k) {
    wide_csv += "x" + std::to_string(k) + ",";
  }
  wide_csv += "y\n" + ones(30).substr(1, 59) + ",1\n";
  folder.write("wide.csv", wide_csv);

  require_bad_input(folder, "criterion --data data.csv", "--net");
  require_bad_input(
      folder, "criterion --net missing.json --data data.csv", "missing.json");
  require_bad_input(
      folder, "criterion --net broken.json --data data.csv", "broken.json");
  require_bad_input(
      folder, "criterion --net net.json --data bad.csv", "bad.csv:2: x2");
  require_bad_input(folder, "criterion --net net.json --data three.csv", "3");
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --keep-prob 0",
      "(0, 1]");
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --keep-prob 1.5",
      "(0, 1]");
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --keep-prob nan",
      "keep-prob");
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --method magic",
      "--method");
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --samples 1",
      "--samples");
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --lambda -1",
      "--lambda");
  require_bad_input(
      folder, "criterion --net wide.json --data wide.csv", "--max-patterns");
  require_bad_input(
      folder, "criterion --net net.json --data data.csv --bogus", "bogus");
  require_bad_input(folder, "frobnicate", "unknown command");
}

TEST_CASE("asking for CUDA without it is a clear error", "[cli][errors]") {
  ScratchFolder folder("cli_cuda");
  folder.write("net.json", kFigure1Net);
  folder.write("data.csv", kFigure1Data);
  const auto run = run_dropout_lab(
      "criterion --net net.json --data data.csv --device cuda", folder.path());
  if (run.status == 0) {
    WARN("CUDA is available here; the no-CUDA error path is not exercised");
    return;
  }
  CHECK(run.status == 2);
  CHECK(run.err.find("CUDA") != std::string::npos);
  require_bad_input(folder, "run figure1 --device cuda --out out", "CUDA");
}

TEST_CASE(
    "run and reproduce refuse bad usage and write nothing", "[cli][errors]") {
  ScratchFolder folder("cli_run_errors");
  folder.write("a_file", "not a folder");
  require_bad_input(folder, "run nonsense --out out", "unknown experiment");
  require_bad_input(folder, "run --out out", "name at least one");
  require_bad_input(folder, "run figure1 --out a_file", "a_file");
  require_bad_input(
      folder, "reproduce --out out --max-patterns 0", "--max-patterns");
  require_bad_input(folder, "reproduce --out out --seed -3", "seed");
}

TEST_CASE("list names every experiment", "[cli]") {
  ScratchFolder folder("cli_list");
  const auto run = run_dropout_lab("list", folder.path());
  CHECK(run.status == 0);
  for (const char* name : kExperimentNames) {
    CHECK(run.out.find(name) != std::string::npos);
  }
}

TEST_CASE(
    "reproduce --quick writes a complete, reproducible report",
    "[cli][reproduce]") {
  ScratchFolder folder("cli_reproduce");
  const auto run =
      run_dropout_lab("reproduce --quick --out out --seed 9", folder.path());
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  const auto out = folder.path() / "out";
  CHECK(fs::exists(out / "report.md"));
  CHECK(folder.listing() == "out ");

  std::ifstream manifest_file(out / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_file);
  CHECK(manifest["seed"].get<uint64_t>() == 9);
  CHECK(
      manifest["command"].get<std::string>().find("reproduce") !=
      std::string::npos);
  CHECK(manifest.contains("git_revision"));
  CHECK(manifest["versions"].contains("libtorch"));

  for (const char* name : kExperimentNames) {
    std::ifstream result_file(out / name / "result.json");
    const auto result = nlohmann::json::parse(result_file);
    CHECK(result["pass"].get<bool>());
    CHECK(!result["checks"].empty());
    for (const auto& check : result["checks"]) {
      CHECK(check.contains("measured"));
      CHECK(check.contains("expected"));
      CHECK(check.contains("tolerance"));
    }
  }

  // The same seed run alone gives the same numbers.
  const auto alone = run_dropout_lab(
      "run penalty-sign --quick --out again --seed 9", folder.path());
  REQUIRE(alone.status == 0);
  std::ifstream a(out / "penalty-sign" / "searches.csv");
  std::ifstream b(folder.path() / "again" / "penalty-sign" / "searches.csv");
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  CHECK(sa.str() == sb.str());
  CHECK(!sa.str().empty());
}

TEST_CASE(
    "output folders never replace a folder dropout-lab did not write",
    "[cli][errors][output]") {
  ScratchFolder folder("cli_protect");
  fs::create_directories(folder.path() / "precious");
  folder.write("precious/thesis.tex", "years of work");
  require_bad_input(
      folder, "reproduce --quick --out precious", "not written by dropout-lab");
  CHECK(fs::exists(folder.path() / "precious" / "thesis.tex"));
  // Even a folder dropout-lab wrote cannot be replaced from inside it.
  fs::create_directories(folder.path() / "marked");
  folder.write("marked/.dropout-lab-output", "");
  const auto inside =
      run_dropout_lab("reproduce --quick --out .", folder.path() / "marked");
  CHECK(inside.status == 2);
  CHECK(inside.err.find("current folder") != std::string::npos);
  require_bad_input(folder, "run figure1 --out ''", "--out");

  // A folder this program wrote is replaced on a rerun, and an empty one is
  // used as it is.
  fs::create_directories(folder.path() / "empty");
  CHECK(run_dropout_lab("run figure1 --out empty", folder.path()).status == 0);
  CHECK(run_dropout_lab("run figure1 --out empty", folder.path()).status == 0);
  CHECK(
      run_dropout_lab("reproduce --quick --out again", folder.path()).status ==
      0);
  CHECK(
      run_dropout_lab("reproduce --quick --out again", folder.path()).status ==
      0);
  CHECK(run_dropout_lab("run figure1 --out again", folder.path()).status == 0);
}

TEST_CASE(
    "leftovers of a killed run are removed by the next one", "[cli][output]") {
  ScratchFolder folder("cli_stale");
  // PIDs are below 2^22 on Linux, so this one is not running.
  fs::create_directories(folder.path() / ".out.partial-99999999" / "figure1");
  folder.write(".out.partial-99999999/.dropout-lab-output", "");
  CHECK(
      run_dropout_lab("reproduce --quick --out out", folder.path()).status ==
      0);
  CHECK(folder.listing() == "out ");
}

TEST_CASE("overflowing criteria are refused, not printed", "[cli][errors]") {
  ScratchFolder folder("cli_overflow");
  folder.write(
      "huge.json",
      R"({"layers": [{"weight": [[1e308, 1e308]], "bias": [0]}]})");
  folder.write("data.csv", kFigure1Data);
  folder.write("big.csv", "x1,x2,y\n1e300,1e300,1\n");
  folder.write("net.json", kFigure1Net);
  require_bad_input(
      folder, "criterion --net huge.json --data big.csv", "overflow");
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --keep-prob 1e-300",
      "overflow");
}

TEST_CASE("network files are read strictly", "[cli][errors]") {
  ScratchFolder folder("cli_strict");
  folder.write("data.csv", kFigure1Data);
  folder.write(
      "twice.json",
      R"({"keep_prob": 0.5, "keep_prob": 0.9,
          "layers": [{"weight": [[1, 1]], "bias": [0]}]})");
  folder.write(
      "extra.json",
      R"({"layers": [{"weight": [[1, 1]], "bias": [0], "extra": 1}]})");
  folder.write(
      "overflow.json",
      R"({"layers": [{"weight": [[1e400, 1]], "bias": [0]}]})");
  folder.write(
      "bad_p.json",
      R"({"keep_prob": 7, "layers": [{"weight": [[1, 1]], "bias": [0]}]})");
  fs::create_directories(folder.path() / "a_folder");
  require_bad_input(
      folder, "criterion --net twice.json --data data.csv", "appears twice");
  require_bad_input(
      folder, "criterion --net extra.json --data data.csv", "layers[0]");
  require_bad_input(
      folder, "criterion --net overflow.json --data data.csv", "overflow.json");
  require_bad_input(
      folder, "criterion --net a_folder --data data.csv", "is a folder");
  require_bad_input(
      folder, "criterion --net bad_p.json --data data.csv", "keep_prob");
  require_bad_input(
      folder,
      "criterion --net bad_p.json --data data.csv --device cuda:x",
      "'cuda:x'");

  // --keep-prob replaces the file's value before it is checked.
  const auto rescued = run_dropout_lab(
      "criterion --net bad_p.json --data data.csv --keep-prob 0.5 --json",
      folder.path());
  CHECK(rescued.status == 0);
}

TEST_CASE(
    "construct writes the paper's networks and their data",
    "[cli][construct]") {
  ScratchFolder folder("cli_construct");
  auto criterion = [&](const std::string& stem, const std::string& extra) {
    const auto run = run_dropout_lab(
        "criterion --net " + stem + ".json --data " + stem + ".csv --json " +
            extra,
        folder.path());
    REQUIRE(run.status == 0);
    return nlohmann::json::parse(run.out);
  };

  REQUIRE(
      run_dropout_lab(
          "construct figure1 --out f.json --data-out f.csv", folder.path())
          .status == 0);
  CHECK(
      criterion("f", "")["dropout_criterion"].get<double>() ==
      Approx(54.0).epsilon(1e-14));

  REQUIRE(
      run_dropout_lab(
          "construct depth --inputs 2 --depth 4 --hidden 3 --label 10 "
          "--out d.json --data-out d.csv",
          folder.path())
          .status == 0);
  const auto depth = criterion("d", "");
  CHECK(std::abs(depth["risk"].get<double>()) < 1e-12);
  // (1 + 1/K)(1 + 1/n)^(d-1) - 1 at p = 1/2, times y^2.
  CHECK(
      depth["dropout_criterion"].get<double>() ==
      Approx(100.0 * (1.5 * std::pow(4.0 / 3.0, 3) - 1.0)).epsilon(1e-12));

  REQUIRE(
      run_dropout_lab(
          "construct theorem7 --x 0.6,-0.8 --lambda 0.25 --hidden 3 "
          "--out t.json --data-out t.csv",
          folder.path())
          .status == 0);
  const auto theorem7 = criterion("t", "--lambda 0.25");
  // s = 1, A = 1/2: risk lambda^2 = 1/16, J2 = (1 - A)^2/4 + lambda A.
  CHECK(theorem7["risk"].get<double>() == Approx(0.0625).epsilon(1e-13));
  CHECK(
      theorem7["weight_decay_criterion"].get<double>() ==
      Approx(0.0625 + 0.125).epsilon(1e-13));

  REQUIRE(
      run_dropout_lab(
          "construct w-neg --inputs 2 --depth 2 --hidden 4 --out w.json "
          "--data-out w.csv",
          folder.path())
          .status == 0);
  // (1/2)(1 - (1 - 2^-K) / (1 + K/n)) at p = 1/2.
  CHECK(
      criterion("w", "")["dropout_criterion"].get<double>() ==
      Approx(0.5 * (1.0 - 0.75 / 1.5)).epsilon(1e-13));

  require_bad_input(folder, "construct figure1", "--out");
  require_bad_input(folder, "construct nonsense --out n.json", "nonsense");
  require_bad_input(
      folder,
      "construct w-neg --inputs 2 --depth 2 --hidden 3 --out n.json",
      "multiple of K");
  require_bad_input(
      folder,
      "construct theorem7 --x 1,zz --lambda 1 --hidden 2 --out n.json",
      "'zz'");
  require_bad_input(
      folder,
      "construct depth --inputs 2 --depth 3 --hidden 2 --label 99 --out "
      "n.json",
      "label");
}

TEST_CASE(
    "output paths are resolved before they are checked",
    "[cli][errors][output]") {
  ScratchFolder folder("cli_resolve");
  fs::create_directories(folder.path() / "victim");
  folder.write("victim/thesis.tex", "irreplaceable");
  fs::create_directories(folder.path() / "work" / "sub");
  folder.write("work/top.txt", "mine");

  require_bad_input(
      folder, "reproduce --quick --out nosuch/../victim", "not written");
  CHECK(fs::exists(folder.path() / "victim" / "thesis.tex"));
  CHECK_FALSE(fs::exists(folder.path() / "nosuch"));

  const auto parent = run_dropout_lab(
      "reproduce --quick --out nosuch/../../../work",
      folder.path() / "work" / "sub");
  CHECK(parent.status == 2);
  CHECK(fs::exists(folder.path() / "work" / "top.txt"));

  fs::create_symlink(folder.path() / "missing", folder.path() / "dangling");
  require_bad_input(
      folder, "reproduce --quick --out dangling", "symbolic link");
}

TEST_CASE(
    "only marked leftovers of dead runs are cleaned up", "[cli][output]") {
  ScratchFolder folder("cli_unmarked");
  fs::create_directories(folder.path() / ".res.old-99999999");
  folder.write(".res.old-99999999/thesis.tex", "precious");
  CHECK(
      run_dropout_lab("run figure1 --out res --quiet", folder.path()).status ==
      0);
  CHECK(fs::exists(folder.path() / ".res.old-99999999" / "thesis.tex"));
}

TEST_CASE("usage errors are one line", "[cli][errors]") {
  ScratchFolder folder("cli_usage");
  folder.write("net.json", kFigure1Net);
  folder.write("data.csv", kFigure1Data);
  const auto bare = run_dropout_lab("", folder.path());
  CHECK(bare.status == 2);
  CHECK(count_lines(bare.err) == 1);
  require_bad_input(
      folder,
      "criterion --net net.json --data data.csv --lambda 1 --lambda 2",
      "more than once");
}

TEST_CASE("run figure2 with its own options", "[cli][figure2]") {
  // A small protocol: two runs, two scales, 3000 steps. Its shape checks
  // may pass or fail at this size; what is tested is the output.
  ScratchFolder folder("cli_figure2");
  const auto run = run_dropout_lab(
      "run figure2 --runs 2 --steps 3000 --scales 0.5,1.5 --quiet --out r",
      folder.path());
  INFO(run.err);
  REQUIRE((run.status == 0 || run.status == 1));
  std::ifstream summary(folder.path() / "r/figure2/summary.csv");
  REQUIRE(summary.good());
  std::ifstream trainings(folder.path() / "r/figure2/trainings.csv");
  std::string line;
  int rows = -1;
  while (std::getline(trainings, line)) {
    ++rows;
  }
  // 2 runs x 2 scales x 3 variants.
  CHECK(rows == 12);
  const auto result = nlohmann::json::parse(
      std::ifstream(folder.path() / "r/figure2/result.json"));
  CHECK(result["parameters"]["runs"].get<int>() == 2);
  for (const auto& check : result["checks"]) {
    if (check["name"].get<std::string>().find("reference") !=
        std::string::npos) {
      CHECK(check["pass"].get<bool>());
    }
  }
}

TEST_CASE("figure2 options are checked", "[cli][figure2][errors]") {
  ScratchFolder folder("cli_figure2_errors");
  require_bad_input(folder, "run figure2 --runs 0 --out r", "--runs");
  require_bad_input(folder, "run figure2 --scales 1,x --out r", "--scales");
  require_bad_input(folder, "run figure2 --scales 1,-2 --out r", "--scales");
  require_bad_input(folder, "run figure2 --scales 1,1 --out r", "--scales");
  require_bad_input(folder, "run figure2 --keep-prob 1.5 --out r", "keep");
  require_bad_input(folder, "run figure2 --lambda nan --out r", "--lambda");
  require_bad_input(folder, "run figure2 --backend magic --out r", "backend");
  require_bad_input(
      folder, "run figure2 --decay-biases maybe --out r", "--decay-biases");
  require_bad_input(
      folder, "run figure2 --runs 100000000 --width 1000 --out r", "memory");
  require_bad_input(folder, "run figure1 --runs 3 --out r", "--runs");
  // Checked before any experiment runs: nothing at all is written.
  require_bad_input(folder, "run figure1 figure2 --runs 0 --out r", "--runs");
  require_bad_input(folder, "run figure2 --keep-prob 1e-300 --out r", "1e-6");
  require_bad_input(folder, "run figure2 --examples 0 --out r", "--examples");
  require_bad_input(folder, "run figure2 --device cuda --out r", "CUDA");
  require_bad_input(folder, "bench figure3", "figure3");
  require_bad_input(folder, "bench criterion --quick", "--quick");
}

TEST_CASE("diabetes-units options are checked", "[cli][errors]") {
  ScratchFolder folder("cli_diabetes_errors");
  require_bad_input(
      folder, "run diabetes-units --restarts 0 --out r", "--restarts");
  require_bad_input(
      folder, "run diabetes-units --restarts 2.5 --out r", "--restarts");
  require_bad_input(
      folder, "run invariance --restarts 2 --out r", "--restarts");
  // Refused before figure1 runs: nothing is written.
  require_bad_input(
      folder,
      "run figure1 diabetes-units --restarts 101 --out r",
      "--restarts");
}

TEST_CASE("bench figure2 reports ratios to the reference", "[cli][figure2]") {
  ScratchFolder folder("cli_bench_figure2");
  const auto run = run_dropout_lab(
      "bench figure2 --quick --repeats 1 --quiet", folder.path());
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK(run.out.find("per-model") != std::string::npos);
  CHECK(run.out.find("speedup_vs_per_model") != std::string::npos);
  CHECK(run.out.find("15000") != std::string::npos);
}

TEST_CASE("construct checks both output files first", "[cli][errors]") {
  ScratchFolder folder("cli_construct_outputs");
  const std::string w_neg = "construct w-neg --inputs 2 --depth 2 --hidden 2 ";
  require_bad_input(
      folder, w_neg + "--out n.json --data-out missing/d.csv", "--data-out");
  require_bad_input(
      folder, w_neg + "--out same.json --data-out same.json", "--data-out");
  require_bad_input(folder, w_neg + "--out missing/n.json", "--out");
  const auto run =
      run_dropout_lab(w_neg + "--out n.json --data-out d.csv", folder.path());
  CHECK(run.status == 0);
  CHECK(fs::exists(folder.path() / "n.json"));
  CHECK(fs::exists(folder.path() / "d.csv"));
}

TEST_CASE("check-invariance refuses overflowing input", "[cli][errors]") {
  ScratchFolder folder("cli_invariance_overflow");
  folder.write(
      "big.json",
      R"({"keep_prob": 0.5, "layers": [{"weight": [[1e308, 1e308]], )"
      R"("bias": [0]}, {"weight": [[1e308]], "bias": [0]}]})");
  folder.write("data.csv", "x1,x2,y\n1,1,1\n");
  require_bad_input(
      folder, "check-invariance --net big.json --data data.csv", "overflow");
}
