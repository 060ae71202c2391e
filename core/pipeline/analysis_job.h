#pragma once
// One analysis run: every chosen analysis of ANALYSES.md over the chosen layers, in one
// streamed pass per text, stored in a results file that appears only when complete. Each
// finished layer is kept on disk first (run_journal.h), so an interrupted run can be resumed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "core/dense_array.h"
#include "core/pipeline/analysis_selection.h"
#include "core/pipeline/layer_analysis_result.h"
#include "core/results/results_layout.h"
#include "core/pipeline/run_journal.h"
#include "core/pipeline/run_plan.h"
#include "core/progress.h"
#include "core/torch_support/device.h"

namespace moescope::pipeline {

// S1's and S2's matrices of one MoE layer by projection, over the matrices the layer's own S1
// and S2 take (ownSimilarityMatrices in weight_analyses.h: the routed experts, then the shared
// expert where it joins), worked out before the run: compare's joint pass over two models gives
// each model's own as the diagonal blocks of the joint matrices. A run given them writes them
// instead of computing them again, unless a dense reference joins (whose rows these lack) or a
// matrix's size is not the run's.
struct KnownWeightSimilarity {
  std::map<results::layout::Projection, FloatArray> weights, neuron_mean;
};

struct AnalysisRequest {
  std::filesystem::path model_dir;
  // Either texts (tokenized with the folder's tokenizer; the first one gets the per-token
  // results) or ids (one text, no tokenizer needed).
  std::vector<std::string> texts;
  std::vector<int64_t> ids;
  // The ids of every text of `texts`, when the caller has tokenized them with this folder's
  // tokenizer already (a comparison, which checks that its models share one); empty: tokenized
  // here.
  std::vector<std::vector<int64_t>> text_ids;
  AnalysisSet analyses = defaultAnalyses();
  std::string layers;  // "0-3,31"; empty: every MoE layer
  torch_support::DevicePreference device = torch_support::DevicePreference::Auto;
  std::optional<torch_support::ComputeDType> dtype;
  std::filesystem::path output;
  // A dense model of the same width (e.g. Mistral 7B for Mixtral) whose feed-forward block
  // joins the analyses as "F" (ANALYSES.md); empty: none.
  std::filesystem::path dense_reference;
  int vocabulary_top_n = 20;
  // Estimate the run's cost first (a calibration of about half a second) and return it in the
  // outcome beside what the run took.
  bool estimate = false;
  // Write a shard (analyze --shard-out): the layers' results and completion records without the
  // summary over layers, with what merge_shards.h needs to join it with the other shards.
  bool shard = false;
  // Only texts A-B of `texts` ("A-B" or "A", counted from 0; --texts). A run analyses those
  // texts as its corpus. A shard is a part of the whole corpus: it is fingerprinted with every
  // text, only the shard holding text 0 writes the per-token and weight results, and each
  // layer's aggregates over the texts are stored unfinished for merge to add up.
  std::string text_range;
  // A partial run of the same output left by an interrupted run (run_journal.h): refused
  // with a message saying how to continue it, continued (--resume), or replaced.
  ExistingPartial existing_partial = ExistingPartial::Refuse;
  // Keep the finished layers when this run fails or is cancelled, for a later resume (a run
  // killed outright always leaves them).
  bool keep_partial = false;
  // Hears of every MoE layer as soon as its results are complete, with the arrays the results
  // file will hold for it (in a long-text run, during the pass over the last text).
  LayerCallback on_layer;
  // Hears of each analysed MoE layer's block output on the first text ([tokens, hidden]
  // float32, row-major: the routed experts' mixture plus any shared expert, before the residual
  // add), as the forward pass computes it: what a model comparison compares.
  std::function<void(int layer, const std::vector<float>& moe_output, int64_t tokens, int64_t hidden)> on_moe_output;
  // A generated continuation (generate): `ids` are prompt + continuation; where the
  // continuation starts and how it was drawn go into the results file (RunMetadata).
  int64_t generation_start = -1;
  std::string generation;
  // By decoder layer: S1 and S2 already known (see KnownWeightSimilarity).
  std::map<int, KnownWeightSimilarity> known_weight_similarity;
};

struct AnalysisOutcome {
  std::filesystem::path output;
  int layers = 0;       // MoE layers analysed
  int texts = 0;        // analysed
  int64_t tokens = 0;   // over the texts analysed
  std::string device;
  double seconds = 0;
  // What the run went on despite (weights holding NaN or infinities, by tensor); also in the
  // results file's "warnings" attribute.
  std::vector<std::string> warnings;
  std::optional<RunPlan> plan;  // with request.estimate: what the run was expected to cost
  int resumed_layers = 0;       // layers an interrupted run had finished, not analysed again
  // What the user should know that does not touch the results, e.g. a finished layer of the
  // interrupted run that was unreadable and was analysed again.
  std::vector<std::string> notes;
};

// Throws moescope::Error (InvalidArgument, Io, Device, OutOfMemory, Cancelled, ...); on any
// error or cancel no output file is left behind and an existing one is untouched; the
// finished layers stay in the run's journal when request.keep_partial asks for it.
AnalysisOutcome runAnalysis(const AnalysisRequest& request, const ProgressCallback& progress = {},
                            const CancelToken* cancel = nullptr);

// The request's cost on this device without running it (see run_plan.h): opens the model,
// tokenizes the texts, selects the layers and calibrates. Throws as runAnalysis does for a bad
// request; needs no output file.
RunPlan planAnalysis(const AnalysisRequest& request);

}  // namespace moescope::pipeline
