#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "cli.h"
#include "cli_options.h"
#include "device.h"
#include "errors.h"
#include "output_folder.h"
#include "provenance.h"
#include "registry.h"
#include "report.h"

namespace dropout_lab {
namespace {

constexpr const char* kDefaultOutput = "results";

void add_experiment_options(cxxopts::Options& options) {
  // clang-format off
  options.add_options()
      ("out", "Output folder",
       cxxopts::value<std::string>()->default_value(kDefaultOutput))
      ("seed", "Seed for every randomised step",
       cxxopts::value<std::string>()->default_value("1"))
      ("quick", "Smaller sizes: the whole reproduction in seconds")
      ("max-patterns", "Largest pattern count `depth` enumerates exactly; "
       "Monte Carlo beyond", cxxopts::value<std::string>()->default_value(
           std::to_string(kDefaultMaxPatterns)))
      ("device", "cpu or cuda[:N]",
       cxxopts::value<std::string>()->default_value("cpu"))
      ("quiet", "No progress bars");
  // clang-format on

  // Options of single experiments, under the experiment's name; one that
  // several experiments share is declared once.
  std::set<std::string> declared;
  for (const auto& experiment : all_experiments()) {
    for (const auto& option : experiment.options) {
      if (declared.insert(option.name).second) {
        options.add_options(experiment.name)(
            option.name,
            fmt::format("{} (default {})", option.help, option.default_value),
            cxxopts::value<std::string>());
      }
    }
  }
  add_help_option(options);
}

// The experiment-specific options given, each checked to belong to one of
// `experiments`.
std::map<std::string, std::string> experiment_settings(
    const cxxopts::ParseResult& parsed,
    const std::vector<const Experiment*>& experiments) {
  std::map<std::string, std::string> settings;
  for (const auto& experiment : all_experiments()) {
    for (const auto& option : experiment.options) {
      if (parsed.count(option.name) == 0 || settings.count(option.name)) {
        continue;
      }
      bool accepted = false;
      for (const auto* selected : experiments) {
        for (const auto& own : selected->options) {
          accepted |= own.name == option.name;
        }
      }
      require_input(accepted, [&] {
        return fmt::format(
            "--{}: not an option of the selected experiments ({} takes it)",
            option.name,
            experiment.name);
      });
      settings[option.name] = parsed[option.name].as<std::string>();
    }
  }
  return settings;
}

ExperimentContext context_from(const cxxopts::ParseResult& parsed) {
  ExperimentContext context;
  context.seed = seed_option(parsed);
  context.quick = parsed.count("quick") > 0;
  context.quiet = parsed.count("quiet") > 0;
  context.max_patterns = integer_option(parsed, "max-patterns");
  require_input(
      context.max_patterns >= 1,
      fmt::format(
          "--max-patterns: must be >= 1, got {}", context.max_patterns));
  context.device = parse_device(parsed["device"].as<std::string>());
  require_input(
      !parsed["out"].as<std::string>().empty(), "--out: the path is empty");
  return context;
}

// Every selected experiment's own check of the settings, before any work.
void validate_settings(
    const std::vector<const Experiment*>& experiments,
    const ExperimentContext& context) {
  for (const auto* experiment : experiments) {
    if (experiment->validate) {
      experiment->validate(context);
    }
  }
}

nlohmann::json context_parameters(const ExperimentContext& context) {
  return {
      {"seed", context.seed},
      {"quick", context.quick},
      {"max_patterns", context.max_patterns},
      {"device", context.device.str()},
      {"settings", context.settings},
  };
}

struct Outcome {
  std::string markdown;
  bool passed;
  int64_t n_checks;
  int64_t n_passed;
  double seconds;
};

// Runs one experiment and writes its folder; prints a one-line summary
// and every failed check.
Outcome run_one(
    const Experiment& experiment,
    const ExperimentContext& context,
    const std::filesystem::path& folder,
    const std::string& link_prefix) {
  const auto start = std::chrono::steady_clock::now();
  auto result = experiment.run(context);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  auto record = provenance(
      command_line(),
      context_parameters(context),
      context.seed,
      context.device.str());
  record["seconds"] = seconds;
  Outcome outcome{
      write_experiment_output(experiment, result, record, folder, link_prefix),
      result.all_passed(),
      static_cast<int64_t>(result.checks.size()),
      0,
      seconds};
  for (const auto& check : result.checks) {
    outcome.n_passed += check.pass ? 1 : 0;
  }

  fmt::print(
      "{:<18} {}/{} checks pass  ({:.1f} s)\n",
      experiment.name,
      outcome.n_passed,
      outcome.n_checks,
      seconds);
  for (const auto& check : result.checks) {
    if (!check.pass) {
      fmt::print(
          "  FAIL {}: measured {:.12g}, expected {:.12g} ({} {:.3g})\n",
          check.name,
          check.measured,
          check.expected,
          check.rule,
          check.tolerance);
    }
  }
  std::fflush(stdout);
  return outcome;
}

}  // namespace

int run_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab run",
      "Run the named experiments; each writes OUT/NAME/ (result.json, CSV "
      "tables, plots, report.md).");
  options.positional_help("NAME...");
  add_experiment_options(options);
  options.add_options()(
      "names", "Experiments", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"names"});
  cxxopts::ParseResult parsed;
  if (!parse_options(options, argc, argv, parsed)) {
    return kExitSuccess;
  }
  require_input(
      parsed.count("names") > 0,
      "name at least one experiment (see `dropout-lab list`)");

  std::vector<const Experiment*> experiments;
  for (const auto& name : parsed["names"].as<std::vector<std::string>>()) {
    const auto* experiment = find_experiment(name);
    require_input(
        experiment != nullptr,
        fmt::format("unknown experiment '{}' (see `dropout-lab list`)", name));
    if (std::find(experiments.begin(), experiments.end(), experiment) ==
        experiments.end()) {
      experiments.push_back(experiment);
    }
  }
  auto context = context_from(parsed);
  context.settings = experiment_settings(parsed, experiments);
  validate_settings(experiments, context);
  const std::filesystem::path out = parsed["out"].as<std::string>();

  // Every folder is staged and they all appear together at the end, so a
  // failure part-way leaves none of them behind.
  // Every folder is checked before any work starts.
  std::vector<std::unique_ptr<StagedFolder>> folders;
  for (const auto* experiment : experiments) {
    folders.push_back(std::make_unique<StagedFolder>(out / experiment->name));
  }
  bool passed = true;
  for (size_t i = 0; i < experiments.size(); ++i) {
    passed &= run_one(*experiments[i], context, folders[i]->path(), "").passed;
  }
  for (auto& folder : folders) {
    folder->commit();
  }
  fmt::print("results in {}\n", out.string());
  return passed ? kExitSuccess : kExitCheckFailed;
}

int reproduce_command(int argc, const char* const* argv) {
  cxxopts::Options options(
      "dropout-lab reproduce",
      "Run every experiment and write OUT/report.md with every table, plot "
      "and check, plus one folder per experiment.");
  add_experiment_options(options);
  cxxopts::ParseResult parsed;
  if (!parse_options(options, argc, argv, parsed)) {
    return kExitSuccess;
  }
  auto context = context_from(parsed);
  const auto experiments = all_experiments();
  std::vector<const Experiment*> everything;
  for (const auto& experiment : experiments) {
    everything.push_back(&experiment);
  }
  context.settings = experiment_settings(parsed, everything);
  validate_settings(everything, context);
  StagedFolder folder(parsed["out"].as<std::string>());

  std::string sections;
  std::string summary =
      "| experiment | checks passed | seconds |\n| --- | --- | --- |\n";
  bool passed = true;
  int64_t n_checks = 0;
  int64_t n_passed = 0;
  for (const auto& experiment : experiments) {
    std::filesystem::create_directories(folder.path() / experiment.name);
    mark_as_output(folder.path() / experiment.name);
    const auto outcome = run_one(
        experiment,
        context,
        folder.path() / experiment.name,
        experiment.name + "/");
    sections += outcome.markdown;
    summary += fmt::format(
        "| [{}](#{}) | {}/{} | {:.1f} |\n",
        experiment.name,
        experiment.name,
        outcome.n_passed,
        outcome.n_checks,
        outcome.seconds);
    passed &= outcome.passed;
    n_checks += outcome.n_checks;
    n_passed += outcome.n_passed;
  }

  const auto record = provenance(
      command_line(),
      context_parameters(context),
      context.seed,
      context.device.str());
  const auto report = fmt::format(
      "# dropout-lab reproduction\n\n"
      "Helmbold and Long, \"Surprising properties of dropout in deep "
      "networks\" (COLT 2017), recomputed. {} of {} checks pass.\n\n"
      "Command: `{}`  \nGit revision: `{}`  \nLibTorch {}, seed {}, device "
      "{}{}\n\n{}\n{}",
      n_passed,
      n_checks,
      record["command"].get<std::string>(),
      record["git_revision"].get<std::string>(),
      record["versions"]["libtorch"].get<std::string>(),
      context.seed,
      context.device.str(),
      context.quick ? ", quick sizes" : "",
      summary,
      sections);
  write_file_atomically(folder.path() / "report.md", report);
  write_file_atomically(folder.path() / "manifest.json", record.dump(2) + "\n");
  folder.commit();

  fmt::print(
      "{} of {} checks pass; report in {}\n",
      n_passed,
      n_checks,
      (std::filesystem::path(folder.final_path()) / "report.md").string());
  return passed ? kExitSuccess : kExitCheckFailed;
}

}  // namespace dropout_lab
