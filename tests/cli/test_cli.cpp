// moescope-cli end to end: the commands' JSON against independently computed values, and
// every bad input answered by one line on stderr and exit status 2, never a crash.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "core/checkpoint/gguf_writer.h"
#include "core/demo/demo_model.h"
#include "tests/support/naive_reference.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;

namespace {

using Run = test::CliRun;

Run cli(const QStringList& args) { return test::runCli(args); }

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root_, demo_, tiny_;
  test::TinySpec tiny_spec_;
  test::TinyWeights tiny_weights_;

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    demo_ = root_ / "demo";
    tiny_ = root_ / "tiny";
    tiny_spec_.layers = 2;
    tiny_weights_ = test::writeTinyModel(tiny_, tiny_spec_);
  }

  void makeDemoThenInspect() {
    const Run made = cli({"make-demo", path(demo_)});
    QVERIFY2(made.exit_code == 0, made.err.c_str());
    const Run inspected = cli({"inspect", path(demo_), "--json"});
    QVERIFY2(inspected.exit_code == 0, inspected.err.c_str());
    const auto json = nlohmann::json::parse(inspected.out);
    const demo::DemoRecipe r;
    QCOMPARE(json["family"].get<std::string>(), std::string("mixtral"));
    QCOMPARE(json["layers"].get<int64_t>(), r.num_layers);
    QCOMPARE(json["moe_layers"].get<int64_t>(), r.num_layers);
    QCOMPARE(json["experts"].get<int64_t>(), r.num_experts);
    QCOMPARE(json["top_k"].get<int64_t>(), r.top_k);
    QCOMPARE(json["hidden_size"].get<int64_t>(), r.hidden_size);
    QCOMPARE(json["expert_intermediate_size"].get<int64_t>(), r.intermediate_size);
    QCOMPARE(json["dtype"].get<std::string>(), std::string("BF16"));
    // Parameters by hand: embedding + lm_head + final norm, per layer 2 norms, q/k/v/o,
    // router and 8 experts of three [256 x 128] matrices; active counts 2 experts per layer.
    const int64_t V = json["vocab_size"].get<int64_t>(), H = r.hidden_size, I = r.intermediate_size;
    const int64_t kv_width = r.num_kv_heads * (H / r.num_heads);
    const int64_t per_layer = 2 * H + 2 * H * H + 2 * H * kv_width + r.num_experts * H;
    const int64_t outside = 2 * V * H + H;
    QCOMPARE(json["parameters"]["total"].get<int64_t>(),
             outside + r.num_layers * (per_layer + r.num_experts * 3 * H * I));
    QCOMPARE(json["parameters"]["active_per_token"].get<int64_t>(),
             outside + r.num_layers * (per_layer + r.top_k * 3 * H * I));
    QVERIFY(json["tokenizer"].is_string());

    const Run text = cli({"inspect", path(demo_)});
    QCOMPARE(text.exit_code, 0);
    QVERIFY(text.out.find("mixtral") != std::string::npos);
    QVERIFY(text.out.find("top-2") != std::string::npos);
  }

  // route --ids on a tiny model, against the plain double-precision reference forward pass.
  void routeIdsMatchesReference() {
    const std::vector<int64_t> ids = {1, 7, 3, 22, 5};
    const Run run = cli({"route", path(tiny_), "--ids", "1,7, 3,22,5", "--device", "cpu", "--json"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    const auto json = nlohmann::json::parse(run.out);
    const auto reference = test::naiveForward(tiny_spec_, tiny_weights_, ids);
    QCOMPARE(json["tokens"].size(), ids.size());
    for (std::size_t t = 0; t < ids.size(); ++t) QCOMPARE(json["tokens"][t]["id"].get<int64_t>(), ids[t]);
    QCOMPARE(json["layers"].size(), reference.layers.size());
    for (std::size_t L = 0; L < reference.layers.size(); ++L) {
      const auto& layer = json["layers"][L];
      const auto& want = reference.layers[L];
      QCOMPARE(layer["layer"].get<int>(), want.layer);
      for (std::size_t t = 0; t < ids.size(); ++t) {
        for (int64_t j = 0; j < tiny_spec_.top_k; ++j) {
          QCOMPARE(layer["topk_ids"][t][j].get<int64_t>(), want.topk_ids[t * tiny_spec_.top_k + j]);
          QVERIFY(std::fabs(layer["topk_weights"][t][j].get<double>() - want.topk_weights[t * tiny_spec_.top_k + j]) < 1e-5);
        }
        for (int64_t e = 0; e < tiny_spec_.experts; ++e)
          QVERIFY(std::fabs(layer["router_logits"][t][e].get<double>() - want.router_logits[t * tiny_spec_.experts + e]) < 1e-4);
      }
    }
  }

  void routeTextOnDemo() {
    if (!std::filesystem::exists(demo_ / "config.json")) QVERIFY(cli({"make-demo", path(demo_)}).exit_code == 0);
    const Run run = cli({"route", path(demo_), "--text", "As an open source alternative to", "--json"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    const auto json = nlohmann::json::parse(run.out);
    const auto& tokens = json["tokens"];
    QVERIFY(tokens.size() >= 3);
    std::string joined;
    for (const auto& token : tokens) joined += token["text"].get<std::string>();
    QVERIFY2(joined.find("alternative") != std::string::npos, joined.c_str());
    QCOMPARE(json["layers"].size(), std::size_t(8));
    for (const auto& layer : json["layers"]) {
      QCOMPARE(layer["topk_ids"].size(), tokens.size());
      QCOMPARE(layer["topk_ids"][0].size(), std::size_t(2));
      QCOMPARE(layer["router_logits"][0].size(), std::size_t(8));
    }
    const Run table = cli({"route", path(demo_), "--text", "As an open source alternative to"});
    QCOMPARE(table.exit_code, 0);
    QVERIFY(table.out.find("layer 7") != std::string::npos);
  }

  void analyzeThenSummary() {
    if (!std::filesystem::exists(demo_ / "config.json")) QVERIFY(cli({"make-demo", path(demo_)}).exit_code == 0);
    const auto out = root_ / "demo.h5";
    const Run analyzed = cli({"analyze", path(demo_), "--text-file", path(test::referencePath("wikitext103_test.csv")),
                              "--max-texts", "3", "--out", path(out)});
    QVERIFY2(analyzed.exit_code == 0, analyzed.err.c_str());
    QVERIFY(std::filesystem::exists(out));
    QVERIFY2(analyzed.err.find("progress 100%") != std::string::npos, analyzed.err.c_str());  // plain lines off a terminal
    QVERIFY2(analyzed.out.find("estimated ") != std::string::npos && analyzed.out.find(", took ") != std::string::npos,
             analyzed.out.c_str());
    const Run summary = cli({"summary", path(out), "--json"});
    QVERIFY2(summary.exit_code == 0, summary.err.c_str());
    const auto json = nlohmann::json::parse(summary.out);
    QCOMPARE(json["layers"].size(), std::size_t(8));
    const auto& curve = json["diversity"]["weights_similarity/up"];
    QCOMPARE(curve.size(), std::size_t(8));
    QVERIFY(curve[0].get<double>() > curve[6].get<double>());  // the demo's experts drift apart with depth
    QVERIFY(curve[7].get<double>() > curve[6].get<double>());  // and come together in the last layer
    QVERIFY(json["gate_regression"]["r2_mean"][1].get<double>() > 0.8);
    const double overall = json["top1_agreement"]["overall"].get<double>();
    QVERIFY(overall >= 0.0 && overall <= 1.0);
    QCOMPARE(json["load_balance"].size(), std::size_t(8));
    const Run text = cli({"summary", path(out)});
    QCOMPARE(text.exit_code, 0);
    QVERIFY(text.out.find("R^2") != std::string::npos);

    // Random bytes written into the file (as `dd if=/dev/urandom of=r.h5 bs=1 seek=N count=4000
    // conv=notrunc` does) at offsets spread over it: each damaged copy is refused (exit 2, one
    // line naming the file) or, where the damage missed everything summary reads, summarised
    // exactly as the intact file; never numbers made of noise. Values are checksummed, so most
    // offsets, which fall in the datasets, are refused naming the dataset.
    const std::string intact = test::readFile(out);
    const auto body = [&](const std::string& printed) { return printed.substr(printed.find('\n') + 1); };
    std::mt19937 noise(60000);
    int refused = 0, checksums = 0;
    const std::size_t step = intact.size() / 12;
    for (std::size_t offset = 4096; offset + 4000 < intact.size(); offset += step) {
      std::string damaged = intact;
      for (std::size_t i = 0; i < 4000; ++i) damaged[offset + i] = static_cast<char>(noise() & 0xff);
      const auto copy = root_ / "damaged.h5";
      test::writeFile(copy, damaged);
      const Run run = cli({"summary", path(copy)});
      QVERIFY2(!run.crashed, std::to_string(offset).c_str());
      if (run.exit_code == 0) {
        QVERIFY2(body(run.out) == body(text.out), ("offset " + std::to_string(offset) + ":\n" + run.out).c_str());
        continue;
      }
      QVERIFY2(run.exit_code == 2, run.err.c_str());
      QVERIFY2(run.err.find("damaged.h5") != std::string::npos && std::count(run.err.begin(), run.err.end(), '\n') == 1,
               run.err.c_str());
      ++refused;
      checksums += run.err.find("fails its checksum") != std::string::npos ? 1 : 0;
    }
    QVERIFY2(refused >= 6 && checksums >= 4, (std::to_string(refused) + " refused, " + std::to_string(checksums) +
                                              " by checksum").c_str());
  }

  // inspect of a GGUF file: its metadata's MoE sizes and each type's share of the parameters:
  // F32 [32, 4] = 128, Q8_0 [32, 16, 4] = 2048 and F16 [16, 32, 4] = 2048 of 4224, i.e. 3.0%,
  // 48.5% and 48.5%. The file lacks what a model needs: inspect says why MoEScope cannot analyse
  // it, and analyze refuses it with the same reason.
  void inspectGgufFile() {
    const auto file = root_ / "model.gguf";
    checkpoint::GgufWriter writer;
    writer.setString("general.architecture", "qwen2moe");
    writer.setString("general.name", "Tiny MoE");
    writer.setUInt32("qwen2moe.block_count", 1);
    writer.setUInt32("qwen2moe.expert_count", 4);
    writer.setUInt32("qwen2moe.expert_used_count", 2);
    writer.addTensor("token_embd.weight", 0, {32, 4}, std::string(512, '\0'));
    writer.addTensor("blk.0.ffn_up_exps.weight", 8, {32, 16, 4}, std::string(16 * 4 * 34, '\0'));
    writer.addTensor("blk.0.ffn_down_exps.weight", 1, {16, 32, 4}, std::string(4096, '\0'));
    writer.write(file);
    const Run text = cli({"inspect", path(file)});
    QVERIFY2(text.exit_code == 0, text.err.c_str());
    for (const char* line : {"GGUF version 3, 3 tensors, 5 metadata keys", "qwen2moe (\"Tiny MoE\")", "1 layers, 4 experts, top-2",
                             "quantisation  F16 48.5% (1 tensor), Q8_0 48.5% (1 tensor), F32 3.0% (1 tensor)",
                             "note: MoEScope cannot analyse this file", "\"qwen2moe.embedding_length\" is missing"})
      QVERIFY2(text.out.find(line) != std::string::npos, (std::string(line) + " not in\n" + text.out).c_str());
    const Run json = cli({"inspect", path(file), "--json"});
    const auto parsed = nlohmann::json::parse(json.out);
    QCOMPARE(parsed["format"].get<std::string>(), std::string("gguf"));
    QCOMPARE(parsed["parameters"].get<int64_t>(), int64_t(4224));
    QCOMPARE(parsed["top_k"].get<int64_t>(), int64_t(2));
    QCOMPARE(parsed["quantisation"][2]["type"].get<std::string>(), std::string("F32"));
    QCOMPARE(parsed["quantisation"][2]["share"].get<double>(), 128.0 / 4224.0);
    const Run analyzed = cli({"analyze", path(file), "--ids", "1,2", "--out", path(root_ / "gguf.h5")});
    QCOMPARE(analyzed.exit_code, 2);
    QVERIFY2(analyzed.err.find("metadata key \"qwen2moe.embedding_length\" is missing") != std::string::npos,
             analyzed.err.c_str());
    // A damaged one is refused naming what is wrong.
    test::writeFile(root_ / "cut.gguf", test::readFile(file).substr(0, 200));
    const Run cut = cli({"inspect", path(root_ / "cut.gguf")});
    QCOMPARE(cut.exit_code, 2);
    QVERIFY2(cut.err.find("cut.gguf: ") != std::string::npos && cut.err.find("truncated or damaged") != std::string::npos,
             cut.err.c_str());
  }

  // --plan estimates and stops: no results file, the measured rates and one line per kind of work.
  void analyzePlanWritesNothing() {
    if (!std::filesystem::exists(demo_ / "config.json")) QVERIFY(cli({"make-demo", path(demo_)}).exit_code == 0);
    const auto out = root_ / "planned.h5";
    const Run planned = cli({"analyze", path(demo_), "--ids", "1,2,3,4", "--layers", "0-1", "--plan", "--out", path(out)});
    QVERIFY2(planned.exit_code == 0, planned.err.c_str());
    QVERIFY(!std::filesystem::exists(out));
    // A corpus's texts 1-2: two texts are planned.
    test::writeFile(root_ / "plan-corpus.txt", "One text.\nA second text.\nAnd a third.\n");
    const Run texts = cli({"analyze", path(demo_), "--text-file", path(root_ / "plan-corpus.txt"), "--texts", "1-2", "--layers",
                           "0", "--plan"});
    QVERIFY2(texts.exit_code == 0 && texts.out.find("plan: 1 MoE layers, 2 texts, ") != std::string::npos, texts.out.c_str());
    for (const char* line : {"plan: 2 MoE layers, 4 tokens on cpu", "GFLOP/s", "routing", "weights", "read", "estimate: ", "peak memory about"})
      QVERIFY2(planned.out.find(line) != std::string::npos, planned.out.c_str());
    const Run without_out = cli({"analyze", path(demo_), "--ids", "1,2", "--plan"});
    QVERIFY2(without_out.exit_code == 0, without_out.err.c_str());
  }

  // SIGTERM (as Ctrl+C's SIGINT) cancels: exit 2, "cancelled", and no file, partial or final.
  void interruptLeavesNothing() {
    if (!std::filesystem::exists(demo_ / "config.json")) QVERIFY(cli({"make-demo", path(demo_)}).exit_code == 0);
    const auto dir = root_ / "interrupted";
    std::filesystem::create_directories(dir);
    QProcess process;
    process.start(MOESCOPE_CLI_PATH, {"analyze", path(demo_), "--text-file", path(test::referencePath("wikitext103_test.csv")),
                                      "--analyses", "all", "--out", path(dir / "out.h5")});
    QVERIFY(process.waitForStarted());
    process.setReadChannel(QProcess::StandardError);
    QVERIFY(process.waitForReadyRead(60000));  // the first progress line: the run is under way
    process.terminate();
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QString err = QString(process.readAll()) + process.readAllStandardError();
    QVERIFY2(err.contains("cancelled"), qPrintable(err.right(300)));
    QVERIFY(std::filesystem::is_empty(dir));
  }

  void badInputs_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QString tiny = path(tiny_);
    const std::filesystem::path pickled = root_ / "pickled", unknown = root_ / "unknown", truncated = root_ / "truncated";
    std::filesystem::create_directories(pickled);
    test::writeFile(pickled / "config.json", test::tinyConfigJson(tiny_spec_));
    test::writeFile(pickled / "pytorch_model.bin", "PK\x03\x04 not really a pickle");
    std::filesystem::create_directories(unknown);
    test::writeFile(unknown / "config.json", "{\"architectures\": [\"BertForMaskedLM\"], \"model_type\": \"bert\"}");
    std::filesystem::create_directories(truncated);
    std::filesystem::copy_file(tiny_ / "config.json", truncated / "config.json");
    const std::string bytes = test::readFile(tiny_ / "model.safetensors");
    test::writeFile(truncated / "model.safetensors", bytes.substr(0, bytes.size() / 2));

    QTest::newRow("no command") << QStringList{} << "";
    QTest::newRow("missing folder") << QStringList{"inspect", path(root_ / "absent")} << "not a folder";
    QTest::newRow("pickled weights") << QStringList{"inspect", path(pickled)} << "safetensors";
    QTest::newRow("unknown family") << QStringList{"inspect", path(unknown)} << "unsupported architecture";
    QTest::newRow("truncated weights") << QStringList{"inspect", path(truncated)} << "model.safetensors";
    QTest::newRow("bad id") << QStringList{"route", tiny, "--ids", "1,x"} << "not a token id";
    QTest::newRow("id out of vocabulary") << QStringList{"route", tiny, "--ids", "1,99999"} << "outside the vocabulary";
    QTest::newRow("empty text") << QStringList{"route", tiny, "--text", "  "} << "empty";
    QTest::newRow("no tokenizer") << QStringList{"route", tiny, "--text", "hello"} << "tokenizer";
    QTest::newRow("neither text nor ids") << QStringList{"route", tiny} << "exactly one";
    QTest::newRow("both text and ids") << QStringList{"route", tiny, "--text", "a", "--ids", "1"} << "exactly one";
    QTest::newRow("unknown device") << QStringList{"route", tiny, "--ids", "1", "--device", "tpu"} << "unknown device";
    QTest::newRow("unknown dtype") << QStringList{"route", tiny, "--ids", "1", "--dtype", "int3"} << "compute dtype";
    QTest::newRow("unknown option") << QStringList{"inspect", tiny, "--colour"} << "colour";
    const QString out = path(root_ / "bad.h5");
    QTest::newRow("unknown analysis") << QStringList{"analyze", tiny, "--ids", "1", "--out", out, "--analyses", "colour"}
                                      << "unknown analysis";
    QTest::newRow("layer out of range") << QStringList{"analyze", tiny, "--ids", "1", "--out", out, "--layers", "0-9"}
                                        << "does not exist";
    QTest::newRow("unwritable output") << QStringList{"analyze", tiny, "--ids", "1", "--out", path(root_ / "absent" / "x.h5")}
                                       << "absent";
    QTest::newRow("no text source") << QStringList{"analyze", tiny, "--out", out} << "exactly one";
    QTest::newRow("empty text file") << QStringList{"analyze", tiny, "--text-file", path(root_ / "empty.txt"), "--out", out}
                                     << "no text";
    test::writeFile(root_ / "empty.txt", "\n = heading = \n\n");
    test::writeFile(root_ / "not-hdf5.h5", "plain text, not HDF5");
    QTest::newRow("results not HDF5") << QStringList{"summary", path(root_ / "not-hdf5.h5")} << "not-hdf5.h5";
    QTest::newRow("results missing") << QStringList{"summary", path(root_ / "absent.h5")} << "absent.h5";
  }

  void badInputs() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const Run run = cli(args);
    QVERIFY2(!run.crashed, "the CLI crashed");
    QCOMPARE(run.exit_code, 2);
    QVERIFY2(run.err.find(mentions.toStdString()) != std::string::npos, run.err.c_str());
    if (!args.isEmpty()) {
      QVERIFY2(run.err.rfind("moescope-cli: error: ", 0) == 0, run.err.c_str());
      QCOMPARE(std::count(run.err.begin(), run.err.end(), '\n'), 1L);  // one line
    }
  }

  void cudaWithoutGpu() {
    const Run run = cli({"route", path(tiny_), "--ids", "1,2", "--device", "cuda"});
    if (run.exit_code == 0) QSKIP("a GPU is present: nothing to refuse");
    QCOMPARE(run.exit_code, 2);
    QVERIFY2(run.err.find("CUDA") != std::string::npos, run.err.c_str());
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
