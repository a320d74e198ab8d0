#!/usr/bin/env bash
# Submits a Latent Lab sweep to Slurm: an array of SHARDS tasks (each runs its shard of the
# trials) and a collect job that builds results.csv/results.md once they have all ended.
#   docker/slurm/submit.sh EXPERIMENT OUT [SHARDS]      e.g. docker/slurm/submit.sh smoke-sweep $PWD/results/smoke 4
# Extra sbatch options (partition, GPUs, time) go in SBATCH_OPTS, e.g. SBATCH_OPTS="-p gpu --gres=gpu:1".
# Prints the array job id and the collect job id.
set -euo pipefail
experiment=${1:?usage: submit.sh EXPERIMENT OUT [SHARDS]}
out=$(realpath -m "${2:?usage: submit.sh EXPERIMENT OUT [SHARDS]}")
shards=${3:-4}
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
root=$(cd -- "$here/../.." && pwd)
mkdir -p "$out/logs"
export EXPERIMENT=$experiment OUT=$out LATENTLAB_ROOT=$root
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_OPTS:-} --array=0-$((shards - 1)) --export=ALL \
    --output="$out/logs/slurm-%A_%a.out" "$here/sweep.sbatch")
launcher=${LATENTLAB:-$root/latentlab}
collect=$(sbatch --parsable --dependency=afterany:"$array" --job-name=latentlab-collect \
    --output="$out/logs/slurm-collect-%j.out" --wrap "$launcher collect --sweep '$out'")
echo "array $array collect $collect"
