// Main of the CUDA tests: exits 77, which CTest reports as skipped, with a
// message saying why, when this LibTorch has no CUDA or no GPU is visible.
#define CATCH_CONFIG_RUNNER
#include <cstdio>

#include <torch/torch.h>

#include <catch2/catch.hpp>

int main(int argc, char** argv) {
  if (!torch::cuda::is_available()) {
    std::printf(
        "CUDA tests skipped: %s\n",
        at::hasCUDA() ? "no GPU is visible"
                      : "this LibTorch was built without CUDA");
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
