// A results file that a crashed run, another program or the internet left behind: opened and
// walked like the explorer and `moescope-cli summary` walk it, every group, dataset and
// attribute read.
#include <string>

#include "core/error.h"
#include "core/results/results_file.h"
#include "core/results/results_probe.h"
#include "fuzz/targets/fuzz_target.h"

namespace moescope::fuzz {

namespace {

// Bounds on the walk: a fuzzed file may hold link cycles or claim billions of elements
// (compression makes that legal), neither of which is the reader's fault.
constexpr int kMaxDepth = 8;
constexpr int kMaxObjects = 256;
constexpr int64_t kMaxElements = int64_t{1} << 20;

class Walk {
 public:
  explicit Walk(const results::ResultsReader& reader) : reader_(reader) {}

  void visit(const std::string& path, int depth) {
    if (depth > kMaxDepth || ++objects_ > kMaxObjects) return;
    attempt([&] { reader_.attributes(path); });
    if (reader_.isGroup(path)) {
      std::vector<std::string> names;
      attempt([&] { names = reader_.children(path); });
      for (const std::string& name : names) visit(path == "/" ? "/" + name : path + "/" + name, depth + 1);
      return;
    }
    std::vector<int64_t> shape;
    attempt([&] { shape = reader_.shape(path); });
    int64_t elements = 1;
    for (const int64_t dim : shape) {
      if (dim < 0) invariantBroken("results_reader", "negative dimension");
      if (dim > 0 && elements > kMaxElements / dim) return;
      elements *= dim;
    }
    if (elements > kMaxElements) return;
    attempt([&] { checkCount(reader_.readFloat(path), elements); });
    attempt([&] { checkCount(reader_.readInt(path), elements); });
    attempt([&] { reader_.readStrings(path); });
    if (!shape.empty() && shape[0] > 0) attempt([&] { checkCount(reader_.readFloatRows(path, 0, 1), elements / shape[0]); });
  }

 private:
  template <class F>
  static void attempt(F&& read) {
    try {
      read();
    } catch (const Error&) {
      // A dataset of another type or a damaged one: refused, as it should be.
    }
  }
  template <class Array>
  static void checkCount(const Array& array, int64_t elements) {
    if (static_cast<int64_t>(array.values.size()) != elements) invariantBroken("results_reader", "value count != shape");
  }

  const results::ResultsReader& reader_;
  int objects_ = 0;
};

}  // namespace

Outcome runResultsReader(std::span<const std::byte> input) {
  // Files that make HDF5 loop are common among fuzzed ones; a second tells them well enough
  // from the small files the fuzzer writes.
  static const bool limited = (results::detail::setProbeSecondsForFuzzing(2), true);
  (void)limited;
  const auto path = writeScratchFile("results.h5", input);
  try {
    const results::ResultsReader reader = results::ResultsReader::open(path);
    reader.metadata();
    reader.listLayers();
    Walk(reader).visit("/", 0);
  } catch (const Error& error) {
    return {false, error.what()};
  }
  return {};
}

}  // namespace moescope::fuzz
