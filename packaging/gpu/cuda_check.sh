#!/usr/bin/env bash
# The CUDA check of a GPU server, in one command: builds the headless CLI and the benchmarks
# against the CUDA PyTorch that python3 imports (build_headless.sh), runs MoEScope on the demo
# model on the GPU and compares it with the CPU, then runs the two disk benchmarks on the GPU.
# Nothing here is part of CI, which has no GPU.
#
#   packaging/gpu/cuda_check.sh [--packages DIR] [--out DIR] [--layers N] [--device cuda|cpu] [--build DIR] [STAGE ...]
#
# STAGE: build, demo, bench-layer, bench-model, or all (default: build demo bench-layer); the
# stages after build reuse the build folder, so a second call can run what the first had no
# time for. --packages: the .deb files of fetch_packages.sh, for a server without the -dev
# packages. --layers: layers of bench_full_model's checkpoint (default 16, about 14 GB).
# --device cpu: a dry run of the whole script on a machine without a GPU (the "GPU" runs then
# run on the CPU too). --build: the build folder (default build/headless-cuda).
# Everything printed goes to OUT/cuda_check.log too (default OUT: build/cuda-check), and one
# line per check to OUT/summary.txt: "PASS name", "FAIL name: why" or "INFO name: figure".
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
packages="" out="$here/build/cuda-check" build="$here/build/headless-cuda" layers=16 gpu=cuda stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --packages) packages=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    --device) gpu=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    build|demo|bench-layer|bench-model) stages+=("$1"); shift ;;
    all) stages+=(build demo bench-layer bench-model); shift ;;
    *) echo "usage: packaging/gpu/cuda_check.sh [--packages DIR] [--out DIR] [--layers N] [--device cuda|cpu] [--build DIR] [build|demo|bench-layer|bench-model|all ...]" >&2; exit 2 ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=(build demo bench-layer)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=${TMPDIR:-/tmp}/moescope-cuda-check
mkdir -p "$work"
exec > >(tee -a "$out/cuda_check.log") 2>&1
summary=$out/summary.txt
: > "$summary"
record() { echo "$*" | tee -a "$summary"; }
stage() { echo; echo "== $1 ($(date -u +%H:%M:%S))"; }
# A benchmark's figures on one line: the cold read, each run's time and ratio, the GEMM share.
brief() {
  awk '/cold sequential read/ { match($0, /read [0-9.]+ s/); printf "read %s; ", substr($0, RSTART + 5, RLENGTH - 5) }
       /x the cold read/ { split($0, part, ":"); name = part[1]; gsub(/ +/, " ", name)
                           match($0, /[0-9.]+ s( =)? +[0-9.]+x/); v = substr($0, RSTART, RLENGTH); gsub(/ +/, " ", v)
                           printf "%s %s; ", name, v }
       /GFLOP\/s = / { match($0, /[0-9.]+ GFLOP\/s = [0-9]+%/); printf "all-experts %s of the GEMM rate", substr($0, RSTART, RLENGTH) }' "$1"
}

stage "machine"
nvidia-smi -L 2>&1 || true
python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda, "GPU available:", torch.cuda.is_available())' 2>&1 || true
echo "cores: $(nproc); $(cmake --version | head -n1); $(c++ --version | head -n1)"

# The packages' libraries the server lacks (build_headless.sh), for the stages that run programs.
use_build_environment() {
  # shellcheck disable=SC1091
  if [ -f "$build/environment.sh" ]; then . "$build/environment.sh"; fi
}
use_build_environment

cli=$build/app/moescope-cli
bench=$build/tests/bench
for s in "${stages[@]}"; do
  case "$s" in
    build)
      stage "build"
      args=(--benchmarks --build "$build")
      [ -n "$packages" ] && args+=(--packages "$packages")
      start=$SECONDS
      if "$here/packaging/gpu/build_headless.sh" "${args[@]}" > "$out/build.log" 2>&1; then
        record "PASS build: $((SECONDS - start)) s"
        use_build_environment
      else
        # Every compile error at once, not only the first target's: a second pass keeps going.
        cmake --build "$build" -- -k 0 >> "$out/build.log" 2>&1
        grep -n -E "error|Error" "$out/build.log" | head -n 60
        tail -n 30 "$out/build.log"
        record "FAIL build: see build.log"
        exit 1
      fi
      ;;

    demo)
      stage "demo model: $gpu against cpu"
      demo=$work/demo
      rm -rf "$demo" && "$cli" make-demo "$demo" > /dev/null
      text="The quick brown fox jumps over the lazy dog, and the experts of every layer route it."
      "$cli" inspect "$demo" | head -n 3
      for device in cpu "$gpu"; do
        "$cli" route "$demo" --text "$text" --device "$device" --dtype float32 --json > "$work/route-$device.json" \
          || record "FAIL route --device $device"
      done
      if "$cli" compare-routing "$work/route-cpu.json" "$work/route-$gpu.json" > "$work/compare-routing.txt" 2>&1; then
        agreement=$(sed -n 's/.*"mean_top1_agreement": *\([0-9.eE+-]*\).*/\1/p' "$work/compare-routing.txt")
        # float32 on both: only the order of the sums differs, so a token may change its top
        # expert only where two experts' logits nearly tie.
        if awk -v a="${agreement:-0}" 'BEGIN { exit !(a >= 0.99) }'; then
          record "PASS route $gpu float32 vs cpu: top-1 agreement $agreement"
        else
          record "FAIL route $gpu float32 vs cpu: top-1 agreement ${agreement:-unknown}"
        fi
      else
        cat "$work/compare-routing.txt"
        record "FAIL route $gpu float32 vs cpu: compare-routing failed"
      fi

      for run in "cpu float32" "$gpu float32" "$gpu bfloat16"; do
        read -r device dtype <<< "$run"
        start=$SECONDS
        if "$cli" analyze "$demo" --text "$text" --device "$device" --dtype "$dtype" --out "$work/demo-$device-$dtype.h5" --quiet; then
          record "PASS analyze demo --device $device --dtype $dtype: $((SECONDS - start)) s"
        else
          record "FAIL analyze demo --device $device --dtype $dtype"
        fi
      done
      # The same model, tokens and float32 arithmetic: only the order of the sums differs.
      if "$cli" diff "$work/demo-cpu-float32.h5" "$work/demo-$gpu-float32.h5" /layers --tolerance 1e-3 --max-differences 40; then
        record "PASS analyze $gpu float32 = cpu float32 within 1e-3 (every dataset of /layers)"
      else
        record "FAIL analyze $gpu float32 differs from cpu float32 beyond 1e-3 (listed above)"
      fi
      # The weight analyses read the stored weights whatever the compute dtype (bfloat16 here,
      # the GPU's default): only the order of their float32 block sums may differ.
      static=()
      for layer in $("$cli" summary "$work/demo-cpu-float32.h5" --json | awk '/"layers": \[/ { on = 1; next } on && /\]/ { exit } on { gsub(/[ ,]/, ""); print }'); do
        for name in weights_similarity neuron_mean_similarity gate_embedding_similarity pca_matrix pca_neuron; do
          static+=("/layers/$layer/$name")
        done
      done
      if [ ${#static[@]} -gt 0 ] && "$cli" diff "$work/demo-cpu-float32.h5" "$work/demo-$gpu-bfloat16.h5" "${static[@]}" --tolerance 1e-5 --max-differences 40; then
        record "PASS weight analyses on $gpu in bfloat16 = cpu float32 within 1e-5 (${#static[@]} datasets)"
      else
        record "FAIL weight analyses on $gpu in bfloat16 differ from cpu float32 beyond 1e-5 (listed above)"
      fi
      "$cli" summary "$work/demo-$gpu-bfloat16.h5" | head -n 20

      if "$cli" generate "$demo" --text "$text" --max-new-tokens 8 --device "$gpu" --out "$work/generate.h5" > "$work/generate.txt" 2>&1; then
        record "PASS generate --device $gpu"
      else
        tail -n 5 "$work/generate.txt"
        record "FAIL generate --device $gpu"
      fi
      if "$cli" compare-experts "$demo" "$demo" --device "$gpu" > "$work/compare-experts.txt" 2>&1; then
        record "PASS compare-experts --device $gpu"
      else
        tail -n 5 "$work/compare-experts.txt"
        record "FAIL compare-experts --device $gpu"
      fi
      # No GPU visible: a clear error, exit status 2.
      [ "$gpu" = cuda ] || continue
      CUDA_VISIBLE_DEVICES="" "$cli" route "$demo" --text "$text" --device cuda > "$work/no-gpu.txt" 2>&1
      status=$?
      if [ "$status" -eq 2 ] && grep -q -- "--device cpu" "$work/no-gpu.txt"; then
        record "PASS --device cuda without a visible GPU: exit 2, $(head -n1 "$work/no-gpu.txt")"
      else
        record "FAIL --device cuda without a visible GPU: exit $status, $(head -n1 "$work/no-gpu.txt")"
      fi
      ;;

    bench-layer)
      stage "bench_layer_io --device $gpu"
      if "$bench/bench_layer_io" --device "$gpu" --all-experts --dir "$work/bench-layer" --keep | tee "$out/bench_layer_io.txt"; then
        record "INFO bench_layer_io --device $gpu: $(brief "$out/bench_layer_io.txt")"
      else
        record "FAIL bench_layer_io --device $gpu"
      fi
      ;;

    bench-model)
      stage "bench_full_model --device $gpu ($layers layers)"
      if "$bench/bench_full_model" --device "$gpu" --layers "$layers" --dir "$work/bench-model" --keep | tee "$out/bench_full_model.txt"; then
        record "INFO bench_full_model --device $gpu: $(brief "$out/bench_full_model.txt")"
      else
        record "FAIL bench_full_model --device $gpu"
      fi
      ;;
  esac
done
stage "summary"
cat "$summary"
! grep -q "^FAIL" "$summary"
