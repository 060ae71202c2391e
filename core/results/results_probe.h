#pragma once
// Private to core/results. HDF5 1.10 is not hardened against damaged files: a crafted string
// heap makes it copy past its buffers, and no check made through its API sees every field it
// trusts (dataset_checks.h covers what can be seen). So before a results file is opened in
// this process, a child process reads all of it that the reader may later read in one go:
// every group, attribute and string dataset, and every numeric dataset up to
// kProbeElements values. Only when the child ends normally is the file opened here, and the
// parts the child could not read are refused without asking HDF5; a child that crashes or
// hangs makes the whole file MalformedFile.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "core/error.h"

namespace moescope::results::detail {

inline constexpr long long kProbeElements = 1 << 20;
// A child still reading after this long is taken to hang (damaged heaps make HDF5 1.10 loop):
// 10 s, and 1 s more per 20 MiB of file for the reading itself.
int probeSeconds(std::uintmax_t file_size);
// For the fuzzer only, which meets many hanging files: a fixed limit instead (0: as above).
void setProbeSecondsForFuzzing(int seconds);

// The child's way to name a part it could not read (any key the caller chooses) and the error
// it met there. This process must then not ask HDF5 for that part: what failed there, under
// the child's memory limit, may be an allocation of gigabytes here. It throws the child's
// error instead.
struct Damage {
  ErrorCategory category = ErrorCategory::MalformedFile;
  std::string message;
};
using DamageReport = std::function<void(const std::string& key, const Error& error)>;

// Runs `read_everything` in a forked child (holding the caller's Hdf5Lock, which the child
// inherits) and returns what it reported, by key. An Error escaping `read_everything` ends the
// child normally (this process meets it again, e.g. when HDF5 cannot open the file at all).
// Throws Error(MalformedFile) naming `path` when the child crashed, hung, ended on another
// exception or reported more than a file's worth of damage; Error(Internal) when no child can
// be made.
std::map<std::string, Damage> probeInChild(const std::filesystem::path& path,
                                           const std::function<void(const DamageReport&)>& read_everything);

}  // namespace moescope::results::detail
