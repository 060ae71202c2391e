#!/usr/bin/env bash
# packaging/test_package.sh BUILD_DIR [CPACK]: builds the .deb of a finished build with CPack,
# checks its dependencies and file list, extracts it into a fresh root (dpkg -x) and runs the
# installed copies from there, outside the source and build trees and with a bare
# environment: moescope-cli make-demo + inspect + analyze + summary (the results file read
# through the installed probe program), and the explorer headless (offscreen) on the demo. Run by CTest as package/install_deb (label "package").
set -euo pipefail

build=$(cd "$1" && pwd)
cpack=${2:-cpack}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test_package: $*" >&2; exit 1; }

"$cpack" --config "$build/CPackConfig.cmake" -B "$work/out" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(find "$work/out" -maxdepth 1 -name 'moescope_*.deb' | head -1)
[ -n "$deb" ] || fail "cpack made no moescope_*.deb"
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# Dependencies: the Debian runtime packages of what the binaries link, found by dpkg-shlibdeps.
depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
for library in libc6 libstdc++6 libtorch libhdf5 libpcre2-8; do
  grep -q "$library" <<< "$depends" || fail "Depends lacks $library"
done
gui=0
[ -x "$build/app/gui/moescope" ] && gui=1
[ $gui -eq 0 ] || grep -q "libqt6widgets6" <<< "$depends" || fail "Depends lacks libqt6widgets6"

# The file list, at FHS paths.
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
expect=(./usr/bin/moescope-cli ./usr/libexec/moescope/moescope-results-probe ./usr/share/doc/moescope/README.md)
[ $gui -eq 0 ] || expect+=(./usr/bin/moescope ./usr/share/applications/moescope.desktop
                           ./usr/share/icons/hicolor/scalable/apps/moescope.svg
                           ./usr/share/metainfo/io.github.moescope.MoEScope.metainfo.xml
                           ./usr/share/moescope/translations/moescope_de.qm
                           ./usr/share/moescope/translations/moescope_zh_CN.qm)
for path in "${expect[@]}"; do
  grep -qx "$path" <<< "$contents" || fail "the package lacks $path"
done

# Installed into a fresh root.
root=$work/root
dpkg -x "$deb" "$root"
for binary in "$root"/usr/bin/* "$root"/usr/libexec/moescope/*; do
  missing=$(ldd "$binary" | grep "not found" || true)
  [ -z "$missing" ] || fail "$(basename "$binary") needs libraries this system lacks: $missing"
done
if [ $gui -eq 1 ]; then
  if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$root/usr/share/applications/moescope.desktop"
  fi
  if command -v appstreamcli > /dev/null; then
    appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/io.github.moescope.MoEScope.metainfo.xml" ||
      fail "the AppStream metainfo does not validate"
  fi
fi

# The installed CLI needs nothing from the source or build tree: the demo's tokenizer and
# corpus are compiled in. Bare environment, working folder outside both trees.
cd "$work"
bare=(env -i "HOME=$work" "PATH=/usr/bin:/bin" "LANG=C.UTF-8")
"${bare[@]}" "$root/usr/bin/moescope-cli" make-demo "$work/demo" > /dev/null
inspect=$("${bare[@]}" "$root/usr/bin/moescope-cli" inspect "$work/demo" --json)
echo "inspect: $inspect"
grep -q '"family": *"mixtral"' <<< "$inspect" || fail "inspect of the demo names no mixtral family"
grep -q '"layers": *8' <<< "$inspect" || fail "inspect of the demo does not give 8 layers"
"${bare[@]}" "$root/usr/bin/moescope-cli" route "$work/demo" --text "As an open source alternative to" > /dev/null ||
  fail "the installed moescope-cli cannot route the demo"

# A results file is read first by the probe program (core/results/results_probe.h), which the
# installed CLI must find in ../libexec/moescope/ from itself, not in the build tree: a stand-in
# that leaves a mark and runs the real one shows which was started.
"${bare[@]}" "$root/usr/bin/moescope-cli" analyze "$work/demo" --text "As an open source alternative to" \
  --analyses routing --out "$work/results.h5" --quiet > /dev/null || fail "the installed moescope-cli cannot analyze the demo"
probe=$root/usr/libexec/moescope/moescope-results-probe
mv "$probe" "$probe.real"
printf '#!/bin/sh\ntouch "%s"\nexec "%s" "$@"\n' "$work/probe-ran" "$probe.real" > "$probe"
chmod 755 "$probe"
summary=$("${bare[@]}" "$root/usr/bin/moescope-cli" summary "$work/results.h5" --json) ||
  fail "the installed moescope-cli cannot read the results file it wrote"
grep -q '"top_k": *2' <<< "$summary" || fail "summary of the demo's results does not give top-k 2"
[ -f "$work/probe-ran" ] || fail "the installed moescope-cli did not start the installed results probe"
mv "$probe.real" "$probe"

# The installed explorer: writes its demo, analyses the default prompt, saves a screenshot.
if [ $gui -eq 1 ]; then
  "${bare[@]}" QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$work" timeout 300 \
    "$root/usr/bin/moescope" --screenshot "$work/shot.png" > "$work/gui.log" 2>&1 ||
    { cat "$work/gui.log" >&2; fail "the installed explorer failed"; }
  [ -s "$work/shot.png" ] || fail "the installed explorer saved no screenshot"
fi
echo "test_package: ok"
