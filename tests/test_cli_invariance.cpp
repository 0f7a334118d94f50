// The check-invariance and fit commands, run as a user would: results,
// exit statuses (1 when a map is not an invariance or a fit does not
// converge), and one-line errors with status 2 for bad input.

#include <cmath>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "network_json.h"

using namespace dropout_lab;
using namespace dropout_lab::testing;

namespace {

// Three inputs, three hidden units, mixed signs: every kind of map moves
// something.
constexpr const char* kNet = R"({
  "keep_prob": 0.5,
  "layers": [
    {"weight": [[0.8, -0.4, 0.3], [-0.2, 0.9, 0.5], [0.6, 0.1, -0.7]],
     "bias": [0.1, -0.2, 0.3]},
    {"weight": [[1.2, -0.8, 0.6]], "bias": [0.2]}
  ]
})";
constexpr const char* kData =
    "x1,x2,x3,y\n"
    "1,-0.5,0.2,1\n"
    "0.3,0.8,-1,-0.5\n"
    "-0.7,0.4,0.9,0.25\n"
    "0.5,0.5,0.5,2\n";

}  // namespace

TEST_CASE(
    "check-invariance passes the invariances of a network file",
    "[cli][invariance]") {
  ScratchFolder folder("cli_invariance");
  folder.write("net.json", kNet);
  folder.write("data.csv", kData);
  const auto run = run_dropout_lab(
      "check-invariance --net net.json --data data.csv --trials 3 --seed 5 "
      "--json",
      folder.path());
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  const auto result = nlohmann::json::parse(run.out);
  CHECK(result["all_hold"].get<bool>());
  CHECK(result["patterns"].get<int64_t>() == 64);
  CHECK(result["enumerated"].get<bool>());
  REQUIRE(result["kinds"].size() == 4);
  for (const auto& kind : result["kinds"]) {
    CHECK(kind["output_difference"].get<double>() <= 1e-12);
    CHECK(kind["dropout_criterion_difference"].get<double>() <= 1e-12);
    CHECK(kind["dropout_penalty_difference"].get<double>() <= 1e-12);
    if (kind["kind"] == "input" || kind["kind"] == "unit") {
      // The L2 penalty moves under these maps while dropout does not.
      CHECK(
          std::max(
              std::abs(kind["l2_change_min"].get<double>()),
              std::abs(kind["l2_change_max"].get<double>())) > 1e-3);
    }
  }

  const auto text = run_dropout_lab(
      "check-invariance --net net.json --data data.csv --trials 2",
      folder.path());
  CHECK(text.status == 0);
  CHECK(text.out.find("invariant") != std::string::npos);
}

TEST_CASE(
    "check-invariance exits 1 on a map that is not an invariance",
    "[cli][invariance]") {
  ScratchFolder folder("cli_not_invariant");
  folder.write("net.json", kNet);
  folder.write("data.csv", kData);
  for (const char* kind : {"center", "negative-unit"}) {
    const auto run = run_dropout_lab(
        std::string("check-invariance --net net.json --data data.csv ") +
            "--trials 2 --json --kinds input," + kind,
        folder.path());
    INFO(kind << ": " << run.out << run.err);
    CHECK(run.status == 1);
    const auto result = nlohmann::json::parse(run.out);
    CHECK_FALSE(result["all_hold"].get<bool>());
    CHECK(result["kinds"][0]["holds"].get<bool>());
    CHECK_FALSE(result["kinds"][1]["holds"].get<bool>());
    CHECK(
        result["kinds"][1]["dropout_criterion_difference"].get<double>() >
        1e-6);
  }
}

TEST_CASE("check-invariance rejects bad input", "[cli][invariance][errors]") {
  ScratchFolder folder("cli_invariance_errors");
  folder.write("net.json", kNet);
  folder.write("data.csv", kData);
  folder.write("two.csv", "x1,x2,y\n1,2,3\n");
  folder.write(
      "linear.json", R"({"layers": [{"weight": [[1, 2, 3]], "bias": [0]}]})");
  require_bad_input(folder, "check-invariance --data data.csv", "--net");
  require_bad_input(folder, "check-invariance --net net.json", "--data");
  require_bad_input(
      folder,
      "check-invariance --net missing.json --data data.csv",
      "missing.json");
  require_bad_input(
      folder, "check-invariance --net net.json --data two.csv", "two.csv");
  require_bad_input(
      folder,
      "check-invariance --net net.json --data data.csv --trials 0",
      "--trials");
  require_bad_input(
      folder,
      "check-invariance --net net.json --data data.csv --kinds input,magic",
      "magic");
  require_bad_input(
      folder,
      "check-invariance --net linear.json --data data.csv --kinds unit",
      "hidden layer");
  require_bad_input(
      folder,
      "check-invariance --net net.json --data data.csv --keep-prob 2",
      "(0, 1]");
  require_bad_input(
      folder,
      "check-invariance --net net.json --data data.csv --max-patterns 2",
      "--max-patterns");
}

TEST_CASE(
    "fit minimises exact JD and writes a network that reads back",
    "[cli][fit]") {
  ScratchFolder folder("cli_fit");
  folder.write("net.json", kNet);
  folder.write("data.csv", kData);
  const auto run = run_dropout_lab(
      "fit --net-init net.json --data data.csv --criterion l2 --lambda 0.1 "
      "--out fitted.json --json",
      folder.path());
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  const auto result = nlohmann::json::parse(run.out);
  CHECK(result["converged"].get<bool>());
  CHECK(result["gradient_norm"].get<double>() < 1e-7);

  // The written network gives the reported criteria through `criterion`.
  const auto check = run_dropout_lab(
      "criterion --net fitted.json --data data.csv --lambda 0.1 --json",
      folder.path());
  REQUIRE(check.status == 0);
  const auto values = nlohmann::json::parse(check.out);
  CHECK(
      values["weight_decay_criterion"].get<double>() ==
      Approx(result["value"].get<double>()).epsilon(1e-12));
  CHECK(
      values["dropout_criterion"].get<double>() ==
      Approx(result["dropout_criterion"].get<double>()).epsilon(1e-12));
  // The fit is below where it started.
  const auto start = run_dropout_lab(
      "criterion --net net.json --data data.csv --lambda 0.1 --json",
      folder.path());
  REQUIRE(start.status == 0);
  CHECK(
      result["value"].get<double>() <
      nlohmann::json::parse(start.out)["weight_decay_criterion"].get<double>());

  // Exact JD, written in canonical form: JD as fitted, JD below the start.
  const auto dropout = run_dropout_lab(
      "fit --net-init net.json --data data.csv --criterion dropout "
      "--canonical --out canonical.json --json",
      folder.path());
  INFO(dropout.out << dropout.err);
  REQUIRE((dropout.status == 0 || dropout.status == 1));
  const auto fitted = nlohmann::json::parse(dropout.out);
  CHECK(
      fitted["dropout_criterion"].get<double>() ==
      Approx(fitted["value"].get<double>()).epsilon(1e-12));
  CHECK(
      fitted["dropout_criterion"].get<double>() <
      nlohmann::json::parse(start.out)["dropout_criterion"].get<double>());
  CHECK(dropout.status == (fitted["converged"].get<bool>() ? 0 : 1));
  CHECK(
      read_network_file((folder.path() / "canonical.json").string())
          .layers.size() == 2);
}

TEST_CASE("fit exits 1 when it cannot reach the tolerance", "[cli][fit]") {
  ScratchFolder folder("cli_fit_budget");
  folder.write("net.json", kNet);
  folder.write("data.csv", kData);
  const auto run = run_dropout_lab(
      "fit --net-init net.json --data data.csv --criterion l2 --lambda 0.1 "
      "--gradient-tolerance 1e-30 --out fitted.json",
      folder.path());
  CHECK(run.status == 1);
  CHECK(run.err.find("tolerance") != std::string::npos);
  // The network is still written.
  CHECK(
      read_network_file((folder.path() / "fitted.json").string())
          .layers.size() == 2);
}

TEST_CASE("fit rejects bad input", "[cli][fit][errors]") {
  ScratchFolder folder("cli_fit_errors");
  folder.write("net.json", kNet);
  folder.write("data.csv", kData);
  folder.write("two.csv", "x1,x2,y\n1,2,3\n");
  require_bad_input(folder, "fit --data data.csv --out o.json", "--net-init");
  require_bad_input(folder, "fit --net-init net.json --out o.json", "--data");
  require_bad_input(folder, "fit --net-init net.json --data data.csv", "--out");
  require_bad_input(
      folder,
      "fit --net-init net.json --data data.csv --out o.json --criterion l1",
      "--criterion");
  require_bad_input(
      folder,
      "fit --net-init net.json --data data.csv --out o.json --criterion l2",
      "--lambda");
  require_bad_input(
      folder, "fit --net-init net.json --data two.csv --out o.json", "two.csv");
  require_bad_input(
      folder,
      "fit --net-init net.json --data data.csv --out o.json "
      "--gradient-tolerance 0",
      "--gradient-tolerance");
  require_bad_input(
      folder,
      "fit --net-init net.json --data data.csv --out o.json "
      "--max-iterations x",
      "--max-iterations");
  // An --out that could not be written is refused before the fit.
  require_bad_input(
      folder,
      "fit --net-init net.json --data data.csv --out nowhere/o.json",
      "nowhere");
  require_bad_input(
      folder, "fit --net-init net.json --data data.csv --out .", "folder");
}
