#!/usr/bin/env bash
# Splits `moescope-cli analyze` over a Slurm job array, one task per range of MoE layers (and,
# with --texts-per-task, per range of the --text-file corpus's texts), and
# joins the shards with a merge job that starts when every task has succeeded
# (--dependency=afterok). A report job (afterany) names the tasks that failed; `--rerun`
# submits those tasks again, and a new merge (docs/resume-and-shards.md#slurm).
#
#   submit.sh [options] MODEL_DIR OUT.h5 -- ANALYZE_ARGS...   (e.g. --text-file wiki.csv)
#   submit.sh --rerun OUT.h5
# Options: --layers-per-task N (4)  --texts-per-task N (0: every text in each task)
#          --gpus N (0: none)  --partition P  --time T  --cpus N
#          --cli PATH (moescope-cli on the nodes)  --sbatch "EXTRA ARGS"
# The work folder OUT.h5.shards/ holds the plan, the shards part-<i>.h5, a part-<i>.failed note
# for each failed task, the tasks' logs and report.txt.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
layers_per_task=4 texts_per_task=0 gpus=0 partition="" time_limit="" cpus="" cli=moescope-cli extra="" rerun=0
while [ $# -gt 0 ]; do
  case "$1" in
    --layers-per-task) layers_per_task=$2; shift 2 ;;
    --texts-per-task) texts_per_task=$2; shift 2 ;;
    --gpus) gpus=$2; shift 2 ;;
    --partition) partition=$2; shift 2 ;;
    --time) time_limit=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    --sbatch) extra=$2; shift 2 ;;
    --rerun) rerun=1; shift ;;
    --) break ;;
    -*) echo "submit.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done

if [ "$rerun" = 1 ]; then
  out=$(realpath -m "${1:?submit.sh --rerun OUT.h5}")
  work=$out.shards
  [ -f "$work/plan" ] || { echo "submit.sh: $work/plan is missing: nothing was submitted for $out" >&2; exit 2; }
else
  model=$(realpath "${1:?submit.sh MODEL_DIR OUT.h5 -- ANALYZE_ARGS...}")
  out=$(realpath -m "${2:?submit.sh MODEL_DIR OUT.h5 -- ANALYZE_ARGS...}")
  shift 2
  [ "${1:-}" = "--" ] && shift
  work=$out.shards
  mkdir -p "$work"
  # The MoE layers, in ranges of --layers-per-task.
  indices=$("$cli" inspect "$model" --json | tr -d '\n ' | grep -o '"moe_layer_indices":\[[0-9,]*\]' | grep -o '[0-9][0-9,]*')
  IFS=, read -r -a layers <<< "$indices"
  [ ${#layers[@]} -gt 0 ] || { echo "submit.sh: $model has no MoE layer" >&2; exit 2; }
  # The corpus's texts, in ranges of --texts-per-task ("": every text), as the plan counts them.
  text_parts=("")
  if [ "$texts_per_task" -gt 0 ]; then
    plan=$("$cli" analyze "$model" "$@" --plan) || exit 2
    texts=$(sed -n 's/^plan: [0-9]* MoE layers, \([0-9]*\) texts, .*/\1/p' <<< "$plan")
    if [ -n "$texts" ]; then
      text_parts=()
      for ((t = 0; t < texts; t += texts_per_task)); do
        last=$((t + texts_per_task - 1)); [ $last -lt "$texts" ] || last=$((texts - 1))
        if [ $last -eq $t ]; then text_parts+=("$t"); else text_parts+=("$t-$last"); fi
      done
    fi
  fi
  {
    printf 'scripts=%q\ncli=%q\nmodel=%q\nout=%q\nsbatch=%q\n' "$here" "$cli" "$model" "$out" \
      "${partition:+--partition=$partition }${time_limit:+--time=$time_limit }${cpus:+--cpus-per-task=$cpus }$( [ "$gpus" -gt 0 ] && echo "--gres=gpu:$gpus " )$extra"
    printf 'args=(' ; printf '%q ' "$@"; printf ')\n'
    # Task i analyses layers ranges[i] over texts text_ranges[i] ('': every text).
    layer_parts=()
    for ((i = 0; i < ${#layers[@]}; i += layers_per_task)); do
      last=$((i + layers_per_task - 1)); [ $last -lt ${#layers[@]} ] || last=$((${#layers[@]} - 1))
      layer_parts+=("${layers[$i]}-${layers[$last]}")
    done
    ranges=() text_ranges=()
    for part in "${layer_parts[@]}"; do
      for texts_part in "${text_parts[@]}"; do ranges+=("$part"); text_ranges+=("$texts_part"); done
    done
    printf 'ranges=(' ; printf '%q ' "${ranges[@]}"; printf ')\n'
    printf 'text_ranges=(' ; printf '%q ' "${text_ranges[@]}"; printf ')\n'
  } > "$work/plan"
fi

# shellcheck source=/dev/null
source "$work/plan"
tasks=()
for i in "${!ranges[@]}"; do
  if [ "$rerun" = 0 ] || [ ! -f "$work/part-$i.h5" ]; then tasks+=("$i"); fi
done
if [ ${#tasks[@]} -eq 0 ]; then
  echo "every shard of $out is there: submitting the merge only"
fi
rm -f "$work/report.txt"
for i in "${tasks[@]}"; do rm -f "$work/part-$i.failed"; done
dependency=""
if [ ${#tasks[@]} -gt 0 ]; then
  list=$(IFS=,; echo "${tasks[*]}")
  # shellcheck disable=SC2086
  array=$(sbatch --parsable $sbatch --job-name=moescope-shard --array="$list" \
    --output="$work/shard-%a.log" "$here/shard_task.sbatch" "$work")
  array=${array%%;*}
  dependency="--dependency=afterok:$array"
  sbatch --parsable --job-name=moescope-report --dependency="afterany:$array" --output="$work/report.log" \
    "$here/report_task.sbatch" "$work" > /dev/null
  echo "submitted $array: ${#tasks[@]} of ${#ranges[@]} shards ($list)"
fi
# shellcheck disable=SC2086
merge=$(sbatch --parsable $sbatch --job-name=moescope-merge $dependency --kill-on-invalid-dep=yes \
  --output="$work/merge.log" "$here/merge_task.sbatch" "$work")
echo "submitted ${merge%%;*}: merge into $out once every shard has succeeded"
