// Plots: the gnuplot script renders on linear and logarithmic axes.

#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include "plot.h"

using namespace dropout_lab;
namespace fs = std::filesystem;

TEST_CASE(
    "a plot renders on logarithmic axes with error bars", "[output][plot]") {
  // Where gnuplot is missing render_plot returns false by design, so there
  // is nothing to check but the script.
  const auto folder = fs::temp_directory_path() / "dropout_lab_test_plot";
  fs::remove_all(folder);
  fs::create_directories(folder);
  for (bool log_axes : {false, true}) {
    Plot plot{
        log_axes ? "log_axes" : "linear_axes",
        "test",
        "x",
        "y",
        log_axes,
        log_axes,
        {PlotSeries{"curve", {1, 10, 100}, {1, 0.1, 0.01}, {}, "lines"},
         PlotSeries{"bars", {2, 20}, {0.5, 0.05}, {0.1, 0.01}, "points"}}};
    const bool rendered = render_plot(plot, folder);
    CHECK(fs::exists(folder / (plot.name + ".gp")));
    if (std::system("command -v gnuplot >/dev/null 2>&1") == 0) {
      INFO("log axes: " << log_axes);
      CHECK(rendered);
      CHECK(fs::file_size(folder / (plot.name + ".png")) > 0);
    }
  }
  fs::remove_all(folder);
}
