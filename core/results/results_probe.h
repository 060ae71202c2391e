#pragma once
// Private to core/results. HDF5 1.10 is not hardened against damaged files: a crafted string
// heap makes it copy past its buffers, and no check made through its API sees every field it
// trusts (dataset_checks.h covers what can be seen). So before a results file is opened in
// this process, a separate program, moescope-results-probe (tools/results_probe_main.cpp),
// reads all of it that the reader may later read in one go: every group, attribute and string
// dataset, and every numeric dataset up to kProbeElements values. Only when that program ends
// normally is the file opened here, and the parts it could not read are refused without asking
// HDF5; a probe that crashes or hangs makes the whole file MalformedFile.
//
// Why a program of its own and not fork(): the explorer and libtorch run many threads, and a
// child forked from such a process may only make async-signal-safe calls until it execs; HDF5
// and malloc are not, and a lock another thread held at the fork hangs the child for good.
// The probe is started with posix_spawn (safe from any thread) and starts clean: its own
// memory limit (RLIMIT_AS, 1 GiB above what it maps at start), stdout a pipe back to us,
// stderr /dev/null (whatever a crashing HDF5 prints belongs to a file being refused), no
// descriptor of ours. It links moescope's results code only, not libtorch.
//
// Where it is (probeProgram()): $MOESCOPE_RESULTS_PROBE when set; else next to the running
// executable; else in ../libexec/moescope/ from it (an installed tree wherever it was
// unpacked); else in the configured libexec/moescope/ (cmake/Install.cmake); else in the
// build tree, so that tests and fuzzers run from there find it.
//
// What it writes to stdout: kProbeGreeting, then one record per part it could not read; every
// field NUL-terminated (HDF5 names may hold newlines). The greeting tells a probe that starts
// and then fails on the file (MalformedFile) from one that cannot run at all (Internal: a
// missing library, another version's probe), which would otherwise make every file "damaged".
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "core/error.h"

namespace moescope::results::detail {

inline constexpr long long kProbeElements = 1 << 20;
// A probe still reading after this long is taken to hang (damaged heaps make HDF5 1.10 loop):
// 10 s, and 1 s more per 20 MiB of file for the reading itself.
int probeSeconds(std::uintmax_t file_size);
// For the fuzzer only, which meets many hanging files: a fixed limit instead (0: as above).
void setProbeSecondsForFuzzing(int seconds);

// The probe's first field on stdout (with its NUL); the number is that of the record format.
inline constexpr char kProbeGreeting[] = "moescope-results-probe 1";
inline constexpr char kProbeProgramName[] = "moescope-results-probe";
inline constexpr char kProbeProgramVariable[] = "MOESCOPE_RESULTS_PROBE";
// The probe's exit status: it read the file, or met a moescope::Error that this process meets
// again when it opens the file (kProbeDone); it ended on another exception (kProbeIncomplete);
// it was started wrongly (kProbeUsage).
inline constexpr int kProbeDone = 0;
inline constexpr int kProbeUsage = 2;
inline constexpr int kProbeIncomplete = 3;

// The probe's way to name a part it could not read (any key the reader chooses) and the error
// it met there. This process must then not ask HDF5 for that part: what failed there, under
// the probe's memory limit, may be an allocation of gigabytes here. It throws the probe's
// error instead.
struct Damage {
  ErrorCategory category = ErrorCategory::MalformedFile;
  std::string message;
};
using DamageReport = std::function<void(const std::string& key, const Error& error)>;

// The probe program to start; Error(Internal) naming every place looked in when there is none
// (or when $MOESCOPE_RESULTS_PROBE names no executable file).
std::filesystem::path probeProgram();

// Runs the probe program on `path` and returns what it reported, by key. Throws
// Error(MalformedFile) naming `path` when the probe crashed, hung, ended on another exception
// or reported more than a file's worth of damage; Error(Internal) when it cannot be found or
// started, or ended without its greeting. Needs no lock: nothing of HDF5 runs here.
std::map<std::string, Damage> probeInChild(const std::filesystem::path& path);

// The probe program's side: sets its memory limit, writes the greeting, runs
// readWholeFile(path) with a report that writes records to stdout, and returns the exit status.
int runProbe(const std::filesystem::path& path);

// What the probe runs (results_reader.cpp): opens `path` as ResultsReader does and reads every
// part of it, reporting each one HDF5 fails on. An Error escaping means the file cannot be
// opened at all (the opening process meets it again).
void readWholeFile(const std::filesystem::path& path, const DamageReport& report);

}  // namespace moescope::results::detail
