#include "report.h"

#include <fmt/format.h>

#include "output_folder.h"

namespace fs = std::filesystem;

namespace dropout_lab {
namespace {

std::string checks_markdown(const ExperimentResult& result) {
  std::string text =
      "| check | measured | expected | rule | tolerance | result |\n"
      "| --- | --- | --- | --- | --- | --- |\n";
  for (const auto& check : result.checks) {
    text += fmt::format(
        "| {} | {:.12g} | {:.12g} | {} | {:.3g} | {} |\n",
        markdown_cell(check.name),
        check.measured,
        check.expected,
        check.rule,
        check.tolerance,
        check.pass ? "pass" : "**FAIL**");
  }
  return text;
}

std::string experiment_markdown(
    const Experiment& experiment,
    const ExperimentResult& result,
    const std::vector<bool>& rendered,
    const std::string& link_prefix) {
  std::string text =
      fmt::format("## {}\n\n{}\n\n", experiment.name, experiment.summary);
  for (const auto& note : result.notes) {
    text += note + "\n\n";
  }
  text += fmt::format(
      "Parameters: `{}`\n\n### Checks\n\n{}\n",
      result.parameters.dump(),
      checks_markdown(result));
  for (const auto& table : result.tables) {
    text += fmt::format(
        "### {} ([{}.csv]({}{}.csv))\n\n{}\n",
        table.caption,
        table.name,
        link_prefix,
        table.name,
        to_markdown(table));
  }
  for (size_t i = 0; i < result.plots.size(); ++i) {
    const auto& plot = result.plots[i];
    text +=
        rendered[i]
            ? fmt::format(
                  "![{}]({}{}.png)\n\n", plot.title, link_prefix, plot.name)
            : fmt::format(
                  "Plot '{}': gnuplot was not available; render {}{}.gp with "
                  "it.\n\n",
                  plot.title,
                  link_prefix,
                  plot.name);
  }
  return text;
}

}  // namespace

std::string write_experiment_output(
    const Experiment& experiment,
    const ExperimentResult& result,
    const nlohmann::json& provenance,
    const fs::path& folder,
    const std::string& link_prefix) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : result.checks) {
    checks.push_back(to_json(check));
  }
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& table : result.tables) {
    write_file_atomically(folder / (table.name + ".csv"), to_csv(table));
    tables.push_back(table.name + ".csv");
  }

  nlohmann::json files = nlohmann::json::array();
  for (const auto& [name, content] : result.files) {
    write_file_atomically(folder / name, content);
    files.push_back(name);
  }

  std::vector<bool> rendered;
  nlohmann::json plots = nlohmann::json::array();
  for (const auto& plot : result.plots) {
    rendered.push_back(render_plot(plot, folder));
    plots.push_back(plot.name + (rendered.back() ? ".png" : ".gp"));
  }

  const nlohmann::json document = {
      {"experiment", experiment.name},
      {"summary", experiment.summary},
      {"parameters", result.parameters},
      {"checks", checks},
      {"pass", result.all_passed()},
      {"tables", tables},
      {"plots", plots},
      {"notes", result.notes},
      {"files", files},
      {"provenance", provenance},
  };
  write_file_atomically(folder / "result.json", document.dump(2) + "\n");
  write_file_atomically(
      folder / "report.md",
      experiment_markdown(experiment, result, rendered, ""));
  return experiment_markdown(experiment, result, rendered, link_prefix);
}

std::string check_summary_lines(const ExperimentResult& result) {
  std::string text;
  for (const auto& check : result.checks) {
    text += fmt::format(
        "  {} {}: {:.10g} vs {:.10g} ({} {:.2g})\n",
        check.pass ? "pass" : "FAIL",
        check.name,
        check.measured,
        check.expected,
        check.rule,
        check.tolerance);
  }
  return text;
}

}  // namespace dropout_lab
