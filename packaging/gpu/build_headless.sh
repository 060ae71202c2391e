#!/usr/bin/env bash
# Builds the headless preset (the core library and moescope-cli, no Qt) on a machine such as a
# GPU server: against the libtorch of the PyTorch that python3 imports (a CUDA PyTorch gives a
# CUDA-capable MoEScope; the same sources build against Debian's CPU libtorch) or the one given
# with --torch; with --packages, against the Debian packages that fetch_packages.sh downloaded,
# unpacked into the build folder without installing anything (no root, no network needed).
#
#   packaging/gpu/build_headless.sh [--torch PREFIX] [--packages DIR] [--benchmarks]
#                                   [--build DIR] [--jobs N] [--target T]
#
# --torch PREFIX  a libtorch folder or PyTorch's share/cmake folder (default: python3's torch,
#                 else the system's libtorch)
# --benchmarks    also the benchmarks of tests/bench that need no Qt (bench_layer_io, ...)
# --build DIR     build folder (default: build/headless)
# --target T      build only target T (e.g. moescope-results-probe: no libtorch code)
#
# The libraries of those packages that the system lacks are linked into BUILD/offline-lib;
# BUILD/environment.sh sets LD_LIBRARY_PATH for them (source it before running the programs).
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
torch="" packages="" benchmarks=OFF build="$here/build/headless" jobs=$(nproc) target=()
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) torch=$2; shift 2 ;;
    --packages) packages=$(cd "$2" && pwd); shift 2 ;;
    --benchmarks) benchmarks=ON; shift ;;
    --build) build=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --target) target=(--target "$2"); shift 2 ;;
    *) echo "usage: packaging/gpu/build_headless.sh [--torch PREFIX] [--packages DIR] [--benchmarks] [--build DIR] [--jobs N] [--target T]" >&2; exit 2 ;;
  esac
done
mkdir -p "$build"
build=$(cd "$build" && pwd)

if [ -z "$torch" ] && python3 -c 'import torch' 2>/dev/null; then
  torch=$(python3 -c 'import sys, torch; sys.stdout.write(torch.utils.cmake_prefix_path)')
  echo "build_headless: PyTorch $(python3 -c 'import torch; print(torch.__version__)') from python3: $torch"
fi

# A CUDA libtorch's CMake files look for the CUDA toolkit, often installed off the PATH.
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi

# A .deb unpacked without installing it: dpkg-deb where there is one, else its data member
# taken out with ar (binutils, beside every compiler) and tar.
unpack() {
  local deb=$1 into=$2 tmp member
  if command -v dpkg-deb >/dev/null 2>&1; then
    dpkg-deb -x "$deb" "$into"
    return
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && ar x "$deb")
  member=$(find "$tmp" -maxdepth 1 -name 'data.tar*' | head -n1)
  tar -xf "$member" -C "$into"
  rm -rf "$tmp"
}

prefix_path=()
[ -n "$torch" ] && prefix_path+=("$torch")
cmake_args=()
library_path=""
if [ -n "$packages" ]; then
  root=$build/offline-root
  fallback=$build/offline-lib
  shopt -s nullglob
  debs=("$packages"/*.deb)
  if [ ${#debs[@]} -eq 0 ]; then
    echo "build_headless: no .deb files in $packages (packaging/gpu/fetch_packages.sh fetches them)" >&2
    exit 2
  fi
  # Unpacked once: the same packages again leave the files (and the build) as they are.
  unpacked=$(for deb in "${debs[@]}"; do basename "$deb"; done)
  if [ "$unpacked" != "$(cat "$root/.unpacked" 2>/dev/null)" ]; then
    rm -rf "$root"
    mkdir -p "$root"
    for deb in "${debs[@]}"; do unpack "$deb" "$root"; done
    echo "$unpacked" > "$root/.unpacked"
  fi
  rm -rf "$fallback"
  mkdir -p "$fallback"
  multiarch=x86_64-linux-gnu
  # A library the loader already finds on this system (a non-empty file under the name it
  # asks for) stays the system's: a Debian 12 copy must not shadow a newer one.
  declare -A present=()
  while read -r name path; do
    if [ -s "$path" ]; then present[$name]=1; fi
  done < <(/sbin/ldconfig -p 2>/dev/null | awk '/=>/ {print $1, $NF}')
  while IFS= read -r -d '' library; do
    soname=$(readelf -d "$library" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    if [ -n "$soname" ] && [ -z "${present[$soname]:-}" ]; then ln -sf "$library" "$fallback/$soname"; fi
  done < <(find "$root/lib" "$root/usr/lib" -name 'lib*.so.*' -type f -print0 2>/dev/null)
  echo "build_headless: $(find "$fallback" -type l | wc -l) libraries from the packages that this system lacks, in $fallback"
  library_path=$fallback
  export LD_LIBRARY_PATH="$fallback${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

  prefix_path+=("$root/usr")
  # FindHDF5 knows Debian's hdf5/serial folders below a prefix; the others are found by their
  # CMake config (nlohmann-json, CLI11) or pkg-config files (sentencepiece, PCRE2).
  export PKG_CONFIG_PATH="$root/usr/lib/$multiarch/pkgconfig:$root/usr/share/pkgconfig"
  export PKG_CONFIG_SYSROOT_DIR="$root"
  pkg_config=$(type -P pkg-config || true)
  if [ -z "$pkg_config" ] || [ ! -x "$pkg_config" ]; then
    cmake_args+=("-DPKG_CONFIG_EXECUTABLE=$root/usr/bin/pkgconf")
  fi
fi
if [ ${#prefix_path[@]} -gt 0 ]; then
  cmake_args+=("-DCMAKE_PREFIX_PATH=$(IFS=';'; echo "${prefix_path[*]}")")
fi

# CMake 4 refuses CMake files asking for policies older than 3.5; some packages' config files
# still name such a range (older CMake ignores the variable).
export CMAKE_POLICY_VERSION_MINIMUM=${CMAKE_POLICY_VERSION_MINIMUM:-3.5}
cd "$here"
cmake --preset headless -B "$build" -DMOESCOPE_BUILD_BENCHMARKS="$benchmarks" "${cmake_args[@]}"
cmake --build "$build" --parallel "$jobs" "${target[@]}"

{
  echo "# Source before running the programs of $build"
  [ -n "$library_path" ] && echo "export LD_LIBRARY_PATH=\"$library_path\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\""
  true
} > "$build/environment.sh"
if [ ${#target[@]} -gt 0 ]; then
  echo "build_headless: built ${target[1]} in $build"
else
  echo "build_headless: built $build/app/moescope-cli$([ "$benchmarks" = ON ] && echo " and the benchmarks in $build/tests/bench")"
fi
[ -n "$library_path" ] && echo "build_headless: before running them: source $build/environment.sh"
true
