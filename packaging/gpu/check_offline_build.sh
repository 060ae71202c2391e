#!/usr/bin/env bash
# Proves on a Debian 12 machine (as root) that build_headless.sh --packages needs nothing of
# the system's own -dev packages: fetches them (fetch_packages.sh), then, in a private mount
# namespace where the system's copies of their headers, CMake and pkg-config files, libraries,
# pkgconf and h5cc read as empty, configures the headless build (benchmarks included) against
# the unpacked packages, builds the program that links HDF5, sentencepiece and PCRE2 without
# libtorch (moescope-results-probe; the build also runs the demo tokenizer's trainer, which
# loads sentencepiece) and has it read a results file through the packages' HDF5.
#
#   packaging/gpu/check_offline_build.sh RESULTS.h5 [BUILD]   (default BUILD: build/offline-check)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${1:-}" != --inside ]; then
  [ $# -ge 1 ] || { echo "usage: packaging/gpu/check_offline_build.sh RESULTS.h5 [BUILD]" >&2; exit 2; }
  [ -f "$here/build/offline-packages/.complete" ] || {
    "$here/packaging/gpu/fetch_packages.sh" "$here/build/offline-packages"
    touch "$here/build/offline-packages/.complete"
  }
  # Everything below runs where the mounts cannot leak into the rest of the system.
  exec unshare --mount --propagation private "$0" --inside "$@"
fi
shift
results=$(realpath "$1")
build=${2:-$here/build/offline-check}

empty_dir=$(mktemp -d)
empty_file=$(mktemp)
hide() {
  local path=$1
  if [ -d "$path" ] && [ ! -L "$path" ]; then
    mount --bind "$empty_dir" "$path"
  elif [ -f "$path" ] && [ ! -L "$path" ]; then
    mount --bind "$empty_file" "$path"   # not executable, no bytes
  fi
}
# The packages' own files: headers, CMake and pkg-config files; not links (one of libpcre2-dev's
# names the PCRE2 runtime that grep and others load).
hidden=0
for package in libhdf5-dev nlohmann-json3-dev libcli11-dev libsentencepiece-dev libpcre2-dev; do
  while read -r path; do
    case "$path" in
      /usr/include/*|*/cmake/*|*/pkgconfig/*) if [ -f "$path" ] && [ ! -L "$path" ]; then hide "$path"; hidden=$((hidden + 1)); fi ;;
    esac
  done < <(dpkg -L "$package")
done
# Libraries nothing of the toolchain loads, and the two programs CMake would ask.
for package in libhdf5-103-1 libsz2 libaec0 libsentencepiece0; do
  while read -r path; do
    case "$path" in
      */lib*.so.*) if [ -f "$path" ] && [ ! -L "$path" ]; then hide "$path"; hidden=$((hidden + 1)); fi ;;
    esac
  done < <(dpkg -L "$package")
done
for program in /usr/bin/pkgconf /usr/bin/h5cc; do
  if [ -e "$program" ]; then hide "$(readlink -f "$program")"; hidden=$((hidden + 1)); fi
done
echo "check_offline_build: $hidden files of the system's packages hidden"
pkg_config=$(type -P pkg-config || true)
if [ -s /usr/include/hdf5/serial/hdf5.h ] || { [ -n "$pkg_config" ] && [ -x "$pkg_config" ]; }; then
  echo "check_offline_build: the system's HDF5 headers or pkg-config are still visible" >&2
  exit 1
fi

"$here/packaging/gpu/build_headless.sh" --packages "$here/build/offline-packages" --build "$build" --benchmarks \
  --target moescope-results-probe
grep -q "offline-root" "$build/CMakeCache.txt"
# shellcheck disable=SC1091
. "$build/environment.sh"
probe=$build/core/moescope-results-probe
# It answers with its greeting ("moescope-results-probe 1") and exits 0 on a readable file.
if "$probe" "$results" | tr '\0' '\n' | head -n1 | grep -q "^moescope-results-probe"; then
  echo "check_offline_build: moescope-results-probe built against the unpacked packages read $results"
else
  echo "check_offline_build: moescope-results-probe could not read $results" >&2
  ldd "$probe" | grep -E "not found|hdf5" >&2 || true
  exit 1
fi
