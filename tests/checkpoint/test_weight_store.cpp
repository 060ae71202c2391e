// WeightStore::openFolder over the layouts Hugging Face folders come in, and the folders it
// must refuse: broken indexes, shards that are missing or lie outside, pickled weights.
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/safetensors_writer.h"
#include "core/checkpoint/weight_store.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::checkpoint;
using moescope::test::catchError;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A shard whose tensors are 1-D F32 [value, value + 1]: which file a name resolved to shows
// in the data.
void writeShard(const fs::path& file, const std::vector<std::pair<std::string, float>>& tensors) {
  std::vector<TensorSource> sources;
  for (const auto& [name, value] : tensors) sources.push_back(tensorFromFloats(name, {2}, {value, value + 1}));
  writeSafetensors(file, sources);
}

float firstValue(const TensorInfo& tensor) {
  float value = 0;
  std::memcpy(&value, tensor.data, sizeof value);
  return value;
}

std::string indexJson(const std::vector<std::pair<std::string, std::string>>& weight_map) {
  std::string entries;
  for (const auto& [tensor, file] : weight_map) {
    if (!entries.empty()) entries += ",";
    entries += "\"" + tensor + "\":\"" + file + "\"";
  }
  return "{\"metadata\":{\"total_size\":0},\"weight_map\":{" + entries + "}}";
}

struct Folder {
  QTemporaryDir temp;
  fs::path path() const { return fs::path(temp.path().toStdString()) / "model"; }
  Folder() { fs::create_directories(path()); }
};

}  // namespace

class TestWeightStore : public QObject {
  Q_OBJECT

 private slots:
  void singleFile() {
    Folder folder;
    writeSafetensors(folder.path() / "model.safetensors",
                     {tensorFromFloats("model.norm.weight", {4}, {1, 2, 3, 4}, DType::BF16),
                      tensorFromFloats("lm_head.weight", {2, 3}, {1, 2, 3, 4, 5, 6})});
    test::writeFile(folder.path() / "config.json", "{}");
    const auto store = WeightStore::openFolder(folder.path());
    QCOMPARE(store->fileCount(), std::size_t{1});
    QCOMPARE(store->tensorCount(), std::size_t{2});
    QCOMPARE(store->names(), (std::vector<std::string>{"lm_head.weight", "model.norm.weight"}));
    QCOMPARE(store->totalBytes(), std::uint64_t{4 * 2 + 6 * 4});
    QCOMPARE(store->folder(), folder.path());
    QCOMPARE(store->require("lm_head.weight").shape, (std::vector<int64_t>{2, 3}));
    QCOMPARE(store->find("model.norm.weight")->dtype, DType::BF16);
    QVERIFY(store->find("absent") == nullptr);

    const auto caught = catchError([&] { store->require("model.layers.0.mlp.gate.weight"); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::MalformedFile));
    QVERIFY2(contains(caught.message, "\"model.layers.0.mlp.gate.weight\"") &&
                 contains(caught.message, folder.path().string()),
             caught.message.c_str());

    const TensorInfo& head = store->require("lm_head.weight");
    store->releasePages(head);
    QCOMPARE(firstValue(head), 1.0f);
  }

  void singleFileOfAnotherName() {
    Folder folder;
    writeShard(folder.path() / "consolidated.safetensors", {{"tok_embeddings.weight", 1}});
    const auto store = WeightStore::openFolder(folder.path());
    QCOMPARE(store->tensorCount(), std::size_t{1});
    QVERIFY(store->find("tok_embeddings.weight") != nullptr);
  }

  // Mistral repositories ship both layouts; model.safetensors wins over the others.
  void modelSafetensorsIsPreferred() {
    Folder folder;
    writeShard(folder.path() / "model.safetensors", {{"w", 1}});
    writeShard(folder.path() / "consolidated.safetensors", {{"w", 7}, {"other", 8}});
    const auto store = WeightStore::openFolder(folder.path());
    QCOMPARE(store->fileCount(), std::size_t{1});
    QCOMPARE(firstValue(store->require("w")), 1.0f);
    QVERIFY(store->find("other") == nullptr);
  }

  void severalFilesWithoutIndex() {
    Folder folder;
    writeShard(folder.path() / "part-a.safetensors", {{"a", 1}, {"b", 2}});
    writeShard(folder.path() / "part-b.safetensors", {{"c", 3}});
    const auto store = WeightStore::openFolder(folder.path());
    QCOMPARE(store->fileCount(), std::size_t{2});
    QCOMPARE(store->names(), (std::vector<std::string>{"a", "b", "c"}));
    QCOMPARE(firstValue(store->require("c")), 3.0f);

    writeShard(folder.path() / "part-c.safetensors", {{"b", 9}});
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::MalformedFile));
    QVERIFY2(contains(caught.message, "\"b\"") && contains(caught.message, "part-a.safetensors") &&
                 contains(caught.message, "part-c.safetensors"),
             caught.message.c_str());
  }

  void shardedIndex() {
    Folder folder;
    writeShard(folder.path() / "model-00001-of-00002.safetensors", {{"embed", 1}, {"layer0", 2}});
    writeShard(folder.path() / "model-00002-of-00002.safetensors", {{"layer1", 3}, {"head", 4}, {"extra", 5}});
    // A stray file the index does not name is not part of the model.
    writeShard(folder.path() / "stray.safetensors", {{"embed", 99}});
    test::writeFile(folder.path() / "model.safetensors.index.json",
                    indexJson({{"embed", "model-00001-of-00002.safetensors"},
                               {"layer0", "model-00001-of-00002.safetensors"},
                               {"layer1", "model-00002-of-00002.safetensors"},
                               {"head", "model-00002-of-00002.safetensors"}}));
    const auto store = WeightStore::openFolder(folder.path());
    QCOMPARE(store->fileCount(), std::size_t{2});
    QCOMPARE(store->names(), (std::vector<std::string>{"embed", "extra", "head", "layer0", "layer1"}));
    QCOMPARE(firstValue(store->require("embed")), 1.0f);
    QCOMPARE(firstValue(store->require("layer1")), 3.0f);
    QCOMPARE(firstValue(store->require("extra")), 5.0f);  // in a shard, not in the index: kept
    QCOMPARE(store->totalBytes(), std::uint64_t{5 * 8});
  }

  // Hugging Face's cache links snapshot files to blobs elsewhere; a link is still a shard.
  void shardsMayBeSymlinks() {
    Folder folder;
    const fs::path blobs = folder.path().parent_path() / "blobs";
    fs::create_directories(blobs);
    writeShard(blobs / "0123abcd", {{"w", 6}});
    fs::create_symlink("../blobs/0123abcd", folder.path() / "model-00001-of-00001.safetensors");
    test::writeFile(folder.path() / "model.safetensors.index.json",
                    indexJson({{"w", "model-00001-of-00001.safetensors"}}));
    const auto store = WeightStore::openFolder(folder.path());
    QCOMPARE(firstValue(store->require("w")), 6.0f);
  }

  void missingShard() {
    Folder folder;
    writeShard(folder.path() / "model-00001-of-00002.safetensors", {{"a", 1}});
    test::writeFile(folder.path() / "model.safetensors.index.json",
                    indexJson({{"a", "model-00001-of-00002.safetensors"}, {"b", "model-00002-of-00002.safetensors"}}));
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::MalformedFile));
    QVERIFY2(contains(caught.message, "model-00002-of-00002.safetensors") &&
                 contains(caught.message, "model.safetensors.index.json"),
             caught.message.c_str());
  }

  void indexPathTraversal_data() {
    QTest::addColumn<QString>("shard");
    QTest::newRow("parent") << "../outside.safetensors";
    QTest::newRow("absolute") << "/tmp/outside.safetensors";
    QTest::newRow("subfolder") << "sub/inner.safetensors";
    QTest::newRow("dot-dot") << "..";
    QTest::newRow("empty") << "";
    QTest::newRow("backslash") << "..\\\\outside.safetensors";
  }

  void indexPathTraversal() {
    QFETCH(QString, shard);
    Folder folder;
    // The file the name points at exists, so only the name check can refuse it.
    writeShard(folder.path().parent_path() / "outside.safetensors", {{"w", 1}});
    fs::create_directories(folder.path() / "sub");
    writeShard(folder.path() / "sub" / "inner.safetensors", {{"w", 1}});
    test::writeFile(folder.path() / "model.safetensors.index.json", indexJson({{"w", shard.toStdString()}}));
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::MalformedFile), caught.message.c_str());
    QVERIFY2(contains(caught.message, "model.safetensors.index.json") && contains(caught.message, "\"w\""),
             caught.message.c_str());
  }

  void tensorMissingFromItsShard() {
    Folder folder;
    writeShard(folder.path() / "model-00001-of-00002.safetensors", {{"a", 1}});
    writeShard(folder.path() / "model-00002-of-00002.safetensors", {{"b", 2}});
    test::writeFile(folder.path() / "model.safetensors.index.json",
                    indexJson({{"a", "model-00001-of-00002.safetensors"}, {"b", "model-00001-of-00002.safetensors"}}));
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::MalformedFile));
    QVERIFY2(contains(caught.message, "\"b\"") && contains(caught.message, "model-00001-of-00002.safetensors"),
             caught.message.c_str());
  }

  void brokenIndex_data() {
    QTest::addColumn<QString>("index");
    QTest::newRow("not JSON") << "{\"weight_map\":";
    QTest::newRow("no weight_map") << "{\"metadata\":{}}";
    QTest::newRow("weight_map an array") << "{\"weight_map\":[\"a\"]}";
    QTest::newRow("file name a number") << "{\"weight_map\":{\"a\":1}}";
    QTest::newRow("empty weight_map") << "{\"weight_map\":{}}";
    QTest::newRow("top level an array") << "[]";
    QTest::newRow("deeply nested") << QString(100000, '[');
  }

  void brokenIndex() {
    QFETCH(QString, index);
    Folder folder;
    writeShard(folder.path() / "model-00001-of-00001.safetensors", {{"a", 1}});
    test::writeFile(folder.path() / "model.safetensors.index.json", index.toStdString());
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::MalformedFile), caught.message.c_str());
    QVERIFY2(contains(caught.message, "model.safetensors.index.json"), caught.message.c_str());
  }

  void corruptShardIsNamed() {
    Folder folder;
    test::writeFile(folder.path() / "model-00001-of-00001.safetensors", "garbage");
    test::writeFile(folder.path() / "model.safetensors.index.json",
                    indexJson({{"a", "model-00001-of-00001.safetensors"}}));
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::MalformedFile));
    QVERIFY2(contains(caught.message, "model-00001-of-00001.safetensors"), caught.message.c_str());
  }

  void pickledWeightsAreRefused_data() {
    QTest::addColumn<QStringList>("files");
    QTest::newRow("pytorch_model.bin") << QStringList{"pytorch_model.bin"};
    QTest::newRow("sharded bin") << QStringList{"pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin",
                                                "pytorch_model.bin.index.json"};
    QTest::newRow("consolidated pth") << QStringList{"consolidated.00.pth", "params.json"};
    QTest::newRow("pt") << QStringList{"model.pt"};
  }

  void pickledWeightsAreRefused() {
    QFETCH(QStringList, files);
    Folder folder;
    // Not a pickle at all: were it read, the error would be a different one.
    for (const QString& file : files) test::writeFile(folder.path() / file.toStdString(), "not a pickle");
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::UnsupportedFormat), caught.message.c_str());
    QVERIFY2(contains(caught.message, "safetensors") && contains(caught.message, files.first().toStdString()) &&
                 contains(caught.message, "arbitrary code") && contains(caught.message, "safe_serialization=True") &&
                 contains(caught.message, folder.path().string()),
             caught.message.c_str());
  }

  // Safetensors next to pickles: the safetensors are used, the pickles ignored.
  void safetensorsBesidePicklesAreUsed() {
    Folder folder;
    test::writeFile(folder.path() / "pytorch_model.bin", "not a pickle");
    writeShard(folder.path() / "model.safetensors", {{"w", 1}});
    QCOMPARE(WeightStore::openFolder(folder.path())->tensorCount(), std::size_t{1});
  }

  void emptyFolder() {
    Folder folder;
    test::writeFile(folder.path() / "config.json", "{}");
    test::writeFile(folder.path() / "README.md", "# model");
    const auto caught = catchError([&] { WeightStore::openFolder(folder.path()); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
    QVERIFY2(contains(caught.message, "no weights found") && contains(caught.message, folder.path().string()),
             caught.message.c_str());
  }

  void missingFolder() {
    Folder folder;
    const fs::path nowhere = folder.path() / "nope";
    auto caught = catchError([&] { WeightStore::openFolder(nowhere); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
    QVERIFY2(contains(caught.message, nowhere.string()), caught.message.c_str());

    writeShard(folder.path() / "model.safetensors", {{"w", 1}});
    caught = catchError([&] { WeightStore::openFolder(folder.path() / "model.safetensors"); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
  }
};

QTEST_APPLESS_MAIN(TestWeightStore)
#include "test_weight_store.moc"
