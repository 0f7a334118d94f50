#include "experiment.h"

#include "number_parsing.h"

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

double ExperimentContext::setting_double(
    const std::string& name, double fallback) const {
  const auto found = settings.find(name);
  return found == settings.end() ? fallback
                                 : option_decimal(name, found->second);
}

int64_t ExperimentContext::setting_integer(
    const std::string& name, int64_t fallback) const {
  const auto found = settings.find(name);
  return found == settings.end() ? fallback
                                 : option_integer(name, found->second);
}

std::vector<double> ExperimentContext::setting_doubles(
    const std::string& name, const std::vector<double>& fallback) const {
  const auto found = settings.find(name);
  if (found == settings.end()) {
    return fallback;
  }
  return option_decimals(name, found->second);
}

std::string ExperimentContext::setting_text(
    const std::string& name, const std::string& fallback) const {
  const auto found = settings.find(name);
  return found == settings.end() ? fallback : found->second;
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
