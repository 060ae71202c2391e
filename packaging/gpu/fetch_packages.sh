#!/usr/bin/env bash
# Downloads, on a Debian 12 machine with the build's packages installed (packaging/setup.sh
# build installs them), the Debian packages that the headless build needs beyond a compiler,
# CMake and libtorch: the -dev packages of HDF5, nlohmann-json, CLI11, sentencepiece and PCRE2,
# and every shared library those libraries load (as ldd resolves them here), except the C and
# C++ runtimes that every Linux has, and pkgconf. Carry the folder to a GPU server that cannot install
# packages (no root, or no network) and hand it to build_headless.sh --packages, which unpacks
# them without installing anything.
#
#   packaging/gpu/fetch_packages.sh [DIR]     (default: build/offline-packages)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/build/offline-packages}
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
libdir=/usr/lib/$multiarch

dev_packages=(libhdf5-dev nlohmann-json3-dev libcli11-dev libsentencepiece-dev libpcre2-dev
              pkgconf-bin libpkgconf3)  # pkgconf: CMake reads sentencepiece and PCRE2 through it
# The libraries MoEScope links from those packages; their dependencies are found with ldd.
libraries=("$libdir/libhdf5_serial.so" "$libdir/libsentencepiece.so" "$libdir/libsentencepiece_train.so"
           "$libdir/libpcre2-8.so")
# Present on every system a libtorch runs on; a copy from Debian could shadow a newer one.
everywhere=(libc6 libstdc++6 libgcc-s1 zlib1g)

for library in "${libraries[@]}"; do
  if [ ! -e "$library" ]; then
    echo "fetch_packages: $library is missing: install the build's packages first (packaging/setup.sh build)" >&2
    exit 2
  fi
done

# The package owning a file, whether dpkg recorded it under /usr/lib or under /lib (merged /usr).
owner() {
  local path=$1 real
  real=$(readlink -f "$path")
  for candidate in "$path" "$real" "${real#/usr}" "/usr${real#/usr}"; do
    if dpkg-query -S "$candidate" >/dev/null 2>&1; then
      dpkg-query -S "$candidate" | head -n1 | cut -d: -f1
      return
    fi
  done
  echo "fetch_packages: no package owns $path" >&2
  return 1
}

declare -A wanted=()
for p in "${dev_packages[@]}"; do wanted[$p]=1; done
for library in "${libraries[@]}"; do
  wanted[$(owner "$library")]=1                    # the -dev package of the link ...
  wanted[$(owner "$(readlink -f "$library")")]=1   # ... and the one of the library it names
  while read -r dependency; do
    [ -n "$dependency" ] && wanted[$(owner "$dependency")]=1
  done < <(ldd "$library" | awk '/=> \// {print $3}')
done
for p in "${everywhere[@]}"; do unset "wanted[$p]"; done

# A machine whose packages came preinstalled may have no package lists to download from (apt
# still knows the installed packages, but not where to get them).
if ! apt-get download --print-uris libhdf5-dev 2>/dev/null | grep -q "^'"; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -q
fi

mkdir -p "$out"
cd "$out"
rm -f ./*.deb
# apt-get download writes into the current folder; as root it warns that its sandbox user
# cannot write there, which is harmless.
apt-get download "${!wanted[@]}" 2>&1 | grep -v "couldn't be accessed by user '_apt'" || true
count=$(find . -maxdepth 1 -name '*.deb' | wc -l)
if [ "$count" -ne "${#wanted[@]}" ]; then
  echo "fetch_packages: downloaded $count of ${#wanted[@]} packages (${!wanted[*]})" >&2
  exit 1
fi
echo "fetch_packages: $count packages ($(du -sh . | cut -f1)) in $out"
