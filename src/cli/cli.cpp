#include "cli.h"

#include <cstdio>
#include <cstring>
#include <string>

#include <torch/torch.h>

#include <fmt/format.h>

#include "errors.h"
#include "provenance.h"

namespace dropout_lab {
namespace {

constexpr const char* kUsage =
    "usage: dropout-lab COMMAND [OPTIONS]\n"
    "\n"
    "Exact and Monte Carlo analysis of dropout in deep ReLU networks.\n"
    "\n"
    "commands:\n"
    "  list        list the experiments\n"
    "  criterion   risk, dropout criterion, penalties of a network on data\n"
    "  run         run the named experiments and write their results\n"
    "  reproduce   run every experiment and write a report\n"
    "  construct   write one of the paper's networks (and its data)\n"
    "  bench       measure speed: the exact criterion, the figure2 trainers\n"
    "  check-invariance  test a network's rescaling invariances on data\n"
    "  fit         minimise the exact JD or J2 and write the network\n"
    "\n"
    "`dropout-lab COMMAND --help` describes a command's options.\n"
    "Exit status: 0 success, 1 a check failed, 2 bad usage or input,\n"
    "3 an internal error (a bug).\n";

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

int run_cli(int argc, const char* const* argv) {
  if (argc < 2) {
    std::fputs(
        "dropout-lab: error: no command given (see dropout-lab --help)\n",
        stderr);
    return kExitBadInput;
  }
  const std::string command = argv[1];
  const int sub_argc = argc - 1;
  const char* const* sub_argv = argv + 1;
  try {
    if (command == "-h" || command == "--help" || command == "help") {
      std::fputs(kUsage, stdout);
      return kExitSuccess;
    }
    if (command == "--version") {
      fmt::print(
          "dropout-lab {} (git {})\n", DROPOUT_LAB_VERSION, git_revision());
      return kExitSuccess;
    }
    if (command == "list") {
      return list_command(sub_argc, sub_argv);
    }
    if (command == "criterion") {
      return criterion_command(sub_argc, sub_argv);
    }
    if (command == "run") {
      return run_command(sub_argc, sub_argv);
    }
    if (command == "reproduce") {
      return reproduce_command(sub_argc, sub_argv);
    }
    if (command == "bench") {
      return bench_command(sub_argc, sub_argv);
    }
    if (command == "construct") {
      return construct_command(sub_argc, sub_argv);
    }
    if (command == "check-invariance") {
      return check_invariance_command(sub_argc, sub_argv);
    }
    if (command == "fit") {
      return fit_command(sub_argc, sub_argv);
    }
    throw InputError(fmt::format(
        "unknown command '{}' (commands: list, criterion, run, reproduce, "
        "construct, bench, check-invariance, fit)",
        command));
  } catch (const InputError& error) {
    fmt::print(stderr, "dropout-lab {}: error: {}\n", command, error.what());
    return kExitBadInput;
  } catch (const c10::Error& error) {
    fmt::print(
        stderr,
        "dropout-lab {}: internal error: {}\n",
        command,
        first_line(error.what_without_backtrace()));
    return kExitInternalError;
  } catch (const std::exception& error) {
    fmt::print(
        stderr,
        "dropout-lab {}: internal error: {}\n",
        command,
        first_line(error.what()));
    return kExitInternalError;
  }
}

}  // namespace dropout_lab
