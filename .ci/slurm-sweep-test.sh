#!/usr/bin/env bash
# CI test: a real single-node Slurm cluster on this machine runs the smoke sweep as a 4-task job
# array through docker/slurm/submit.sh; the collected table must equal a local run's (test
# metrics; timings differ). With LATENTLAB_TEST_IMAGE (an image .ci/docker-test.sh built), the sweep runs
# again as a 2-task array with each task and the collect job inside that image, started the way
# 'apptainer exec' would start them (.ci/buildah-exec.sh). Needs root (apt, munge, slurmd).
# Usage: [LATENTLAB_TEST_IMAGE=localhost/latentlab:cpu] .ci/slurm-sweep-test.sh
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
root=$(pwd)
# shellcheck source=.ci/lib.sh
. .ci/lib.sh
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

strip_timing "$work/slurm/results.csv" > "$work/slurm.csv"
same_table "$work/local/results.csv" "$work/slurm/results.csv" "the Slurm sweep"
completed=$(grep -c ',completed,' "$work/slurm.csv" || true)
[ "$completed" = 4 ] || { echo "error: expected 4 completed trials, got $completed" >&2; exit 1; }
# events.log (tab-separated: time, trial, event, pid=, host=, detail): each trial completed exactly once
once=$(awk -F'\t' '$3 == "completed" { n[$2]++ } END { k = 0; for (t in n) if (n[t] == 1) k++; print k }' "$work/slurm/events.log")
twice=$(awk -F'\t' '$3 == "completed" { n[$2]++ } END { for (t in n) if (n[t] > 1) print t }' "$work/slurm/events.log")
[ "$once" = 4 ] && [ -z "$twice" ] || { echo "error: events.log: $once trials completed once, more often: $twice" >&2; exit 1; }
hosts=$(cat "$work"/slurm/trials/*/status.json | grep -o '"pid" : [0-9]*' | sort -u | wc -l)
echo "== Slurm sweep matches the local run (4 trials, run by $hosts processes)"

if [ -n "${LATENTLAB_TEST_IMAGE:-}" ]; then
    echo "== the same sweep as a Slurm job array, each task inside $LATENTLAB_TEST_IMAGE"
    image_out=$work/slurm-image
    mkdir -p "$image_out"
    read -r _ array _ collect < <(LATENTLAB="$root/.ci/buildah-exec.sh --bind $image_out $LATENTLAB_TEST_IMAGE latentlab" \
        docker/slurm/submit.sh smoke-sweep "$image_out" 2)
    echo "   array job $array, collect job $collect"
    for _ in $(seq 900); do
        [ -z "$(squeue -h -j "$array,$collect" 2>/dev/null)" ] && break
        sleep 1
    done
    if [ -n "$(squeue -h -j "$array,$collect" 2>/dev/null)" ]; then
        echo "error: Slurm jobs still running after 15 minutes" >&2; squeue; exit 1
    fi
    [ -f "$image_out/results.csv" ] || { tail -20 "$image_out"/logs/*.out; echo "error: no results.csv" >&2; exit 1; }
    same_table "$work/local/results.csv" "$image_out/results.csv" "the Slurm sweep inside $LATENTLAB_TEST_IMAGE"
    inside=$(grep -l "^buildah-exec: $LATENTLAB_TEST_IMAGE" "$image_out"/logs/slurm-*.out | wc -l)
    [ "$inside" = 3 ] || { echo "error: $inside of 3 job logs (2 tasks, collect) say they ran in the image" >&2; exit 1; }
    commits=$(grep -ho '"git_commit" : "[0-9a-f]*"' "$image_out"/trials/*/model/provenance.json | sort -u)
    [ "$commits" = "\"git_commit\" : \"$(git rev-parse HEAD)\"" ] \
        || { echo "error: provenance inside the image: $commits" >&2; exit 1; }
    echo "== the Slurm sweep inside the image matches the local run (2 tasks, the image's commit in provenance)"
fi
