#include "core/results/results_comparison.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "core/results/results_layout.h"

namespace moescope::results {

namespace {

using Kind = ResultsReader::DatasetKind;
constexpr int64_t kBlockValues = 1 << 22;  // values per block read of a large dataset

std::string describe(const AttributeValue& value) {
  std::ostringstream text;
  text.precision(9);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, double>) text << v;
        else if constexpr (std::is_same_v<T, std::string>) text << '"' << v << '"';
        else text << "a list of " << v.size();
      },
      value);
  return text.str();
}

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

class Comparer {
 public:
  Comparer(const ResultsReader& a, const ResultsReader& b, const ComparisonOptions& options)
      : a_(a), b_(b), options_(options) {}

  Comparison run() {
    for (const std::string& raw : options_.paths) {
      const std::string path = raw.empty() || raw == "/" ? "/" : (raw.front() == '/' ? raw : "/" + raw);
      const bool in_a = a_.has(path), in_b = b_.has(path);
      if (!in_a || !in_b) {
        if (in_a || in_b) differ(path + " only in the " + (in_a ? "first" : "second") + " file");
        else differ(path + " in neither file");
        continue;
      }
      compareObject(path);
    }
    return std::move(result_);
  }

 private:
  bool full() const { return result_.differences.size() >= options_.max_differences; }
  void differ(std::string line) {
    if (!full()) result_.differences.push_back(std::move(line));
  }

  bool agree(double x, double y) const {
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
    if (x == y) return true;
    return std::abs(x - y) <= options_.tolerance * std::max({1.0, std::abs(x), std::abs(y)});
  }

  bool agree(const AttributeValue& x, const AttributeValue& y) const {
    if (x.index() != y.index()) return false;
    if (const auto* d = std::get_if<double>(&x)) return agree(*d, std::get<double>(y));
    if (const auto* ds = std::get_if<std::vector<double>>(&x)) {
      const auto& other = std::get<std::vector<double>>(y);
      if (ds->size() != other.size()) return false;
      for (std::size_t i = 0; i < ds->size(); ++i)
        if (!agree((*ds)[i], other[i])) return false;
      return true;
    }
    return x == y;
  }

  void compareAttributes(const std::string& path) {
    auto in_a = a_.attributes(path);
    auto in_b = b_.attributes(path);
    if (path == "/") {
      in_a.erase(std::string(layout::attr::kCreated));
      in_b.erase(std::string(layout::attr::kCreated));
    }
    for (const auto& [key, value] : in_a) {
      const auto other = in_b.find(key);
      if (other == in_b.end()) {
        differ(path + ": attribute \"" + key + "\" only in the first file");
        continue;
      }
      ++result_.attributes;
      if (!agree(value, other->second))
        differ(path + ": attribute \"" + key + "\" differs: " + describe(value) + " vs " + describe(other->second));
    }
    for (const auto& [key, value] : in_b)
      if (!in_a.contains(key)) differ(path + ": attribute \"" + key + "\" only in the second file");
  }

  void compareObject(const std::string& path) {
    if (full()) return;
    compareAttributes(path);
    if (!a_.isGroup(path)) return compareDataset(path);
    const auto names_a = a_.children(path);
    const auto names_b = b_.children(path);
    const std::set<std::string> set_b(names_b.begin(), names_b.end());
    const std::string prefix = path == "/" ? "/" : path + "/";
    for (const auto& name : names_a) {
      if (!set_b.contains(name)) {
        differ(prefix + name + " only in the first file");
        continue;
      }
      if (a_.isGroup(prefix + name) != b_.isGroup(prefix + name)) {
        differ(prefix + name + " is a group in one file and a dataset in the other");
        continue;
      }
      compareObject(prefix + name);
    }
    const std::set<std::string> set_a(names_a.begin(), names_a.end());
    for (const auto& name : names_b)
      if (!set_a.contains(name)) differ(prefix + name + " only in the second file");
  }

  void compareDataset(const std::string& path) {
    ++result_.datasets;
    const Kind kind = a_.datasetKind(path);
    if (kind != b_.datasetKind(path)) return differ(path + " holds numbers of another kind in each file");
    const auto shape = a_.shape(path);
    if (shape != b_.shape(path)) return differ(path + " has shape " + shapeText(shape) + " vs " + shapeText(b_.shape(path)));
    switch (kind) {
      case Kind::Float: return compareFloats(path, shape);
      case Kind::Integer: return compareValues(path, a_.readInt(path).values, b_.readInt(path).values, 0);
      case Kind::Strings: return compareValues(path, a_.readStrings(path), b_.readStrings(path), 0);
      case Kind::Other: return;
    }
  }

  template <class T>
  void compareValues(const std::string& path, const std::vector<T>& x, const std::vector<T>& y, int64_t offset) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      bool same;
      if constexpr (std::is_floating_point_v<T>) same = agree(x[i], y[i]);
      else same = x[i] == y[i];
      if (same) continue;
      std::ostringstream line;
      line.precision(9);
      line << path << ": value " << offset + static_cast<int64_t>(i) << " differs: " << x[i] << " vs " << y[i];
      return differ(line.str());
    }
  }

  void compareFloats(const std::string& path, const std::vector<int64_t>& shape) {
    if (shape.empty() || shape[0] == 0) {
      return compareValues(path, a_.readFloat(path).values, b_.readFloat(path).values, 0);
    }
    int64_t row_values = 1;
    for (std::size_t d = 1; d < shape.size(); ++d) row_values *= shape[d];
    const int64_t rows_per_block = std::max<int64_t>(1, kBlockValues / std::max<int64_t>(1, row_values));
    for (int64_t first = 0; first < shape[0] && !full(); first += rows_per_block) {
      const int64_t count = std::min(rows_per_block, shape[0] - first);
      const FloatArray x = a_.readFloatRows(path, first, count), y = b_.readFloatRows(path, first, count);
      compareValues(path, x.values, y.values, first * row_values);
    }
  }

  const ResultsReader& a_;
  const ResultsReader& b_;
  const ComparisonOptions& options_;
  Comparison result_;
};

}  // namespace

Comparison compareResults(const ResultsReader& a, const ResultsReader& b, const ComparisonOptions& options) {
  return Comparer(a, b, options).run();
}

}  // namespace moescope::results
