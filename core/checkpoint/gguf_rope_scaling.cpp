#include "core/checkpoint/gguf_rope_scaling.h"

#include <cmath>

#include "core/error.h"

namespace moescope::checkpoint {
namespace {

using json = nlohmann::json;

double positive(const GgufKeys& keys, const std::string& key, double value) {
  if (!std::isfinite(value) || value <= 0) keys.fail(key, "must be a positive number, found " + std::to_string(value));
  return value;
}

std::optional<double> positiveNumber(const GgufKeys& keys, const std::string& key) {
  const auto value = keys.number(key);
  if (!value) return std::nullopt;
  return positive(keys, key, *value);
}

json yarn(const GgufKeys& keys, const std::string& scaling, bool latent_attention) {
  json object = {{"rope_type", "yarn"}};
  const auto factor = positiveNumber(keys, scaling + "factor");
  if (!factor) keys.fail(scaling + "factor", "is missing; YaRN scaling needs its factor");
  object["factor"] = *factor;
  if (const auto original = keys.integer(scaling + "original_context_length"); original && *original > 0)
    object["original_max_position_embeddings"] = *original;
  if (const auto fast = positiveNumber(keys, scaling + "yarn_beta_fast")) object["beta_fast"] = *fast;
  if (const auto slow = positiveNumber(keys, scaling + "yarn_beta_slow")) object["beta_slow"] = *slow;
  if (const auto attention = positiveNumber(keys, scaling + "yarn_attn_factor")) object["attention_factor"] = *attention;
  // transformers has no counterpart of another extrapolation share than 1 (llama.cpp's default).
  if (const auto ext = keys.number(scaling + "yarn_ext_factor"); ext && *ext >= 0 && *ext != 1.0)
    keys.fail(scaling + "yarn_ext_factor",
              "is " + std::to_string(*ext) + "; MoEScope reproduces YaRN with the extrapolation factor 1 only");
  if (latent_attention) {
    const double multiplier = keys.number(scaling + "yarn_log_multiplier").value_or(0.0);
    if (!std::isfinite(multiplier) || multiplier < 0)
      keys.fail(scaling + "yarn_log_multiplier", "must be a non-negative number");
    object["mscale"] = multiplier / 0.1;
    object["mscale_all_dim"] = multiplier / 0.1;
  }
  return object;
}

}  // namespace

std::optional<json> ggufRopeScaling(const GgufKeys& keys, const std::string& prefix, const GgufRopeFactors& factors,
                                    bool latent_attention) {
  const std::string scaling = prefix + "rope.scaling.";
  std::string type = keys.text(scaling + "type").value_or("");
  const bool longrope_tensors = factors.long_factors || factors.short_factors;
  // Files from before rope.scaling.type state linear scaling as rope.scale_linear.
  if (type.empty() && keys.find(prefix + "rope.scale_linear")) {
    const double factor = positive(keys, prefix + "rope.scale_linear", *keys.number(prefix + "rope.scale_linear"));
    return factor == 1.0 ? std::nullopt : std::optional<json>(json{{"rope_type", "linear"}, {"factor", factor}});
  }
  if (type.empty() && longrope_tensors) type = "longrope";
  if (type.empty() || type == "none") {
    if (longrope_tensors)
      throw Error(ErrorCategory::MalformedFile,
                  keys.file().path().string() + ": holds longrope factor tensors, but " + scaling + "type is \"" +
                      type + "\"");
    return std::nullopt;
  }
  if (type == "linear") {
    const double factor = positiveNumber(keys, scaling + "factor").value_or(1.0);
    return json{{"rope_type", "linear"}, {"factor", factor}};
  }
  if (type == "yarn") return yarn(keys, scaling, latent_attention);
  if (type == "longrope") {
    if (!factors.long_factors || !factors.short_factors)
      throw Error(ErrorCategory::MalformedFile,
                  keys.file().path().string() + ": " + scaling + "type is \"longrope\", but tensor \"" +
                      (factors.long_factors ? "rope_factors_short.weight" : "rope_factors_long.weight") +
                      "\" is missing");
    // llama.cpp multiplies cos/sin by one attention factor whatever the length; the converter
    // computed it from the context extension (sqrt(1 + ln(scale) / ln(original context))).
    const double attention = positiveNumber(keys, scaling + "attn_factor").value_or(1.0);
    json object = {{"rope_type", "longrope"},
                   {"long_factor", *factors.long_factors},
                   {"short_factor", *factors.short_factors},
                   {"short_mscale", attention},
                   {"long_mscale", attention}};
    if (const auto original = keys.integer(scaling + "original_context_length"); original && *original > 0)
      object["original_max_position_embeddings"] = *original;
    return object;
  }
  keys.fail(scaling + "type", "is \"" + type + "\"; MoEScope reads linear, yarn and longrope scaling");
}

RopeScaling ropeScalingFromFrequencyFactors(const std::vector<double>& factors, int64_t rotary_width,
                                            const std::string& tensor_label) {
  if (rotary_width <= 0 || static_cast<int64_t>(factors.size()) * 2 != rotary_width)
    throw Error(ErrorCategory::ShapeMismatch, tensor_label + " holds " + std::to_string(factors.size()) +
                                                  " rotary frequency factors, but the rotary width " +
                                                  std::to_string(rotary_width) + " has " +
                                                  std::to_string(rotary_width / 2) + " frequencies");
  for (std::size_t i = 0; i < factors.size(); ++i)
    if (!std::isfinite(factors[i]) || factors[i] <= 0)
      throw Error(ErrorCategory::MalformedFile, tensor_label + " entry " + std::to_string(i) +
                                                    " is not a positive number (" + std::to_string(factors[i]) + ")");
  RopeScaling scaling;
  scaling.kind = RopeScaling::Kind::FrequencyFactors;
  scaling.frequency_factors = factors;
  return scaling;
}

}  // namespace moescope::checkpoint
