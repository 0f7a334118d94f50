#include "plot.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "output_folder.h"

namespace fs = std::filesystem;

namespace dropout_lab {
namespace {

std::string gnuplot_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string data_text(const Plot& plot) {
  std::string text;
  for (size_t s = 0; s < plot.series.size(); ++s) {
    const auto& series = plot.series[s];
    text += fmt::format("# {}\n", series.title);
    for (size_t i = 0; i < series.x.size(); ++i) {
      const double y = series.y[i];
      // gnuplot skips a point whose value it cannot read.
      text += fmt::format(
          "{} {}", series.x[i], std::isfinite(y) ? fmt::format("{}", y) : "?");
      if (!series.y_error.empty()) {
        text += fmt::format(" {}", series.y_error[i]);
      }
      text += "\n";
    }
    text += "\n\n";
  }
  return text;
}

std::string script_text(const Plot& plot) {
  std::string text;
  text += "set terminal pngcairo size 900,600 noenhanced\n";
  text += fmt::format("set output {}\n", gnuplot_quote(plot.name + ".png"));
  text += fmt::format("set title {}\n", gnuplot_quote(plot.title));
  text += fmt::format("set xlabel {}\n", gnuplot_quote(plot.x_label));
  text += fmt::format("set ylabel {}\n", gnuplot_quote(plot.y_label));
  // The key goes below the plot, so that long series titles do not
  // squeeze the plot area.
  text += "set key below\nset grid\n";
  // A margin so that points on the edge of the data are not hidden by the
  // border. Every offset names its unit: gnuplot refuses offsets in axis
  // units on a logarithmic axis (and then writes an empty PNG).
  text += "set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05\n";
  // "%g" labels a logarithmic axis 1e-05 rather than 0.00001000.
  if (plot.log_x) {
    text += "set logscale x\nset format x \"%g\"\n";
  }
  if (plot.log_y) {
    text += "set logscale y\nset format y \"%g\"\n";
  }
  text += "plot \\\n";
  for (size_t s = 0; s < plot.series.size(); ++s) {
    const auto& series = plot.series[s];
    const bool bars = !series.y_error.empty();
    text += fmt::format(
        "  {} index {} using 1:2{} with {} title {}{}\n",
        gnuplot_quote(plot.name + ".dat"),
        s,
        bars ? ":3" : "",
        bars ? "yerrorlines" : series.style,
        gnuplot_quote(series.title),
        s + 1 < plot.series.size() ? ", \\" : "");
  }
  return text;
}

}  // namespace

bool render_plot(const Plot& plot, const fs::path& folder) {
  write_file_atomically(folder / (plot.name + ".dat"), data_text(plot));
  write_file_atomically(folder / (plot.name + ".gp"), script_text(plot));

  const auto command = fmt::format(
      "cd '{}' && gnuplot '{}.gp' >/dev/null 2>&1", folder.string(), plot.name);
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    return false;
  }
  return std::system(command.c_str()) == 0 &&
         fs::exists(folder / (plot.name + ".png"));
}

}  // namespace dropout_lab
