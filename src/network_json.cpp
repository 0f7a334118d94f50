#include "network_json.h"

#include <set>
#include <vector>

#include <fmt/format.h>

#include "errors.h"
#include "output_folder.h"
#include "text_file.h"

namespace dropout_lab {
namespace {

double read_number(const nlohmann::json& value, const std::string& field) {
  require_input(
      value.is_number(),
      fmt::format("{}: expected a number, got {}", field, value.type_name()));
  return value.get<double>();
}

std::vector<double> read_vector(
    const nlohmann::json& value, const std::string& field) {
  require_input(
      value.is_array(),
      fmt::format("{}: expected an array, got {}", field, value.type_name()));
  std::vector<double> result;
  for (size_t i = 0; i < value.size(); ++i) {
    result.push_back(read_number(value[i], fmt::format("{}[{}]", field, i)));
  }
  return result;
}

}  // namespace

NetworkParameters network_from_json(
    const nlohmann::json& document,
    const std::string& source,
    std::optional<double> keep_prob_override) {
  require_input(
      document.is_object(),
      fmt::format("{}: expected a JSON object at the top level", source));
  for (const auto& item : document.items()) {
    require_input(
        item.key() == "layers" || item.key() == "keep_prob",
        fmt::format(
            "{}: unknown field '{}' (expected 'layers' and optionally "
            "'keep_prob')",
            source,
            item.key()));
  }
  require_input(
      document.contains("layers"),
      fmt::format("{}: missing field 'layers'", source));

  NetworkParameters parameters;
  if (keep_prob_override) {
    // Checked with the rest by validate() below.
    parameters.keep_prob = *keep_prob_override;
  } else if (document.contains("keep_prob")) {
    parameters.keep_prob =
        read_number(document["keep_prob"], source + ": keep_prob");
  }
  const auto& layers = document["layers"];
  require_input(
      layers.is_array(), fmt::format("{}: layers: expected an array", source));
  for (size_t l = 0; l < layers.size(); ++l) {
    const auto field = fmt::format("{}: layers[{}]", source, l);
    require_input(
        layers[l].is_object() && layers[l].contains("weight") &&
            layers[l].contains("bias") && layers[l].size() == 2,
        field + ": expected an object with exactly 'weight' and 'bias'");
    LayerParameters layer;
    const auto& weight = layers[l]["weight"];
    require_input(
        weight.is_array(), field + ".weight: expected an array of rows");
    for (size_t r = 0; r < weight.size(); ++r) {
      layer.weight.push_back(
          read_vector(weight[r], fmt::format("{}.weight[{}]", field, r)));
    }
    layer.bias = read_vector(layers[l]["bias"], field + ".bias");
    parameters.layers.push_back(std::move(layer));
  }
  validate(parameters, source);
  return parameters;
}

nlohmann::json network_to_json(const NetworkParameters& parameters) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : parameters.layers) {
    layers.push_back({{"weight", layer.weight}, {"bias", layer.bias}});
  }
  return {{"keep_prob", parameters.keep_prob}, {"layers", layers}};
}

namespace {

// Refuses an object that names the same key twice, which the JSON grammar
// allows but which would silently keep only the last value.
nlohmann::json parse_without_duplicate_keys(
    const std::string& text, const std::string& source) {
  std::vector<std::set<std::string>> keys;
  auto callback = [&](int depth,
                      nlohmann::json::parse_event_t event,
                      nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      keys.emplace_back();
    } else if (event == Event::object_end) {
      keys.pop_back();
    } else if (event == Event::key) {
      const auto key = parsed.get<std::string>();
      require_input(
          keys.back().insert(key).second,
          fmt::format(
              "{}: field '{}' appears twice in one object", source, key));
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text, callback);
  } catch (const nlohmann::json::exception& error) {
    // The library's message starts with an internal code such as
    // "[json.exception.parse_error.101]"; keep what follows it.
    std::string message = error.what();
    const auto start = message.find("] ");
    throw InputError(fmt::format(
        "{}: {}",
        source,
        start == std::string::npos ? message : message.substr(start + 2)));
  }
}

}  // namespace

NetworkParameters read_network_file(
    const std::string& path, std::optional<double> keep_prob_override) {
  const auto document =
      parse_without_duplicate_keys(read_text_file(path), path);
  return network_from_json(document, path, keep_prob_override);
}

void write_network_file(
    const NetworkParameters& parameters, const std::string& path) {
  write_file_atomically(path, network_to_json(parameters).dump(2) + "\n");
}

}  // namespace dropout_lab
