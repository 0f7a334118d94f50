#pragma once

namespace dropout_lab {

/// Exit statuses of the command line.
enum ExitStatus : int {
  kExitSuccess = 0,
  /// A check failed (the results were still written).
  kExitCheckFailed = 1,
  /// Bad usage or bad input; nothing was written.
  kExitBadInput = 2,
  /// A bug: an error the input checks should have caught.
  kExitInternalError = 3,
};

/// Runs `dropout-lab` with the given arguments and returns its exit status.
/// Errors are reported on stderr as one line each.
int run_cli(int argc, const char* const* argv);

// The subcommands; each gets the arguments after its name (argv[0] is
// "dropout-lab COMMAND") and may throw InputError.
int list_command(int argc, const char* const* argv);
int criterion_command(int argc, const char* const* argv);
int run_command(int argc, const char* const* argv);
int reproduce_command(int argc, const char* const* argv);
int bench_command(int argc, const char* const* argv);
int construct_command(int argc, const char* const* argv);
int check_invariance_command(int argc, const char* const* argv);
int fit_command(int argc, const char* const* argv);

}  // namespace dropout_lab
