#!/usr/bin/env bash
# Entrypoint of the Latent Lab images: runs the latentlab command line with the given arguments.
#   docker run latentlab:cpu sweep smoke-sweep --out /results/smoke
# LATENTLAB_HOME holds latentlab.jar and lib/ (the image puts them in /opt/latentlab).
# LATENTLAB_JAVA_OPTS sets JVM options (default -Xmx4g; ND4J's native memory comes on top).
set -euo pipefail
home=${LATENTLAB_HOME:-/opt/latentlab}
if [ ! -f "$home/latentlab.jar" ]; then
    echo "error: $home/latentlab.jar not found; set LATENTLAB_HOME to the folder with latentlab.jar and lib/" >&2
    exit 1
fi
# ND4J picks its backend once at start-up, by priority: --backend must be turned into these first
# (and a GPU that DL4J M2.1's CUDA build cannot run is caught here). The image puts the script beside this one.
# shellcheck source=docker/latentlab-backend.sh
. "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/latentlab-backend.sh"
latentlab_backend "$@" || exit $?
# ND4J's OpenMP threads spin-wait between ops by default; on a few shared cores that costs more than
# the arithmetic. Measured 2026-11-22 on 2 cores, MLP VAE batch 128, 2nd epoch of full MNIST: 1,873
# samples/s by default, 3,881 with OMP_WAIT_POLICY=PASSIVE. A value set by the user wins.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The young generation is capped at 64 MB: G1 otherwise grows it toward 60% of the heap while a training loop
# makes little garbage, and every fresh page stays resident (bench, 2026-12-04, 2-core AMD EPYC: peak RSS of
# conv-ae training 939 MiB -> 753, vae512 1,249 (earlier run) -> 721). A -XX:MaxNewSize in LATENTLAB_JAVA_OPTS wins.
# shellcheck disable=SC2086
exec java -XX:MaxNewSize=64m ${LATENTLAB_JAVA_OPTS:--Xmx4g} -cp "$home/latentlab.jar:$home/lib/*" org.latentlab.cli.LatentLab "$@"
