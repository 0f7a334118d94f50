#include "device.h"

#include <fmt/format.h>

#include "errors.h"

namespace dropout_lab {

torch::Device parse_device(const std::string& text) {
  if (text == "cpu") {
    return torch::kCPU;
  }
  require_input(
      text.rfind("cuda", 0) == 0,
      fmt::format("--device: expected 'cpu' or 'cuda[:N]', got '{}'", text));
  require_input(
      torch::cuda::is_available(),
      fmt::format(
          "--device {}: CUDA is not available ({}); use --device cpu",
          text,
          at::hasCUDA() ? "no GPU is visible"
                        : "this LibTorch was built without CUDA"));
  try {
    torch::Device device(text);
    require_input(
        device.index() < static_cast<int>(torch::cuda::device_count()),
        fmt::format(
            "--device {}: only {} CUDA device(s) visible",
            text,
            torch::cuda::device_count()));
    return device;
  } catch (const c10::Error&) {
    throw InputError(fmt::format("--device: cannot parse '{}'", text));
  }
}

}  // namespace dropout_lab
