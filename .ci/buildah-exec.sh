#!/usr/bin/env bash
# Runs a command inside a container image the way 'apptainer exec' does on a cluster, with buildah
# and chroot isolation (no OCI runtime can start a container on the CI machine; apptainer is not
# packaged in Debian 12): as the calling user, with the given folders bound at the same paths, and
# with the Slurm, shard and thread settings of the environment passed in.
#   .ci/buildah-exec.sh [--bind DIR]... IMAGE COMMAND [ARG...]
# e.g. LATENTLAB=".ci/buildah-exec.sh --bind $OUT localhost/latentlab:cpu latentlab" for docker/slurm/sweep.sbatch.
set -euo pipefail
binds=()
while [ "${1:-}" = --bind ]; do
    dir=$(realpath -m "$2")
    mkdir -p "$dir"
    binds+=(-v "$dir:$dir")
    shift 2
done
image=${1:?usage: buildah-exec.sh [--bind DIR]... IMAGE COMMAND [ARG...]}
shift
[ "$#" -gt 0 ] || { echo "usage: buildah-exec.sh [--bind DIR]... IMAGE COMMAND [ARG...]" >&2; exit 2; }
envs=()
while IFS= read -r name; do
    envs+=(--env "$name=${!name}")
done < <(compgen -e | grep -E '^(SLURM_|LATENTLAB_SHARD_|OMP_|OPENBLAS_|BACKEND_PRIORITY_)' || true)
container=$(buildah from --pull-never --quiet "$image")
trap 'buildah rm "$container" >/dev/null' EXIT
echo "buildah-exec: $image (container $container) as $(id -u):$(id -g): $*" >&2
buildah run --isolation chroot --user "$(id -u):$(id -g)" "${binds[@]}" "${envs[@]}" "$container" -- "$@"
