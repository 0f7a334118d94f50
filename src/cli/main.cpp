// The dropout-lab command line; see `dropout-lab --help`.

#include "cli.h"
#include "provenance.h"

int main(int argc, char** argv) {
  dropout_lab::set_command_line(argc, argv);
  return dropout_lab::run_cli(argc, argv);
}
