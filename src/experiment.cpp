#include "experiment.h"

namespace dropout_lab {

at::Generator ExperimentContext::generator(const std::string& name) const {
  // FNV-1a of the name, mixed into the seed; stable across platforms.
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : name) {
    hash = (hash ^ c) * 1099511628211ULL;
  }
  return make_generator(seed * 0x9E3779B97F4A7C15ULL ^ hash);
}

torch::TensorOptions ExperimentContext::tensor_options() const {
  return torch::TensorOptions().dtype(torch::kFloat64).device(device);
}

bool ExperimentResult::all_passed() const {
  for (const auto& check : checks) {
    if (!check.pass) {
      return false;
    }
  }
  return true;
}

}  // namespace dropout_lab
