#include "core/checkpoint/weight_store.h"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "core/checkpoint/untrusted_json.h"
#include "core/checkpoint/mapped_file.h"
#include "core/error.h"
#include "core/path_checks.h"

namespace moescope::checkpoint {

namespace fs = std::filesystem;

namespace {

using json = nlohmann::json;

constexpr std::string_view kIndexName = "model.safetensors.index.json";
constexpr std::string_view kSingleName = "model.safetensors";

std::string jsonQuoted(std::string_view text) {
  return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

[[noreturn]] void malformed(const std::string& message) { throw Error(ErrorCategory::MalformedFile, message); }

// The index comes from the internet too: a shard name must not lead out of the folder.
bool isPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

// tensor name -> shard file name, from the index's "weight_map".
std::map<std::string, std::string> readWeightMap(const fs::path& index_path) {
  const std::string label = index_path.filename().string();
  const auto mapped = MappedFile::open(index_path);
  if (mapped->size() > SafetensorsFile::kMaxHeaderBytes) {
    malformed(label + ": " + std::to_string(mapped->size()) + " bytes is too large for an index");
  }
  const std::string_view text(reinterpret_cast<const char*>(mapped->data()), mapped->size());
  const json index = parseUntrustedJson(text, label, SafetensorsFile::kMaxJsonDepth);
  const auto map_it = index.is_object() ? index.find("weight_map") : index.end();
  if (!index.is_object() || map_it == index.end() || !map_it->is_object()) {
    malformed(label + ": expected an object with a \"weight_map\" object of tensor name -> shard file");
  }
  if (map_it->empty()) malformed(label + ": \"weight_map\" names no tensors");

  std::map<std::string, std::string> weight_map;
  for (const auto& [tensor, shard] : map_it->items()) {
    if (!shard.is_string()) malformed(label + ": \"weight_map\" entry " + jsonQuoted(tensor) + " is not a file name");
    const auto& file = shard.get_ref<const std::string&>();
    if (!isPlainFileName(file)) {
      malformed(label + ": tensor " + jsonQuoted(tensor) + " is assigned to " + jsonQuoted(file) +
                ", which is not a plain file name inside the model folder");
    }
    weight_map.emplace(tensor, file);
  }
  return weight_map;
}

// Regular files (or links to them) of the folder whose name matches, sorted for a stable order.
template <typename Predicate>
std::vector<fs::path> listFiles(const fs::path& dir, Predicate matches) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (!matches(it->path().filename().string())) continue;
    // A matching name that is a symlink loop is reported, not passed over as absent.
    if (isRegularFile(it->path())) found.push_back(it->path());
  }
  if (error) throw Error(ErrorCategory::Io, dir.string() + ": cannot list the folder: " + error.message());
  std::sort(found.begin(), found.end());
  return found;
}

bool isPickledWeights(const std::string& name) {
  const auto ends_with = [&name](std::string_view suffix) { return name.ends_with(suffix); };
  return (name.starts_with("pytorch_model") && ends_with(".bin")) || ends_with(".pt") || ends_with(".pth");
}

[[noreturn]] void refusePickles(const fs::path& dir, const std::vector<fs::path>& pickles) {
  std::string names;
  for (std::size_t i = 0; i < pickles.size() && i < 3; ++i) {
    names += (i > 0 ? ", " : "") + pickles[i].filename().string();
  }
  if (pickles.size() > 3) names += ", ...";
  throw Error(ErrorCategory::UnsupportedFormat,
              dir.string() + " holds only pickled PyTorch weights (" + names +
                  "), and no safetensors files. Loading a pickle can run arbitrary code, so MoEScope "
                  "never opens one. Convert the model to safetensors once, in Python:\n"
                  "  python -c \"from transformers import AutoModelForCausalLM as M; M.from_pretrained('" +
                  dir.string() + "').save_pretrained('OUT', safe_serialization=True)\"\n"
                  "then copy the tokenizer files into OUT and open OUT.");
}

}  // namespace

std::shared_ptr<const WeightStore> WeightStore::openFolder(const fs::path& dir) {
  const fs::file_type dir_type = resolvedFileType(dir);
  if (dir_type != fs::file_type::directory) {
    throw Error(ErrorCategory::Io,
                dir.string() + (dir_type == fs::file_type::not_found ? ": no such folder" : ": not a folder"));
  }
  auto store = std::make_shared<WeightStore>();
  store->dir_ = dir;

  const auto add = [&store](const std::string& name, const TensorInfo* info, const SafetensorsFile* file) {
    store->index_.insert_or_assign(name, Entry{info, &file->mapping()});
  };

  const fs::path index_path = dir / kIndexName;
  if (pathExists(index_path)) {
    const std::map<std::string, std::string> weight_map = readWeightMap(index_path);
    std::map<std::string, const SafetensorsFile*> shards;
    for (const auto& [tensor, shard] : weight_map) {
      if (shards.contains(shard)) continue;
      const fs::path shard_path = dir / shard;
      if (!isRegularFile(shard_path)) {
        malformed(std::string(kIndexName) + " assigns tensor " + jsonQuoted(tensor) + " to shard " + jsonQuoted(shard) +
                  ", which does not exist in " + dir.string());
      }
      store->files_.push_back(SafetensorsFile::open(shard_path));
      shards.emplace(shard, store->files_.back().get());
    }
    for (const auto& [tensor, shard] : weight_map) {
      const SafetensorsFile* file = shards.at(shard);
      const TensorInfo* info = file->find(tensor);
      if (info == nullptr) {
        malformed(std::string(kIndexName) + " assigns tensor " + jsonQuoted(tensor) + " to shard " + jsonQuoted(shard) +
                  ", which does not hold it (in " + dir.string() + ")");
      }
      add(tensor, info, file);
    }
    // Tensors the index forgot are still the model's; only one the index does not place and
    // two shards both hold is ambiguous.
    std::map<std::string, const SafetensorsFile*> unlisted;
    for (const auto& file : store->files_) {
      for (const TensorInfo& info : file->tensors()) {
        if (weight_map.contains(info.name)) continue;
        if (const auto [it, inserted] = unlisted.emplace(info.name, file.get()); !inserted) {
          malformed("tensor " + jsonQuoted(info.name) + " is in both " + it->second->path().filename().string() +
                    " and " + file->path().filename().string() + ", and " + std::string(kIndexName) +
                    " does not say which to use (in " + dir.string() + ")");
        }
        add(info.name, &info, file.get());
      }
    }
    return store;
  }

  std::vector<fs::path> paths;
  if (isRegularFile(dir / kSingleName)) {
    paths.push_back(dir / kSingleName);
  } else {
    paths = listFiles(dir, [](const std::string& name) { return name.ends_with(".safetensors"); });
  }
  if (paths.empty()) {
    const std::vector<fs::path> pickles = listFiles(dir, isPickledWeights);
    if (!pickles.empty()) refusePickles(dir, pickles);
    throw Error(ErrorCategory::Io, dir.string() + ": no weights found (expected " + std::string(kSingleName) +
                                       ", " + std::string(kIndexName) + " with its shards, or a *.safetensors file)");
  }
  for (const fs::path& path : paths) {
    store->files_.push_back(SafetensorsFile::open(path));
    const SafetensorsFile* file = store->files_.back().get();
    for (const TensorInfo& info : file->tensors()) {
      if (const auto it = store->index_.find(info.name); it != store->index_.end()) {
        malformed("tensor " + jsonQuoted(info.name) + " is in both " + it->second.file->path().filename().string() +
                  " and " + file->path().filename().string() + ", and no " + std::string(kIndexName) +
                  " says which to use (in " + dir.string() + ")");
      }
      add(info.name, &info, file);
    }
  }
  return store;
}

std::shared_ptr<const WeightStore> WeightStore::fromMappedTensors(fs::path source, std::vector<fs::path> files,
                                                                 std::vector<MappedTensor> tensors) {
  auto store = std::make_shared<WeightStore>();
  store->dir_ = std::move(source);
  store->other_paths_ = std::move(files);
  auto own = [&](const std::shared_ptr<const MappedFile>& file) {
    if (std::find(store->owned_mappings_.begin(), store->owned_mappings_.end(), file) == store->owned_mappings_.end())
      store->owned_mappings_.push_back(file);
  };
  for (MappedTensor& tensor : tensors) {
    own(tensor.file);
    Entry entry{nullptr, tensor.file.get()};
    for (const auto& part : tensor.part_files) {
      own(part);
      entry.part_files.push_back(part.get());
    }
    if (entry.part_files.size() != tensor.info.split_kv_b.size())
      throw Error(ErrorCategory::Internal, "tensor " + jsonQuoted(tensor.info.name) + ": a file for each of its parts");
    auto info = std::make_unique<const TensorInfo>(std::move(tensor.info));
    entry.info = info.get();
    const auto [it, inserted] = store->index_.emplace(info->name, std::move(entry));
    if (!inserted) malformed(store->dir_.string() + ": two tensors are both named " + jsonQuoted(info->name));
    store->owned_tensors_.push_back(std::move(info));
  }
  return store;
}

const TensorInfo* WeightStore::find(std::string_view name) const {
  const auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : it->second.info;
}

const TensorInfo& WeightStore::require(std::string_view name) const {
  const TensorInfo* info = find(name);
  if (info == nullptr) malformed(dir_.string() + ": the weights hold no tensor " + jsonQuoted(name));
  return *info;
}

std::vector<std::string> WeightStore::names() const {
  std::vector<std::string> result;
  result.reserve(index_.size());
  for (const auto& [name, entry] : index_) result.push_back(name);
  std::sort(result.begin(), result.end());
  return result;
}

std::vector<const TensorInfo*> WeightStore::withPrefix(std::string_view prefix) const {
  std::vector<const TensorInfo*> result;
  for (const auto& [name, entry] : index_) {
    if (name.starts_with(prefix)) result.push_back(entry.info);
  }
  std::sort(result.begin(), result.end(), [](const TensorInfo* a, const TensorInfo* b) { return a->name < b->name; });
  return result;
}

std::uint64_t WeightStore::totalBytes() const {
  std::uint64_t total = 0;
  for (const auto& [name, entry] : index_) total += entry.info->byte_size;
  return total;
}

void WeightStore::releasePages(const TensorInfo& tensor) const {
  const auto it = index_.find(tensor.name);
  // Only a tensor of this store: another store's tensor of the same name lies in another mapping.
  if (it == index_.end() || it->second.info != &tensor) return;
  if (tensor.split_kv_b.empty()) return it->second.file->releasePages(tensor.file_offset, tensor.byte_size);
  for (std::size_t i = 0; i < tensor.split_kv_b.size(); ++i)
    it->second.part_files[i]->releasePages(tensor.split_kv_b[i].file_offset, tensor.split_kv_b[i].byte_size);
}

std::vector<std::filesystem::path> WeightStore::filePaths() const {
  std::vector<std::filesystem::path> paths;
  for (const auto& file : files_) paths.push_back(file->path());
  paths.insert(paths.end(), other_paths_.begin(), other_paths_.end());
  return paths;
}

void WeightStore::prefetchPages(const TensorInfo& tensor) const {
  const auto it = index_.find(tensor.name);
  if (it == index_.end() || it->second.info != &tensor) return;
  if (tensor.split_kv_b.empty()) return it->second.file->prefetchPages(tensor.file_offset, tensor.byte_size);
  for (std::size_t i = 0; i < tensor.split_kv_b.size(); ++i)
    it->second.part_files[i]->prefetchPages(tensor.split_kv_b[i].file_offset, tensor.split_kv_b[i].byte_size);
}

}  // namespace moescope::checkpoint
