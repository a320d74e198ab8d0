#!/usr/bin/env bash
# CI test: a real single-node Slurm cluster on this machine runs the smoke sweep as a 4-task job
# array through docker/slurm/submit.sh; the collected table must equal a local run's (test
# metrics; timings differ). Needs root (apt, munge, slurmd). Usage: .ci/slurm-sweep-test.sh
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
root=$(pwd)
work=$root/.ci-work/slurm
rm -rf "$work"
mkdir -p "$work"
.ci/slurm-local.sh install
eval "$(.ci/slurm-local.sh start "$work/cluster")"
trap '.ci/slurm-local.sh stop "$work/cluster"' EXIT

echo "== local run of smoke-sweep"
./latentlab sweep smoke-sweep --out "$work/local" >"$work/local.log" 2>&1 || { cat "$work/local.log"; exit 1; }

echo "== the same sweep as a Slurm job array"
read -r _ array _ collect < <(docker/slurm/submit.sh smoke-sweep "$work/slurm" 4)
echo "   array job $array, collect job $collect"
for _ in $(seq 900); do
    [ -z "$(squeue -h -j "$array,$collect" 2>/dev/null)" ] && break
    sleep 1
done
if [ -n "$(squeue -h -j "$array,$collect" 2>/dev/null)" ]; then
    echo "error: Slurm jobs still running after 15 minutes" >&2; squeue; exit 1
fi
cat "$work"/slurm/logs/slurm-collect-*.out | tail -3

strip_timing() {  # results.csv without the samples_per_second and train_seconds columns (no quoted commas here)
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = ($i == "samples_per_second" || $i == "train_seconds") }
             { line = ""; for (i = 1; i <= NF; i++) if (!drop[i]) line = line $i ","; print line }' "$1"
}
strip_timing "$work/local/results.csv" > "$work/local.csv"
strip_timing "$work/slurm/results.csv" > "$work/slurm.csv"
if ! diff "$work/local.csv" "$work/slurm.csv"; then
    echo "error: the Slurm sweep's table differs from the local run's" >&2
    exit 1
fi
completed=$(grep -c ',completed,' "$work/slurm.csv" || true)
[ "$completed" = 4 ] || { echo "error: expected 4 completed trials, got $completed" >&2; exit 1; }
# events.log (tab-separated: time, trial, event, pid=, host=, detail): each trial completed exactly once
once=$(awk -F'\t' '$3 == "completed" { n[$2]++ } END { k = 0; for (t in n) if (n[t] == 1) k++; print k }' "$work/slurm/events.log")
twice=$(awk -F'\t' '$3 == "completed" { n[$2]++ } END { for (t in n) if (n[t] > 1) print t }' "$work/slurm/events.log")
[ "$once" = 4 ] && [ -z "$twice" ] || { echo "error: events.log: $once trials completed once, more often: $twice" >&2; exit 1; }
hosts=$(cat "$work"/slurm/trials/*/status.json | grep -o '"pid" : [0-9]*' | sort -u | wc -l)
echo "== Slurm sweep matches the local run (4 trials, run by $hosts processes)"
