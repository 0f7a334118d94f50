#pragma once

#include <string>

namespace dropout_lab {

/// The whole content of the file at `path`. Throws InputError naming the
/// path when it does not exist, is a folder, or cannot be read.
std::string read_text_file(const std::string& path);

}  // namespace dropout_lab
