#include "device.h"

#include <fmt/format.h>

#include "errors.h"
#include "number_parsing.h"

namespace dropout_lab {

torch::Device parse_device(const std::string& text) {
  if (text == "cpu") {
    return torch::kCPU;
  }

  // The syntax first, so that a typo is not reported as missing CUDA.
  const bool indexed =
      text.rfind("cuda:", 0) == 0 && text.size() > 5 &&
      text.find_first_not_of("0123456789", 5) == std::string::npos;
  require_input(
      text == "cuda" || indexed,
      fmt::format(
          "--device: expected 'cpu', 'cuda' or 'cuda:N', got {}",
          quote_for_message(text)));

  require_input(
      torch::cuda::is_available(),
      fmt::format(
          "--device {}: CUDA is not available ({}); use --device cpu",
          text,
          at::hasCUDA() ? "no GPU is visible"
                        : "this LibTorch was built without CUDA"));
  const auto index =
      indexed ? parse_integer(text.substr(5)) : std::optional<int64_t>(0);
  const auto count = static_cast<int64_t>(torch::cuda::device_count());
  require_input(
      index.has_value() && *index < count,
      fmt::format("--device {}: only {} CUDA device(s) visible", text, count));
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(*index));
}

}  // namespace dropout_lab
