#pragma once
// The finished layers of a run, kept on disk while it lasts, so that a run killed by SIGKILL,
// a crash or a power loss loses only the layers it was working on, and `--resume` continues
// after them (docs/resume-and-shards.md). Next to the output "r.h5", the folder
// ".r.h5.partial/" holds
//   run.h5        the run's metadata and fingerprint (run_fingerprint.h)
//   layer-<L>.h5  one finished MoE layer: /layers/<L> with its completion record
//                 (layer_record.h), and /summary/vocabulary/<L>
//   lock          locked (flock) by the process writing here
// Each .h5 file appears whole or not at all (ResultsWriter writes it under a temporary name
// and renames it into place after fsync). HDF5 promises nothing for a file that is killed
// while being written, so one file per finished layer is what makes a kill safe.
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/pipeline/layer_record.h"
#include "core/pipeline/run_fingerprint.h"
#include "core/results/results_file.h"

namespace moescope::pipeline {

// What to do with the partial run an interrupted run of the same output left behind.
enum class ExistingPartial {
  Refuse,   // an error saying how to continue it (--resume) or start over
  Resume,   // continue it when its fingerprint matches; an error naming what differs otherwise
  Replace,  // delete it and start over
};

class RunJournal {
 public:
  // Creates the folder, or takes over the one there as `existing` says. Throws Error(Io) when
  // the folder cannot be written, Error(InvalidArgument) when another process holds it, or for
  // Refuse, or for Resume with another fingerprint.
  RunJournal(const std::filesystem::path& output, const RunFingerprint& fingerprint, const results::RunMetadata& metadata,
             ExistingPartial existing);
  // Unless completed: keeps the folder when `keepOnFailure` was set and a layer is finished,
  // and deletes it otherwise. Open layer files are abandoned (their temporary files go).
  ~RunJournal();
  RunJournal(const RunJournal&) = delete;
  RunJournal& operator=(const RunJournal&) = delete;

  static std::filesystem::path folderFor(const std::filesystem::path& output);
  // Throws Error(Io) unless `output` names a file in an existing, writable folder and is not
  // itself a folder: what a run checks first, and what a command that works long before its
  // run (generate) checks before that work.
  static void checkOutputPath(const std::filesystem::path& output);
  const std::filesystem::path& folder() const { return folder_; }

  // Layers finished by this run or an earlier one, with their records.
  const std::map<int, LayerRecord>& finished() const { return finished_; }
  bool isFinished(int layer) const { return finished_.contains(layer); }
  // Finished layers found in the folder when this run began, and what was wrong with the ones
  // that could not be used (they are computed again).
  int resumedLayers() const { return resumed_; }
  const std::vector<std::string>& notes() const { return notes_; }

  // The open file of a layer being analysed; created on first use, and told to `observer`.
  results::ResultsWriter& layerWriter(int layer);
  void setObserver(results::ResultsWriter::Observer* observer) { observer_ = observer; }
  // Writes the record into the layer's file, which then appears under its final name.
  void finishLayer(const LayerRecord& record);
  std::filesystem::path layerFile(int layer) const;

  // Finished layers are kept when the run fails or is cancelled.
  void keepOnFailure(bool keep) { keep_on_failure_ = keep; }
  // The run's results are in place: the folder goes.
  void complete();

 private:
  void takeOver(const RunFingerprint& fingerprint, ExistingPartial existing);
  void removeFolder() noexcept;

  std::filesystem::path output_, folder_;
  results::RunMetadata metadata_;
  int lock_fd_ = -1;
  std::map<int, LayerRecord> finished_;
  std::map<int, std::unique_ptr<results::ResultsWriter>> open_;
  results::ResultsWriter::Observer* observer_ = nullptr;
  std::vector<std::string> notes_;
  int resumed_ = 0;
  bool keep_on_failure_ = false;
  bool completed_ = false;
};

}  // namespace moescope::pipeline
