// The input rows of the bad-input matrix (tests/hardening/README.md), through runAnalysis(),
// the entry point of `moescope-cli analyze` and the explorer's Analyze: empty text, text
// longer than the model's positions, ids outside the vocabulary, text that is not UTF-8.
// Each row asserts the exact ErrorCategory and a message that says what to change, and that
// nothing else broke: no file at the output path (or the previous one, byte for byte), no
// temporary file left, and the same request with good input still runs.
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <string>
#include <vector>

#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/analysis_selection.h"
#include "core/results/results_file.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

namespace fs = std::filesystem;
using namespace moescope;

namespace {

bool noTemporaryFiles(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".partial-") != std::string::npos) return false;
  }
  return true;
}

}  // namespace

class TestBadInputs : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path root_, tiny_, demo_, out_;
  test::TinySpec spec_;  // max_position_embeddings 512, vocabulary 40, no tokenizer
  std::string previous_;  // the results file a good run left at out_

  pipeline::AnalysisRequest request(const fs::path& model) const {
    pipeline::AnalysisRequest r;
    r.model_dir = model;
    r.device = torch_support::DevicePreference::Cpu;
    r.dtype = torch_support::ComputeDType::Float32;
    r.analyses = pipeline::parseAnalyses("routing,norms");
    r.output = out_;
    return r;
  }

  // Runs the request expecting `category` and a message holding `mentions`, then checks that
  // the previous results file is untouched and nothing temporary is left.
  void expectRefused(const pipeline::AnalysisRequest& r, ErrorCategory category, const std::string& mentions) {
    const test::Caught caught = test::catchError([&] { pipeline::runAnalysis(r); });
    QVERIFY2(caught.threw, "the bad input was accepted");
    const std::string got = "category " + std::to_string(caught.category) + ": " + caught.message;
    QVERIFY2(caught.category == static_cast<int>(category), got.c_str());
    QVERIFY2(caught.message.find(mentions) != std::string::npos, got.c_str());
    QVERIFY2(test::readFile(out_) == previous_, "the previous results file changed");
    QVERIFY(noTemporaryFiles(root_));
  }

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    tiny_ = root_ / "tiny";
    demo_ = root_ / "demo";
    out_ = root_ / "results.h5";
    test::writeTinyModel(tiny_, spec_);
    demo::writeDemoModel(demo_);
    pipeline::AnalysisRequest good = request(tiny_);
    good.ids = {1, 2, 3};
    pipeline::runAnalysis(good);
    previous_ = test::readFile(out_);
    QVERIFY(!previous_.empty());
  }

  void emptyText_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("spaces") << "   ";
    QTest::newRow("blank lines") << "\n\t\r\n";
  }
  void emptyText() {
    QFETCH(QString, text);
    pipeline::AnalysisRequest r = request(demo_);
    r.texts = {text.toStdString()};
    expectRefused(r, ErrorCategory::InvalidArgument, "empty");
  }

  void noTextAtAll() {
    expectRefused(request(demo_), ErrorCategory::InvalidArgument, "no text");
  }

  // One text too long among good ones: refused before any layer runs, naming the limit and
  // the length, so the user knows how much to cut.
  void textLongerThanThePositions() {
    const std::vector<int64_t> ids(513, 5);  // the tiny model has 512 positions
    pipeline::AnalysisRequest r = request(tiny_);
    r.ids = ids;
    expectRefused(r, ErrorCategory::InvalidArgument, "max_position_embeddings");
    const auto caught = test::catchError([&] { pipeline::runAnalysis(r); });
    QVERIFY2(caught.message.find("513") != std::string::npos && caught.message.find("512") != std::string::npos,
             caught.message.c_str());

    // Through the tokenizer: the demo has 4096 positions; its corpus runs far longer.
    std::string text;
    for (int i = 0; i < 800; ++i) text += "The experts of a mixture route each token. ";
    QVERIFY(tokenizer::loadTokenizer(demo_)->encode(text).size() > 4096);
    pipeline::AnalysisRequest long_text = request(demo_);
    long_text.texts = {"A short text first.", text};
    expectRefused(long_text, ErrorCategory::InvalidArgument, "max_position_embeddings");
  }

  void idsOutsideTheVocabulary_data() {
    QTest::addColumn<qlonglong>("id");
    QTest::newRow("vocabulary size") << qlonglong(40);
    QTest::newRow("negative") << qlonglong(-1);
    QTest::newRow("huge") << qlonglong(9'000'000'000'000'000'000LL);
  }
  void idsOutsideTheVocabulary() {
    QFETCH(qlonglong, id);
    pipeline::AnalysisRequest r = request(tiny_);
    r.ids = {1, 2, static_cast<int64_t>(id)};
    expectRefused(r, ErrorCategory::InvalidArgument, "outside the vocabulary");
  }

  // Bytes that are not UTF-8 are a tokenizer error or become pieces; never a crash.
  void textThatIsNotUtf8() {
    pipeline::AnalysisRequest r = request(demo_);
    r.texts = {std::string("caf\xe9 \xff\xfe \xc0\x80 end", 14)};
    const fs::path other = root_ / "not-utf8.h5";
    r.output = other;
    const auto caught = test::catchError([&] { pipeline::runAnalysis(r); });
    if (caught.threw) {
      QVERIFY2(caught.category == static_cast<int>(ErrorCategory::Tokenizer) ||
                   caught.category == static_cast<int>(ErrorCategory::InvalidArgument),
               caught.message.c_str());
      QVERIFY(!fs::exists(other));
    } else {
      // Accepted: the pieces in the file are valid UTF-8 (h5py must decode them).
      for (const std::string& piece : results::ResultsReader::open(other).readStrings("/tokens/text")) {
        QVERIFY(QString::fromUtf8(piece.data(), qsizetype(piece.size())).toUtf8().toStdString() == piece);
      }
    }
    QVERIFY(noTemporaryFiles(root_));
  }

  // The same process, after all the refusals: good input still runs and replaces the file.
  void goodInputStillRuns() {
    pipeline::AnalysisRequest r = request(demo_);
    r.texts = {"As an open source alternative to"};
    const auto outcome = pipeline::runAnalysis(r);
    QVERIFY(outcome.tokens >= 6);
    QVERIFY(outcome.warnings.empty());
    QCOMPARE(results::ResultsReader::open(out_).metadata().family, std::string("mixtral"));
  }
};

QTEST_GUILESS_MAIN(TestBadInputs)
#include "test_bad_inputs.moc"
