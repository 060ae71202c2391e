#pragma once
// The names inside a results file, spelled once. The layout is a public contract read from
// Python (docs/results-format.md): writers, readers and tests build every path from here, so a
// rename is one edit here plus a format_version bump.
#include <array>
#include <string>
#include <string_view>

namespace moescope::results::layout {

// Bump when a reader of the previous version would misread a new file.
inline constexpr int kFormatVersion = 1;

// Root attributes (RunMetadata).
namespace attr {
inline constexpr std::string_view kFormatVersion = "format_version";
inline constexpr std::string_view kModel = "model";
inline constexpr std::string_view kFamily = "family";
inline constexpr std::string_view kLayers = "layers";
inline constexpr std::string_view kExperts = "experts";
inline constexpr std::string_view kTopK = "top_k";
inline constexpr std::string_view kDtype = "dtype";
inline constexpr std::string_view kDevice = "device";
inline constexpr std::string_view kCreated = "created";
inline constexpr std::string_view kAnalyses = "analyses";
inline constexpr std::string_view kMoescopeVersion = "moescope_version";
inline constexpr std::string_view kWarnings = "warnings";  // optional: what the run went on despite
inline constexpr std::string_view kQuantisation = "quantisation";  // optional: a GGUF model's block types
// Only in a generation's results (generate): the tokens are prompt + continuation.
inline constexpr std::string_view kGenerationStart = "generation_start";  // int64: the first generated token
inline constexpr std::string_view kGeneration = "generation";             // how it was drawn and why it stopped
// Only in a shard (analyze --shard-out), a part of a run that `merge` joins with the others.
inline constexpr std::string_view kShardLayers = "shard_layers";          // [int64] the layers it holds
inline constexpr std::string_view kModelMoeLayers = "model_moe_layers";   // [int64] every MoE layer of the model
// Only in a shard of a corpus's texts (analyze --texts A-B --shard-out).
inline constexpr std::string_view kShardTexts = "shard_texts";    // [int64] first, last text it holds (from 0)
inline constexpr std::string_view kCorpusTexts = "corpus_texts";  // int64: texts of the whole corpus
// In a shard and in a run's journal (run_fingerprint.h): what makes two runs the same run.
inline constexpr std::string_view kFingerprintWhat = "fingerprint_what";    // [strings]
inline constexpr std::string_view kFingerprintValue = "fingerprint_value";  // [strings], one per name

// On datasets.
inline constexpr std::string_view kLabels = "labels";    // row/column names, e.g. {"0",...,"7","F"}
inline constexpr std::string_view kColumns = "columns";  // column names of a summary table
inline constexpr std::string_view kMean = "mean";        // per-column mean over layers
inline constexpr std::string_view kOverall = "overall";  // one number over all layers
inline constexpr std::string_view kSolver = "solver";        // pca_neuron/P: "exact" or "krylov"
inline constexpr std::string_view kPasses = "passes";        // pca_neuron/P, krylov: passes over the weights
inline constexpr std::string_view kConverged = "converged";  // pca_neuron/P, krylov: 1 if the tolerance was met
}  // namespace attr

inline constexpr std::string_view kRoot = "/";

// Tokens of the run, in order. For long-text runs /texts holds the texts and /tokens all their
// tokens concatenated.
inline constexpr std::string_view kTokenIds = "/tokens/ids";    // [T] int64
inline constexpr std::string_view kTokenText = "/tokens/text";  // [T] strings (display pieces)
inline constexpr std::string_view kTexts = "/texts";            // [N] strings

inline constexpr std::string_view kLayersGroup = "/layers";

// Per-layer datasets, relative to /layers/<L>.
namespace ds {
inline constexpr std::string_view kRouterLogits = "router_logits";      // [T,E] float32
inline constexpr std::string_view kGateScores = "gate_scores";          // [T,E] float32
inline constexpr std::string_view kTopkIds = "topk_ids";                // [T,k] int64
inline constexpr std::string_view kTopkWeights = "topk_weights";        // [T,k] float32
inline constexpr std::string_view kWeightsSimilarity = "weights_similarity";                  // /P [E',E']
inline constexpr std::string_view kNeuronMeanSimilarity = "neuron_mean_similarity";           // /P [E',E']
inline constexpr std::string_view kNeuronReorderSimilarity = "neuron_reorder_similarity";     // /P [E',E']
inline constexpr std::string_view kNeuronReorderKendallTau = "neuron_reorder_kendall_tau";    // /P [E',E']
inline constexpr std::string_view kGateEmbeddingSimilarity = "gate_embedding_similarity";     // [E,E]
inline constexpr std::string_view kPcaMatrix = "pca_matrix";            // /P [E',2]
inline constexpr std::string_view kPcaNeuron = "pca_neuron";            // /P [E'*I,2]
inline constexpr std::string_view kPcaNeuronExpert = "pca_neuron/expert";  // [E'*I] int64, row -> label index
inline constexpr std::string_view kOutputSimilarity = "output_similarity";  // [T,E',E'] float32
inline constexpr std::string_view kOutputAngularSimilarityMean = "output_angular_similarity_mean";  // [E',E']
inline constexpr std::string_view kOutputNorms = "output_norms";        // [T,E] float32
inline constexpr std::string_view kRankCounts = "rank_counts";          // [E,E] int64
inline constexpr std::string_view kActivations = "activations";         // [T,E',I] float32
inline constexpr std::string_view kLoad = "load";                       // [E] float32
inline constexpr std::string_view kCoactivation = "coactivation";       // [E,E] float32
}  // namespace ds

// A finished layer's completion record: attributes of /layers/<L> (pipeline/layer_record.h).
namespace record {
inline constexpr std::string_view kComplete = "complete";                     // int64 1, written last
inline constexpr std::string_view kDiversityMeasures = "diversity_measures";  // [strings], summary names
inline constexpr std::string_view kDiversityValues = "diversity_values";      // [float64], one per measure
inline constexpr std::string_view kGateRegression = "gate_regression";        // [6] r, R² for up, gate, down
inline constexpr std::string_view kRankTopKOverlap = "rank_top_k_overlap";    // int64
inline constexpr std::string_view kRankTokens = "rank_tokens";                // int64
inline constexpr std::string_view kWarnings = "warnings";                     // [strings]
}  // namespace record

// In a shard of a corpus's texts, a layer's aggregates over its texts are stored unfinished,
// relative to /layers/<L>, for merge to add up over the shards and finish (merge_shards.h).
namespace aggregate {
inline constexpr std::string_view kGroup = "aggregate";
// [E',E'] int64: the summed angular similarities in units of 2^-32; attr tokens.
inline constexpr std::string_view kOutputSimilaritySum = "aggregate/output_angular_similarity_sum";
inline constexpr std::string_view kRankCounts = "aggregate/rank_counts";                  // [E,E] int64, attrs top_k_overlap, tokens
inline constexpr std::string_view kLoadSlots = "aggregate/load_slots";                    // [E] int64, attr slots
inline constexpr std::string_view kCoactivationCounts = "aggregate/coactivation_counts";  // [E,E] int64
inline constexpr std::string_view kVocabularyCounts = "aggregate/vocabulary_counts";      // [N,3] int64: expert, token id, count
inline constexpr std::string_view kTokens = "tokens";
inline constexpr std::string_view kTopKOverlap = "top_k_overlap";
inline constexpr std::string_view kSlots = "slots";
}  // namespace aggregate

// The three projections of a SwiGLU expert, the sub-dataset names of per-projection results.
enum class Projection { Up, Gate, Down };
inline constexpr std::array<Projection, 3> kProjections = {Projection::Up, Projection::Gate, Projection::Down};
std::string_view projectionName(Projection projection);

// "/layers/<layer>" (decimal, no padding) and datasets inside it. Throws InvalidArgument for a
// negative layer.
std::string layerGroup(int layer);
std::string layerPath(int layer, std::string_view dataset);
std::string layerPath(int layer, std::string_view dataset, Projection projection);

// Summary over layers. Row i of every [L_moe] / [L_moe,3] array belongs to layer
// /summary/layers[i]; a measure not computed at a layer is NaN there.
inline constexpr std::string_view kSummaryLayers = "/summary/layers";              // [L_moe] int64
// /<measure> [L_moe] float32, where a measure is named after the per-layer dataset it averages,
// e.g. diversity/weights_similarity/up, diversity/gate_embedding_similarity.
inline constexpr std::string_view kSummaryDiversityGroup = "/summary/diversity";
inline constexpr std::string_view kSummaryGateRegressionR = "/summary/gate_regression/r";    // [L_moe,3], attrs mean, columns
inline constexpr std::string_view kSummaryGateRegressionR2 = "/summary/gate_regression/r2";  // [L_moe,3], attrs mean, columns
inline constexpr std::string_view kSummaryRankCountsAll = "/summary/rank_counts_all";        // [E,E] int64
inline constexpr std::string_view kSummaryTop1Agreement = "/summary/top1_agreement";        // [L_moe] float32, attr overall
inline constexpr std::string_view kSummaryVocabularyGroup = "/summary/vocabulary";          // /<L>/{ids,counts}

// Vocabulary specialisation of one layer: ids [E,N] int64 (the N token ids most often routed to
// each expert, most frequent first, -1 padding) and counts [E,N] int64 (0 padding).
inline constexpr std::string_view kVocabularyIds = "ids";
inline constexpr std::string_view kVocabularyCounts = "counts";

// A comparison of models (pipeline/model_comparison.h): model i's own results, as analyze
// writes them, under /models/<i> (its root attributes on that group), and how model i compares
// with the reference model under /compare/<i> (none for the reference itself).
namespace compare {
inline constexpr std::string_view kModelsGroup = "/models";
inline constexpr std::string_view kGroup = "/compare";
// Attributes of /compare.
inline constexpr std::string_view kModels = "models";        // [strings] the models, as given
inline constexpr std::string_view kReference = "reference";  // int64: index of the reference model
// Relative to /compare/<i>.
inline constexpr std::string_view kMoeLayers = "moe_layers";                // [L] int64, the rows below
inline constexpr std::string_view kRoutingAgreement = "routing_agreement";  // [L,4] float32, attrs columns, mean
inline constexpr std::string_view kTokensDiffering = "tokens_differing";    // [L,T] int64: 1 where the top-k sets differ
inline constexpr std::string_view kFirstDivergentLayer = "first_divergent_layer";  // attr int64, -1: none
inline constexpr std::string_view kOutputCosine = "output_cosine";           // [L,T] float32: C4
inline constexpr std::string_view kOutputNormRatio = "output_norm_ratio";    // [L,T] float32: C4
// Relative to /compare/<i>/layers/<L>.
inline constexpr std::string_view kExpertMatch = "expert_match";                 // [E] int64: reference's expert
inline constexpr std::string_view kMatchedSimilarity = "matched_similarity";     // [E] float32
inline constexpr std::string_view kMatchedRouterCosine = "matched_router_cosine";  // [E] float32
inline constexpr std::string_view kWeightsSimilarity = "weights_similarity";     // /P [E,E]: model i's e, reference's f
inline constexpr std::string_view kNeuronMeanSimilarity = "neuron_mean_similarity";  // /P [E,E]
inline constexpr std::string_view kRouterSimilarity = "router_similarity";       // [E,E]
}  // namespace compare

std::string modelGroup(std::size_t model);                                  // "/models/<i>"
std::string compareGroup(std::size_t model);                                // "/compare/<i>"
std::string comparePath(std::size_t model, std::string_view dataset);       // "/compare/<i>/<dataset>"
std::string compareLayerPath(std::size_t model, int layer, std::string_view dataset);
std::string compareLayerPath(std::size_t model, int layer, std::string_view dataset, Projection projection);

std::string diversityPath(std::string_view measure);
std::string diversityPath(std::string_view dataset, Projection projection);
std::string vocabularyPath(int layer, std::string_view dataset);

}  // namespace moescope::results::layout
