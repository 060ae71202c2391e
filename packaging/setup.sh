#!/usr/bin/env bash
# One-step set-up on Debian 12: install the packages MoEScope builds with, build it, then
#   packaging/setup.sh run    start the explorer on the built-in demo model
#   packaging/setup.sh test   run the whole test suite (CTest)
#   packaging/setup.sh build  only install and build
set -euo pipefail

action=${1:-run}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  libqcustomplot-dev
  libtorch-dev libopenblas0-pthread
  libhdf5-dev nlohmann-json3-dev libsentencepiece-dev libpcre2-dev libcli11-dev
  xvfb xauth fonts-dejavu-core fonts-wqy-microhei
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake --preset release
cmake --build --preset release

case "$action" in
  build) ;;
  test)
    ctest --preset release
    ;;
  run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "No display found: starting MoEScope inside a virtual X server (xvfb-run)." >&2
      exec xvfb-run -a build/release/app/gui/moescope "${@:2}"
    fi
    exec build/release/app/gui/moescope "${@:2}"
    ;;
  *)
    echo "usage: packaging/setup.sh [run|test|build]" >&2
    exit 2
    ;;
esac
