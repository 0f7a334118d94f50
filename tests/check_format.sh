#!/bin/sh
# Fails when any C++ file of the project differs from what clang-format
# makes of it under the project's .clang-format; exits 77 (CTest: skipped)
# when clang-format is not installed.
#   usage: check_format.sh SOURCE_DIR [CLANG_FORMAT]
source_dir=$1
clang_format=${2:-clang-format}
if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "clang-format not found: formatting check skipped"
  exit 77
fi
cd "$source_dir" || exit 1
files=$(find src experiments tests -name '*.h' -o -name '*.cpp' | sort)
if ! "$clang_format" --style=file --dry-run --Werror $files; then
  echo "clang-format: the files above differ from .clang-format;" \
    "run clang-format -i on them"
  exit 1
fi
echo "clang-format: all $(echo "$files" | wc -l) files are formatted"
