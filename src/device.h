#pragma once

#include <string>

#include <torch/torch.h>

namespace dropout_lab {

/// Parses --device ("cpu", "cuda" or "cuda:N"). Asking for CUDA where this
/// LibTorch was built without it, or where no GPU is visible, is an
/// InputError that says which of the two it is.
torch::Device parse_device(const std::string& text);

}  // namespace dropout_lab
