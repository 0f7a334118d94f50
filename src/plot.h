#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dropout_lab {

/// One curve of a plot; `y_error`, when not empty, draws error bars.
struct PlotSeries {
  std::string title;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> y_error;
  /// A gnuplot style: "linespoints", "lines", "points".
  std::string style = "linespoints";
};

struct Plot {
  std::string name;  ///< File stem: NAME.png, NAME.gp, NAME.dat.
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  std::vector<PlotSeries> series;
};

/// Writes NAME.dat and the gnuplot script NAME.gp into `folder` and renders
/// NAME.png with gnuplot when it is installed. Returns false (and writes
/// only the data and script) when gnuplot is missing or fails, so a result
/// never depends on the plotting tool.
bool render_plot(const Plot& plot, const std::filesystem::path& folder);

}  // namespace dropout_lab
