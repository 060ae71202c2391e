#include <iomanip>
#include <optional>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/model_description.h"
#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/gguf_split.h"
#include "core/checkpoint/gguf_summary.h"
#include "core/checkpoint/model_folder.h"
#include "core/error.h"

namespace moescope::cli {
namespace {

struct InspectOptions {
  std::string dir;
  bool json = false;
};

std::string millions(int64_t count) {
  std::ostringstream out;
  if (count >= 1'000'000'000) out << std::fixed << std::setprecision(2) << count / 1e9 << " B";
  else if (count >= 1'000'000) out << std::fixed << std::setprecision(2) << count / 1e6 << " M";
  else out << count;
  return out.str();
}

// ", sliding window 128" when every layer slides, ", sliding window 128 on 12 of 24 layers"
// when some do (gpt-oss), nothing without a window.
std::string windowText(const checkpoint::ModelSpec& s) {
  if (!s.sliding_window) return {};
  int64_t windowed = 0;
  for (int64_t layer = 0; layer < s.num_layers; ++layer) windowed += s.slidingWindowAt(layer) ? 1 : 0;
  std::string text = ", sliding window " + std::to_string(*s.sliding_window);
  if (windowed < s.num_layers)
    text += " on " + std::to_string(windowed) + " of " + std::to_string(s.num_layers) + " layers";
  return text;
}

// ", chunks of 8192 on 36 of 48 layers; no rotary on 12 (temperature-tuned)" for Llama 4.
std::string chunkText(const checkpoint::ModelSpec& s) {
  int64_t chunked = 0, plain = 0;
  for (int64_t layer = 0; layer < s.num_layers; ++layer) {
    chunked += s.attentionChunkAt(layer) ? 1 : 0;
    plain += s.usesRotaryAt(layer) ? 0 : 1;
  }
  std::string text;
  if (chunked > 0)
    text += ", chunks of " + std::to_string(*s.attention_chunk_size) + " on " + std::to_string(chunked) + " of " +
            std::to_string(s.num_layers) + " layers";
  if (plain > 0)
    text += "; no rotary on " + std::to_string(plain) + (s.nope_temperature ? " (temperature-tuned)" : "");
  return text;
}

// "  key         value": one line of the text description, keys padded to `width`.
void printRow(const std::string& key, const std::string& value, int width) {
  std::cout << "  " << std::left << std::setw(width) << key << value << '\n';
}

// A GGUF file's own facts: version, tensor and key counts, each quantisation type's share.
std::string ggufFormatText(const checkpoint::GgufSummary& s) {
  return "GGUF version " + std::to_string(s.version) + ", " + std::to_string(s.tensors) + " tensors" +
         (s.files > 1 ? " in " + std::to_string(s.files) + " files" : std::string()) + ", " + std::to_string(s.keys) +
         " metadata keys";
}

std::string ggufTypesText(const checkpoint::GgufSummary& s) {
  std::string types;
  for (const auto& t : s.types) {
    std::ostringstream share;
    share << std::fixed << std::setprecision(1) << 100.0 * t.share;
    types += (types.empty() ? "" : ", ") + t.type + " " + share.str() + "% (" + std::to_string(t.tensors) +
             (t.tensors == 1 ? " tensor)" : " tensors)");
  }
  return types.empty() ? std::string("no tensors") : types;
}

nlohmann::ordered_json ggufJson(const checkpoint::GgufSummary& s) {
  nlohmann::ordered_json out;
  out["version"] = s.version;
  out["architecture"] = s.architecture;
  out["name"] = s.name;
  out["tensors"] = s.tensors;
  out["files"] = s.files;
  out["metadata_keys"] = s.keys;
  out["parameters"] = s.parameters;
  out["layers"] = s.layers ? nlohmann::ordered_json(*s.layers) : nlohmann::ordered_json();
  out["experts"] = s.experts ? nlohmann::ordered_json(*s.experts) : nlohmann::ordered_json();
  out["top_k"] = s.experts_used ? nlohmann::ordered_json(*s.experts_used) : nlohmann::ordered_json();
  nlohmann::ordered_json types = nlohmann::ordered_json::array();
  for (const auto& t : s.types)
    types.push_back({{"type", t.type}, {"parameters", t.parameters}, {"tensors", t.tensors}, {"share", t.share}});
  out["quantisation"] = types;
  return out;
}

// A GGUF file MoEScope cannot analyse: what it holds, from its metadata and tensor infos, and why.
void inspectUnanalysableGguf(const InspectOptions& options, const checkpoint::GgufSummary& s, const std::string& why) {
  const std::string note = "MoEScope cannot analyse this file: " + why;
  if (options.json) {
    nlohmann::ordered_json out;
    out["path"] = options.dir;
    out["format"] = "gguf";
    out.update(ggufJson(s));
    out["note"] = note;
    std::cout << out.dump(2) << std::endl;
    return;
  }
  const auto row = [](const std::string& key, const std::string& value) { printRow(key, value, 14); };
  std::cout << options.dir << "\n";
  row("format", ggufFormatText(s));
  row("architecture", (s.architecture.empty() ? std::string("(not given)") : s.architecture) +
                          (s.name.empty() ? std::string() : " (\"" + s.name + "\")"));
  if (s.layers || s.experts) {
    std::string sizes = s.layers ? std::to_string(*s.layers) + " layers" : std::string();
    if (s.experts) sizes += (sizes.empty() ? "" : ", ") + std::to_string(*s.experts) + " experts";
    if (s.experts_used) sizes += ", top-" + std::to_string(*s.experts_used);
    row("MoE", sizes);
  }
  row("parameters", millions(s.parameters));
  row("quantisation", ggufTypesText(s));
  std::cout << "  note: " << note << std::endl;
}

void describe(const checkpoint::Model& model, const InspectOptions& options,
              const std::optional<checkpoint::GgufSummary>& gguf);

void runInspect(const InspectOptions& options) {
  if (!checkpoint::isGgufFile(options.dir)) return describe(checkpoint::openModel(options.dir), options, std::nullopt);
  // A damaged file is refused here; one MoEScope reads but cannot analyse is still described.
  const checkpoint::GgufSummary summary = checkpoint::summarizeGguf(checkpoint::openGgufParts(options.dir));
  std::optional<checkpoint::Model> model;
  try {
    model = checkpoint::openModel(options.dir);
  } catch (const Error& error) {
    return inspectUnanalysableGguf(options, summary, error.what());
  }
  describe(*model, options, summary);
}

void describe(const checkpoint::Model& model, const InspectOptions& options,
              const std::optional<checkpoint::GgufSummary>& gguf) {
  nlohmann::ordered_json description = describeModel(model);
  if (options.json) {
    if (gguf) description["gguf"] = ggufJson(*gguf);
    std::cout << description.dump(2) << std::endl;
    return;
  }
  const auto& s = model.spec;
  const auto& p = description["parameters"];
  std::cout << std::left;
  const auto row = [](const std::string& key, const std::string& value) { printRow(key, value, 12); };
  std::cout << model.dir.string() << '\n';
  if (gguf) row("format", ggufFormatText(*gguf));
  row("family", s.family_name + (s.architecture.empty() ? "" : " (" + s.architecture + ")"));
  row("layers", std::to_string(s.num_layers) + " (" + std::to_string(s.moeLayerCount()) + " MoE, " +
                    std::to_string(s.num_layers - s.moeLayerCount()) + " dense)");
  if (s.isMoe()) {
    row("experts", std::to_string(s.num_experts) + " routed, top-" + std::to_string(s.top_k));
    row("routing", checkpoint::routingRuleDescription(s.routing));
    if (s.usesExpertGroups()) {
      std::ostringstream groups;
      groups << s.expert_groups.n_group << " groups, best " << s.expert_groups.topk_group
             << " kept; routed_scaling_factor " << s.routed_scaling_factor
             << (s.norm_topk_prob ? "; weights renormalised" : "");
      row("groups", groups.str());
    }
    row("shared", checkpoint::sharedExpertDescription(s.shared_expert));
    row("activation", checkpoint::activationName(s.activation) + (s.expert_biases ? " with biases" : "") +
                        (s.router_bias ? "; router with bias" : ""));
  }
  row("hidden", std::to_string(s.hidden_size));
  row("interm.", s.isMoe() ? std::to_string(s.expert_intermediate_size) + " per expert"
                           : std::to_string(s.intermediate_size));
  if (s.latent_attention) {
    const auto& l = *s.latent_attention;
    row("attention", checkpoint::attentionKindName(s.attention.kind) + ", " + std::to_string(s.num_heads) +
                         " heads, q_lora_rank " + std::to_string(l.q_lora_rank) + ", kv_lora_rank " +
                         std::to_string(l.kv_lora_rank) + ", qk " + std::to_string(l.qk_nope_head_dim) + "+" +
                         std::to_string(l.qk_rope_head_dim) + " (rope), v " + std::to_string(l.v_head_dim));
  } else {
    const int64_t rotary = description["rotary_dim"].get<int64_t>();
    row("attention", std::to_string(s.num_heads) + " heads, " + std::to_string(s.num_kv_heads) + " kv heads, head dim " +
                         std::to_string(s.head_dim) +
                         (rotary != s.head_dim ? " (rotary on the first " + std::to_string(rotary) + ")" : "") +
                         windowText(s) + chunkText(s) + (s.attention.sinks ? ", attention sinks" : ""));
  }
  row("vocab", std::to_string(s.vocab_size));
  if (gguf)
    row("quantis.", ggufTypesText(*gguf) + "; analysed dequantised");
  else
    row("dtype", description["dtype"].get<std::string>() +
                     (s.torch_dtype.empty() ? "" : " (config.json: " + s.torch_dtype + ")"));
  row("parameters", millions(p["total"].get<int64_t>()) + " total, " +
                        millions(p["active_per_token"].get<int64_t>()) + " active per token");
  row("tokenizer", description["tokenizer"].is_null() ? "none found (use --ids)"
                                                      : description["tokenizer"].get<std::string>());
  std::cout.flush();
}

}  // namespace

void addInspectCommand(CLI::App& app) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command = app.add_subcommand("inspect", "Describe a model folder (family, sizes, routing, parameters) or a GGUF file");
  command->add_option("DIR", options->dir, "Hugging Face model folder, or a .gguf file")->required();
  command->add_flag("--json", options->json, "Print one JSON object");
  command->callback([options] { runInspect(*options); });
}

}  // namespace moescope::cli
