// The CLI on GGUF files: inspect describes a tiny checkpoint converted as llama.cpp converts it,
// analyze on the F32 conversion writes the results the Hugging Face folder gives (with the
// quantisation named at the root), and compare-routing puts route runs of the original and its
// Q8_0 conversion side by side.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_gguf.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
namespace fs = std::filesystem;

namespace {

QString path(const fs::path& p) { return QString::fromStdString(p.string()); }

// llama.cpp prints four decimals: its values and MoEScope's agree within that rounding.
constexpr double kPrintedPrecision = 6e-5;
// Past the first MoE layer, the float32 sums of the blocks before also differ with the BLAS
// kernels' order of summation: on one CPU, OpenBLAS's Haswell and SkylakeX kernels put a
// DeepSeek-V3 logit of layer 2 at -0.6739609 and -0.6739564 (llama.cpp printed -0.6739).
constexpr double kLaterLayerPrecision = 1e-4;

// The small MoE GGUF files of tests/data/reference/llama_cpp_moe that llama.cpp itself ran.
struct LlamaCppFile {
  const char* arch;
  const char* row;
  bool llama_cpp_renormalises = false;  // llama.cpp renormalises top-k weights the reference does not
  double later_layer_tolerance = kLaterLayerPrecision;
};

// Grok-1's reference code keeps its top-2 softmax probabilities as they are; llama.cpp's grok
// graph renormalises them, and its CPU GELU looks its argument up in a float16 table, which
// moves the later layers' logits by about 1e-4.
const LlamaCppFile kLlamaCppFiles[] = {{"mixtral", "mixtral (llama with experts)"},
                                       {"qwen2moe", "qwen2moe"},
                                       {"olmoe", "olmoe"},
                                       {"qwen3moe", "qwen3moe"},
                                       {"deepseek2", "deepseek2 (DeepSeek-V3)"},
                                       {"glm4moe", "glm4moe"},
                                       {"gpt-oss", "gpt-oss"},
                                       {"deepseek", "deepseek (DeepSeekMoE)"},
                                       {"llama4", "llama4"},
                                       {"grok", "grok (Grok-1)", true, 2e-4}};

}  // namespace

class TestCliGguf : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    root_ = fs::path(tmp_.path().toStdString());
    test::TinySpec spec = test::tinyGgufSpec(checkpoint::Family::Mixtral);
    spec.hidden = 32, spec.intermediate = 32;
    fs::create_directories(root_ / "hf");
    test::writeTinyModel(root_ / "hf", spec);
    test::writeTinyGguf(root_ / "hf", root_ / "f32.gguf");
    test::TinyGgufOptions q8;
    q8.matrix_type = test::kGgmlQ8_0;
    test::writeTinyGguf(root_ / "hf", root_ / "q8.gguf", q8);
  }

  void inspectDescribesTheModel() {
    const auto run = test::runCli({"inspect", path(root_ / "q8.gguf")});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    for (const char* line : {"format      GGUF version 3", "family      mixtral (MixtralForCausalLM)", "4 routed, top-2",
                             "quantis.    Q8_0", "analysed dequantised"})
      QVERIFY2(run.out.find(line) != std::string::npos, (std::string(line) + " not in\n" + run.out).c_str());
    const auto json = nlohmann::json::parse(test::runCli({"inspect", path(root_ / "q8.gguf"), "--json"}).out);
    QCOMPARE(json["format"].get<std::string>(), std::string("gguf"));
    QCOMPARE(json["experts"].get<int>(), 4);
    QVERIFY(json["quantisation"].get<std::string>().find("Q8_0") != std::string::npos);
    QCOMPARE(json["gguf"]["architecture"].get<std::string>(), std::string("llama"));
  }

  // F32 GGUF weights are the folder's own numbers: every dataset equal within float rounding.
  void analyzeF32GgufAsTheFolder() {
    const QStringList common = {"--ids", "3,1,4,1,5,9,2,6,5,3", "--device", "cpu"};
    const auto hf = test::runCli(QStringList{"analyze", path(root_ / "hf"), "--out", path(root_ / "hf.h5")} + common);
    QVERIFY2(hf.exit_code == 0, hf.err.c_str());
    const auto gguf = test::runCli(QStringList{"analyze", path(root_ / "f32.gguf"), "--out", path(root_ / "f32.h5")} + common);
    QVERIFY2(gguf.exit_code == 0, gguf.err.c_str());
    const auto reader = results::ResultsReader::open(root_ / "f32.h5");
    QCOMPARE(reader.metadata().quantisation, std::string("GGUF: F32 100%"));
    QVERIFY(results::ResultsReader::open(root_ / "hf.h5").metadata().quantisation.empty());
    const auto diff = test::runCli({"diff", path(root_ / "hf.h5"), path(root_ / "f32.h5"), "/layers", "--tolerance", "1e-5"});
    QVERIFY2(diff.exit_code == 0, (diff.out + diff.err).c_str());
  }

  void compareRoutingOfQuantisedModel() {
    const QStringList ids = {"--ids", "3,1,4,1,5,9,2,6,5,3,5,8,9,7", "--device", "cpu", "--json"};
    for (const char* model : {"hf", "f32.gguf", "q8.gguf"}) {
      const auto run = test::runCli(QStringList{"route", path(root_ / model)} + ids);
      QVERIFY2(run.exit_code == 0, run.err.c_str());
      test::writeFile(root_ / (std::string(model) + ".json"), run.out);
    }
    const auto same = test::runCli({"compare-routing", path(root_ / "hf.json"), path(root_ / "f32.gguf.json")});
    QVERIFY2(same.exit_code == 0, same.err.c_str());
    const auto exact = nlohmann::json::parse(same.out);
    QVERIFY(exact["first_divergent_layer"].is_null());
    QCOMPARE(exact["mean_top1_agreement"].get<double>(), 1.0);
    QCOMPARE(exact["mean_topk_overlap"].get<double>(), 1.0);
    QCOMPARE(exact["mean_kendall_tau"].get<double>(), 1.0);
    QCOMPARE(exact["tokens"].get<int>(), 14);
    const auto quantised = test::runCli({"compare-routing", path(root_ / "hf.json"), path(root_ / "q8.gguf.json")});
    QVERIFY2(quantised.exit_code == 0, quantised.err.c_str());
    const auto q = nlohmann::json::parse(quantised.out);
    QCOMPARE(q["layers"].size(), std::size_t(3));
    for (const auto& layer : q["layers"]) {
      // Q8_0 moves logits by well under their spread: rankings stay close, never reversed.
      QVERIFY(layer["kendall_tau"].get<double>() > 0.5);
      QVERIFY(layer["topk_overlap"].get<double>() >= 0.5 && layer["topk_overlap"].get<double>() <= 1.0);
    }
    // Runs of other tokens are refused, naming the first difference.
    const auto other = test::runCli({"route", path(root_ / "hf"), "--ids", "3,1,4,2", "--device", "cpu", "--json"});
    test::writeFile(root_ / "other.json", other.out);
    const auto refused = test::runCli({"compare-routing", path(root_ / "hf.json"), path(root_ / "other.json")});
    QCOMPARE(refused.exit_code, 2);
    QVERIFY2(refused.err.find("routed different tokens (token 3 is id 1 in") != std::string::npos, refused.err.c_str());
  }

  // Quantisation keeps every expert where it was: the F32 file's experts are the folder's
  // (cosine 1), the Q8_0 file's nearly so, each matched to itself.
  void compareExpertsMatchesQuantisedToOriginal() {
    for (const char* file : {"f32.gguf", "q8.gguf"}) {
      const auto run = test::runCli({"compare-experts", path(root_ / "hf"), path(root_ / file), "--device", "cpu"});
      QVERIFY2(run.exit_code == 0, run.err.c_str());
      const auto json = nlohmann::json::parse(run.out);
      QCOMPARE(json["experts_matched_elsewhere"].get<int>(), 0);
      const double similarity = json["mean_matched_similarity"].get<double>();
      QVERIFY2(std::string(file) == "f32.gguf" ? std::fabs(similarity - 1) < 1e-6 : similarity > 0.999 && similarity < 1,
               (std::string(file) + ": " + std::to_string(similarity)).c_str());
      QCOMPARE(json["layers"][0]["match"], nlohmann::json({0, 1, 2, 3}));
      QVERIFY(!json["layers"][0].contains("matrix_similarity"));
    }
    const auto with = test::runCli({"compare-experts", path(root_ / "hf"), path(root_ / "q8.gguf"), "--device", "cpu",
                                    "--layers", "1", "--matrices"});
    const auto json = nlohmann::json::parse(with.out);
    QCOMPARE(json["layers"].size(), std::size_t(1));
    QCOMPARE(json["layers"][0]["matrix_similarity"]["gate"].size(), std::size_t(4));
  }

  // compare on the original and its Q8_0 file: one results file, both models' own results, and
  // the comparison's headline in summary (outputs close to the original's, never equal).
  void compareQuantisedWithOriginal() {
    const fs::path out = root_ / "cmp.h5";
    const auto run = test::runCli({"compare", path(root_ / "q8.gguf"), path(root_ / "hf"), "--ids", "3,1,4,1,5,9,2,6,5,3",
                                   "--out", path(out), "--device", "cpu", "--analyses", "routing", "--quiet"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QVERIFY2(run.out.find("against " + (root_ / "hf").string()) != std::string::npos, run.out.c_str());
    const auto summary = test::runCli({"summary", path(out), "--json"});
    QVERIFY2(summary.exit_code == 0, summary.err.c_str());
    const auto json = nlohmann::json::parse(summary.out);
    QCOMPARE(json["comparison"]["reference"].get<int>(), 1);
    const auto& layers = json["comparison"]["against_reference"][0]["layers"];
    QCOMPARE(layers.size(), std::size_t(3));
    for (const auto& layer : layers) {
      const double cosine = layer["mean_output_cosine"].get<double>();
      QVERIFY2(cosine > 0.99 && cosine < 1.0, std::to_string(cosine).c_str());
      QCOMPARE(layer["experts_matched_elsewhere"].get<int>(), 0);
    }
    // A missing reference is named.
    const auto bad = test::runCli({"compare", path(root_ / "q8.gguf"), path(root_ / "hf"), "--ids", "1,2", "--out",
                                   path(root_ / "bad.h5"), "--reference", "7"});
    QCOMPARE(bad.exit_code, 2);
    QVERIFY2(bad.err.find("--reference 7") != std::string::npos, bad.err.c_str());
  }

  void routingEqualsLlamaCppOnTheSameFile_data() {
    QTest::addColumn<QString>("arch");
    QTest::addColumn<bool>("llamaCppRenormalises");
    QTest::addColumn<double>("laterLayerTolerance");
    for (const LlamaCppFile& file : kLlamaCppFiles)
      QTest::newRow(file.row) << file.arch << file.llama_cpp_renormalises << file.later_layer_tolerance;
  }

  // tests/data/reference/llama_cpp_moe: small MoE GGUF files of ten layouts (make_moe_models.py
  // says what each exercises: grouped-query attention, biases, shared experts, q/k norms, latent
  // attention, group-limited sigmoid routing with a selection bias, attention sinks and a sliding
  // window, dense first layers, NoPE layers, softcapped attention) run by llama.cpp itself, with
  // the router logits, chosen experts and their weights it printed per MoE layer
  // (llama-eval-callback at full precision). MoEScope reads the same files: the same experts
  // everywhere, logits and weights within the printed four decimals. The later layers depend on
  // attention and on the whole blocks before them, so this holds MoEScope's reading of each
  // layout to llama.cpp's own. Experts are compared as sets with their weights: MoEScope lists
  // them by weight, llama.cpp by selection score (they differ where a selection bias is added).
  void routingEqualsLlamaCppOnTheSameFile() {
    QFETCH(QString, arch);
    QFETCH(bool, llamaCppRenormalises);
    QFETCH(double, laterLayerTolerance);
    const fs::path dir = test::referencePath("llama_cpp_moe");
    const auto llama = nlohmann::json::parse(test::readFile(dir / ("llama-cpp-" + arch.toStdString() + ".json")));
    QStringList ids;
    for (const auto& id : llama.at("ids")) ids << QString::number(id.get<int>());
    const auto run = test::runCli(
        {"route", path(dir / ("tiny-" + arch.toStdString() + ".gguf")), "--ids", ids.join(","), "--device", "cpu", "--json"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    const auto ours = nlohmann::json::parse(run.out);
    std::vector<int> our_layers, their_layers;
    for (const auto& layer : ours.at("layers")) our_layers.push_back(layer.at("layer").get<int>());
    for (const auto& layer : llama.at("layers")) their_layers.push_back(layer.at("layer").get<int>());
    QCOMPARE(our_layers, their_layers);  // the same MoE layers (dense ones route nothing)
    const auto close = [&](double got, double want, double tolerance, const char* what, int layer, std::size_t token) {
      QVERIFY2(std::abs(got - want) <= tolerance, qPrintable(QString("%1, layer %2 token %3: %4 vs llama.cpp's %5")
                                                                  .arg(what).arg(layer).arg(token).arg(got).arg(want)));
    };
    const std::size_t tokens = llama.at("ids").size();
    int weighted = 0;
    for (std::size_t i = 0; i < their_layers.size(); ++i) {
      const auto& theirs = llama.at("layers").at(i);
      const auto& mine = ours.at("layers").at(i);
      const int index = their_layers[i];
      const double tolerance = i == 0 ? kPrintedPrecision : laterLayerTolerance;
      // Every token, or (where llama.cpp's graph drops the others early) the last layer's last one.
      const std::size_t rows = theirs.at("tokens").size();
      QVERIFY(rows == tokens || (i + 1 == their_layers.size() && rows == 1));
      for (std::size_t row = 0; row < theirs.at("tokens").size(); ++row) {
        const auto token = theirs.at("tokens").at(row).get<std::size_t>();
        const auto my_logits = mine.at("router_logits").at(token).get<std::vector<double>>();
        const auto their_logits = theirs.at("router_logits").at(row).get<std::vector<double>>();
        QCOMPARE(my_logits.size(), their_logits.size());
        for (std::size_t e = 0; e < their_logits.size(); ++e)
          close(my_logits[e], their_logits[e], tolerance, "router logit", index, token);
        const auto my_ids = mine.at("topk_ids").at(token).get<std::vector<int>>();
        const auto their_ids = theirs.at("topk_ids").at(row).get<std::vector<int>>();
        QCOMPARE(std::multiset<int>(my_ids.begin(), my_ids.end()), std::multiset<int>(their_ids.begin(), their_ids.end()));
        if (!theirs.contains("topk_weights")) continue;
        auto my_weights = mine.at("topk_weights").at(token).get<std::vector<double>>();
        if (llamaCppRenormalises) {
          double sum = 0;
          for (double w : my_weights) sum += w;
          for (double& w : my_weights) w /= sum;
        }
        const auto their_weights = theirs.at("topk_weights").at(row).get<std::vector<double>>();
        for (std::size_t slot = 0; slot < their_ids.size(); ++slot) {
          const auto at = std::find(my_ids.begin(), my_ids.end(), their_ids[slot]) - my_ids.begin();
          close(my_weights.at(std::size_t(at)), their_weights.at(slot), tolerance, "top-k weight", index, token);
        }
        ++weighted;
      }
    }
    QVERIFY(weighted >= int(tokens) + 1);
  }

  void greedyGenerationEqualsLlamaCpp_data() {
    QTest::addColumn<QString>("arch");
    for (const LlamaCppFile& file : kLlamaCppFiles) QTest::newRow(file.row) << file.arch;
  }

  // The same files, ten greedy tokens after "Hi" as llama.cpp's llama-simple wrote them
  // (llama-cpp-generation.json): MoEScope's generation, over its key/value cache, writes the same
  // tokens. Each step depends on the cached keys and values of every layer (latent ones for
  // DeepSeek-V3, a 3-token window and sinks for gpt-oss, a NoPE layer for Llama 4).
  void greedyGenerationEqualsLlamaCpp() {
    QFETCH(QString, arch);
    const fs::path dir = test::referencePath("llama_cpp_moe");
    const auto llama = nlohmann::json::parse(test::readFile(dir / "llama-cpp-generation.json")).at(arch.toStdString());
    const auto prompt = llama.at("prompt").get<std::vector<int64_t>>();
    QStringList ids;
    for (int64_t id : prompt) ids << QString::number(id);
    const fs::path out = root_ / ("generated-" + arch.toStdString() + ".h5");
    const auto run = test::runCli({"generate", path(dir / ("tiny-" + arch.toStdString() + ".gguf")), "--ids", ids.join(","),
                                   "--max-new-tokens", "10", "--ignore-eos", "--device", "cpu", "--out", path(out),
                                   "--analyses", "routing", "--quiet"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    std::vector<int64_t> expected = prompt;
    for (const auto& id : llama.at("generated")) expected.push_back(id.get<int64_t>());
    const auto reader = results::ResultsReader::open(out);
    QCOMPARE(reader.readInt(results::layout::kTokenIds).values, expected);
    QCOMPARE(reader.metadata().generation_start, int64_t(prompt.size()));
  }

 private:
  QTemporaryDir tmp_;
  fs::path root_;
};

QTEST_GUILESS_MAIN(TestCliGguf)
#include "test_cli_gguf.moc"
