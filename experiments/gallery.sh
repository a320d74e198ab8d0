#!/usr/bin/env bash
# Runs the lecture experiments of docs/EXPERIMENTS.md at full scale (full MNIST), one after another, each into
# OUT/NAME with its HTML report, and appends each one's wall time to OUT/times.tsv. Interrupted? Run it again:
# completed trials are skipped, an interrupted one continues from its last checkpoint.
#
#   experiments/gallery.sh [--quick] [OUT] [NAME...]
#
# OUT defaults to runs/gallery; NAMEs default to every gallery experiment, in the gallery's order. --quick runs the
# quick versions (the shipped sample) instead. Extra options for every sweep: LATENTLAB_SWEEP_OPTS, e.g.
# LATENTLAB_SWEEP_OPTS="--data-dir /data" or "--workers 2".
set -euo pipefail
here=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
quick=()
scale=full
if [ "${1:-}" = "--quick" ]; then
    quick=(--quick)
    scale=quick
    shift
fi
out=${1:-runs/gallery}
[ $# -gt 0 ] && shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    names=(bottleneck ae-vs-pca regularised denoising sparsity latent-spaces beta pretraining anomaly generation)
fi
mkdir -p "$out"
[ -f "$out/times.tsv" ] || printf 'experiment\tscale\tseconds\tfinished\tcpu\n' >"$out/times.tsv"
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
for name in "${names[@]}"; do
    echo "== $name -> $out/$name" >&2
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$here/latentlab" sweep "$name" --out "$out/$name" --report "${quick[@]}" ${LATENTLAB_SWEEP_OPTS:-}
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$scale" "$(($(date +%s) - start))" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$cpu" >>"$out/times.tsv"
done
