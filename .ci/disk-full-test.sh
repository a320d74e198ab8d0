#!/usr/bin/env bash
# CI test: a real full file system (a small tmpfs) under a training run and under a sweep's table.
#   1. A run trains 2 epochs into the tmpfs; the disk is filled to 64 KiB free; extending the run to
#      4 epochs trains epoch 3, then fails writing checkpoint epoch-0003: exit 1, one 'error:' line
#      naming that folder and "No space left on device", no temporary folder left, epoch-0002 unchanged.
#   2. With the disk filled completely the next resume fails writing metrics.csv (the run's table):
#      the same one line, naming metrics.csv, and the old metrics.csv byte for byte unchanged.
#   3. Space freed, the run resumes from epoch-0002 and ends bit-identical to an uninterrupted
#      4-epoch run on a normal disk (test metrics, metrics.csv without timings, model/graph.sdz).
#   4. A finished smoke sweep in the tmpfs, disk filled: 'latentlab collect' fails with one line
#      naming results.csv (or .md) and leaves results.csv and results.md unchanged; with space
#      again it writes the same table.
# Needs root (mount) and a built checkout (cli/target/latentlab.jar, as after mvn verify).
# Usage: .ci/disk-full-test.sh
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
root=$(pwd)
if [ "$(id -u)" -ne 0 ]; then
    echo "error: .ci/disk-full-test.sh needs root to mount a tmpfs" >&2
    exit 1
fi
work=$root/.ci-work/disk-full
fs=$work/fs
if mountpoint -q "$fs" 2>/dev/null; then umount "$fs"; fi
rm -rf "$work"
mkdir -p "$fs"
mount -t tmpfs -o size=48m tmpfs "$fs"
trap 'umount "$fs" 2>/dev/null || true' EXIT
started=$(date +%s)

# The default thread choices: results are bit-identical between processes (DeterminismTest).
unset LATENTLAB_OP_THREADS
export LATENTLAB_JAVA_OPTS="-Xmx1g"
# --keep last and --no-tensorboard: the writes this test fills the disk at are the epoch checkpoint and metrics.csv,
# in that order; the best model's and the event file's writes go through the same atomic path (AtomicFiles).
train=(train --dataset mnist-sample --batch-size 64 --seed 5 --set hiddenSizes=32 --set latentSize=4
       --checkpoint-every 1 --keep last --no-tensorboard --no-progress)

fail() { echo "error: $*" >&2; exit 1; }
avail() { df -B1 --output=avail "$fs" | tail -1 | tr -d ' '; }
# fill_to BYTES: one more filler file, so that BYTES stay free
fill_to() {
    local n; n=$(( $(avail) - $1 ))
    if [ "$n" -gt 0 ]; then
        fallocate -l "$n" "$fs/filler.$RANDOM" 2>/dev/null || dd if=/dev/zero of="$fs/filler.$RANDOM" bs=4096 count=$((n / 4096)) status=none
    fi
}
# expect_failure NAME PATTERN: the command's log holds exactly one 'error:' line, it matches PATTERN
# and "No space left on device", there is no stack trace, and the exit status was 1.
expect_failure() {
    local name=$1 pattern=$2 rc=$3 log=$work/$1.log
    [ "$rc" = 1 ] || { cat "$log"; fail "$name: exit status $rc, expected 1"; }
    local errors; errors=$(grep -c '^error: ' "$log" || true)
    [ "$errors" = 1 ] || { cat "$log"; fail "$name: $errors 'error:' lines, expected 1"; }
    local line; line=$(grep '^error: ' "$log")
    echo "   $name: exit 1, $line"
    grep -q $'^\tat ' "$log" && { cat "$log"; fail "$name: a stack trace was printed"; }
    [[ "$line" =~ $pattern ]] || fail "$name: the error does not name $pattern"
    [[ "$line" == *"No space left on device"* ]] || fail "$name: the error does not say 'No space left on device'"
}
leftovers() { find "$@" -maxdepth 1 -name '.*' \( -name '*.tmp' -o -name '*.new*' -o -name '*.old*' \) | wc -l; }
strip_timing() {  # metrics.csv without its last two columns (train_seconds, samples_per_second)
    awk -F, '{ line = ""; for (i = 1; i <= NF - 2; i++) line = line $i ","; print line }' "$1"
}
test_metrics() { grep -E '"(test_[a-z_]+|epochs_completed)"' "$1"; }

echo "== reference: 4 epochs on a normal disk"
./latentlab "${train[@]}" --epochs 4 --out "$work/reference" >"$work/reference.log" 2>&1 \
    || { cat "$work/reference.log"; fail "reference run failed"; }

run=$fs/run
echo "== 2 epochs into a ${fs##*/} tmpfs of $(( $(df -B1 --output=size "$fs" | tail -1) / 1048576 )) MiB"
./latentlab "${train[@]}" --epochs 2 --out "$run" >"$work/first.log" 2>&1 || { cat "$work/first.log"; fail "first run failed"; }
echo "   checkpoint size: $(du -sk "$run/checkpoints/epoch-0002" | cut -f1) KiB"

echo "== disk full at checkpoint epoch-0003 (64 KiB free)"
fill_to 65536
before_cp=$(cd "$run/checkpoints/epoch-0002" && find . -type f -exec md5sum {} + | sort)
set +e; ./latentlab train --resume --epochs 4 --no-tensorboard --no-progress --out "$run" >"$work/checkpoint-full.log" 2>&1; rc=$?; set -e
expect_failure checkpoint-full 'checkpoints/epoch-0003' "$rc"
[ ! -e "$run/checkpoints/epoch-0003" ] || fail "a checkpoint epoch-0003 appeared"
[ "$(leftovers "$run" "$run/checkpoints")" = 0 ] || { ls -la "$run" "$run/checkpoints"; fail "temporary files were left"; }
[ "$before_cp" = "$(cd "$run/checkpoints/epoch-0002" && find . -type f -exec md5sum {} + | sort)" ] \
    || fail "checkpoint epoch-0002 changed"
grep -q 'latentlab train --resume --out' "$work/checkpoint-full.log" || fail "the error does not say how to resume"

echo "== disk full at metrics.csv (0 bytes free)"
fill_to 0
cp "$run/metrics.csv" "$work/metrics-before.csv"
set +e; ./latentlab train --resume --no-tensorboard --no-progress --out "$run" >"$work/table-full.log" 2>&1; rc=$?; set -e
expect_failure table-full 'metrics\.csv' "$rc"
cmp -s "$work/metrics-before.csv" "$run/metrics.csv" || fail "metrics.csv changed after the failed write"
[ "$(leftovers "$run" "$run/checkpoints")" = 0 ] || { ls -la "$run"; fail "temporary files were left"; }

echo "== space freed: resume from epoch-0002"
rm -f "$fs"/filler.*
./latentlab train --resume --no-tensorboard --no-progress --out "$run" >"$work/resume.log" 2>&1 || { cat "$work/resume.log"; fail "resume failed"; }
grep -q 'resuming .* from epoch-0002' "$work/resume.log" || { cat "$work/resume.log"; fail "did not resume from epoch-0002"; }
diff <(test_metrics "$work/reference/summary.json") <(test_metrics "$run/summary.json") \
    || fail "test metrics differ from the uninterrupted run's"
diff <(strip_timing "$work/reference/metrics.csv") <(strip_timing "$run/metrics.csv") \
    || fail "metrics.csv differs from the uninterrupted run's"
cmp "$work/reference/model/graph.sdz" "$run/model/graph.sdz" || fail "the final parameters differ from the uninterrupted run's"
echo "   resumed run equals the uninterrupted one: $(grep '"test_neg_elbo"' "$run/summary.json" | tr -d ' ,')"

echo "== sweep table on a full disk"
rm -rf "$run"
./latentlab sweep smoke-sweep --out "$fs/sweep" >"$work/sweep.log" 2>&1 || { cat "$work/sweep.log"; fail "smoke sweep failed"; }
cp "$fs/sweep/results.csv" "$work/results-before.csv"
cp "$fs/sweep/results.md" "$work/results-before.md"
fill_to 0
set +e; ./latentlab collect --sweep "$fs/sweep" >"$work/collect-full.log" 2>&1; rc=$?; set -e
expect_failure collect-full 'results\.(csv|md)' "$rc"
cmp -s "$work/results-before.csv" "$fs/sweep/results.csv" || fail "results.csv changed after the failed write"
cmp -s "$work/results-before.md" "$fs/sweep/results.md" || fail "results.md changed after the failed write"
[ "$(leftovers "$fs/sweep")" = 0 ] || { ls -la "$fs/sweep"; fail "temporary files were left"; }
rm -f "$fs"/filler.*
./latentlab collect --sweep "$fs/sweep" >"$work/collect.log" 2>&1 || { cat "$work/collect.log"; fail "collect failed"; }
cmp "$work/results-before.csv" "$fs/sweep/results.csv" || fail "collect wrote another table"

echo "== disk-full test passed in $(( $(date +%s) - started )) s"
