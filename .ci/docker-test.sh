#!/usr/bin/env bash
# CI test: the images of docker/ built and run for real, without Docker Hub or an OCI runtime
# (the route of ../shared/recipes/container-images.md; README, "Docker"):
#  1. a local Debian 12 image (debootstrap: JDK 17, Maven, fontconfig) stands in for both public base
#     images, passed as the BUILD_IMAGE and RUNTIME_IMAGE build arguments;
#  2. podman builds docker/Dockerfile.cpu (chroot isolation; Maven offline against the local repository,
#     which 'mvn verify' has just filled), with the checkout's commit as GIT_COMMIT;
#  3. buildah runs the image's entrypoint (podman run needs an OCI runtime, which cannot start here):
#     --version; the smoke sweep into a mounted folder, as the image's non-root user and as another uid;
#     'latentlab report' on that folder. The results table must equal the same sweep run outside the
#     image, provenance.json must name the commit, and another host user must be able to read every file;
#  4. podman-compose reads docker/compose.yaml; its services' commands (two workers, then collect) run in
#     the image, through podman-compose where podman run works, else through buildah;
#  5. with LATENTLAB_CI_CUDA_IMAGE=1, the same for docker/Dockerfile.cuda (-Pcuda; about 3 GB of CUDA
#     jars are downloaded into the local Maven repository the first time): --backend auto falls back
#     to the CPU and says so, --backend cuda stops with the no-GPU message.
# Prints the time of each step and the image sizes. Leaves localhost/latentlab:cpu for the Slurm test.
# Needs root (apt, podman's storage). Usage: .ci/docker-test.sh
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
root=$(pwd)
# shellcheck source=.ci/lib.sh
. .ci/lib.sh
work=$root/.ci-work/docker
rm -rf "$work"
mkdir -p "$work"
start=$SECONDS
step() { echo "== docker: $1 ($((SECONDS - start)) s so far)"; }

missing=()
for tool in podman buildah debootstrap podman-compose; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    step "installing ${missing[*]} with apt"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        podman buildah debootstrap podman-compose fuse-overlayfs uidmap
fi

size_mb() { podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

# --- 1. the base image -----------------------------------------------------------------------------------
base=localhost/latentlab-ci-base:bookworm
if podman image exists "$base" && [ "${LATENTLAB_CI_REBUILD_BASE:-0}" != 1 ]; then
    step "base image $base exists (made $(podman image inspect --format '{{.Created}}' "$base" | cut -c1-19));" \
        "LATENTLAB_CI_REBUILD_BASE=1 makes it again"
else
    step "making the base image $base with debootstrap"
    rootfs=$work/rootfs
    debootstrap --variant=minbase \
        --include=openjdk-17-jdk-headless,maven,fontconfig,fonts-dejavu-core,ca-certificates \
        bookworm "$rootfs" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
    rm -f "$rootfs"/var/cache/apt/archives/*.deb
    tar -C "$rootfs" -c . | podman import --quiet - "$base" >/dev/null
    rm -rf "$rootfs"
fi
echo "   $base: $(size_mb "$base")"

# --- 2. the CPU image -------------------------------------------------------------------------------------
commit=$(git rev-parse HEAD)
dirty=false
[ -z "$(git status --porcelain --untracked-files=no)" ] || dirty=true
repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
build_image() { # build_image DOCKERFILE TAG [MAVEN_ARGS]
    podman build --isolation chroot --pull=never --network host \
        -v /etc/ssl/certs:/etc/ssl/certs:ro -v "$repo:/root/.m2/repository" \
        --build-arg BUILD_IMAGE="$base" --build-arg RUNTIME_IMAGE="$base" \
        --build-arg MAVEN_ARGS="${3:-}" --build-arg GIT_COMMIT="$commit" --build-arg GIT_DIRTY="$dirty" \
        -f "$1" -t "$2" . >"$work/build-$(basename "$2" | tr ':' '-').log" 2>&1 \
        || { tail -40 "$work/build-$(basename "$2" | tr ':' '-').log"; echo "error: podman build -f $1 failed" >&2; exit 1; }
}
step "building docker/Dockerfile.cpu"
t0=$SECONDS
build_image docker/Dockerfile.cpu localhost/latentlab:cpu -o
echo "   localhost/latentlab:cpu built in $((SECONDS - t0)) s: $(size_mb localhost/latentlab:cpu)"

# --- 3. running it ------------------------------------------------------------------------------------------
in_image() { # in_image IMAGE MOUNT [buildah run options...] -- COMMAND...: COMMAND in a fresh container of IMAGE
    local image=$1 mount=$2 c rc=0 opts=()
    shift 2
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    c=$(buildah from --pull-never --quiet "$image")
    buildah run --isolation chroot -v "$mount:/results" "${opts[@]}" "$c" "$@" || rc=$?
    buildah rm "$c" >/dev/null
    return "$rc"
}
out=$work/results
mkdir -p "$out"
chown 1000:1000 "$out" # the image's user, uid 1000, writes here
step "latentlab --version in the image"
in_image localhost/latentlab:cpu "$out" -- latentlab --version
uid=$(in_image localhost/latentlab:cpu "$out" -- id -u)
[ "$uid" != 0 ] || { echo "error: the image runs as root" >&2; exit 1; }
echo "   the image runs as uid $uid"

step "the smoke sweep outside the image"
./latentlab sweep smoke-sweep --out "$work/host" >"$work/host.log" 2>&1 || { tail -20 "$work/host.log"; exit 1; }
step "the smoke sweep inside the image, into the mounted folder"
t0=$SECONDS
in_image localhost/latentlab:cpu "$out" -- latentlab sweep smoke-sweep --out /results/smoke >"$work/image.log" 2>&1 \
    || { tail -20 "$work/image.log"; exit 1; }
echo "   $((SECONDS - t0)) s"
same_table "$work/host/results.csv" "$out/smoke/results.csv" "the smoke sweep inside localhost/latentlab:cpu"
echo "   results.csv equals the run outside the image (but for timing):"
sed 's/^/     /' "$out/smoke/results.md"
step "latentlab report inside the image"
in_image localhost/latentlab:cpu "$out" -- latentlab report /results/smoke >"$work/report.log" 2>&1 \
    || { tail -20 "$work/report.log"; exit 1; }
[ -s "$out/smoke/index.html" ] || { echo "error: report wrote no $out/smoke/index.html" >&2; exit 1; }
echo "   $(find "$out/smoke" -name '*.png' | wc -l) figures, $(find "$out/smoke" -name index.html | wc -l) pages"

step "the files on the mount: owner and who may read them"
strangers=$(find "$out/smoke" ! -uid 1000 | head -3)
[ -z "$strangers" ] || { echo "error: files not owned by the image's user (uid 1000): $strangers" >&2; exit 1; }
# Another host user (nobody) reads every file and lists every folder.
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    sh -c 'find "$1" -type d -exec ls {} + >/dev/null && find "$1" -type f -exec cat {} + >/dev/null' sh "$out/smoke" \
    || { echo "error: a host user other than the owner cannot read everything the image wrote" >&2; exit 1; }
echo "   $(find "$out/smoke" -type f | wc -l) files, all owned by uid 1000 and readable by nobody"

step "provenance inside the image"
bad=$(grep -L "\"git_commit\" : \"$commit\"" $(find "$out/smoke" -name provenance.json) || true)
[ -z "$bad" ] || { echo "error: provenance.json without git_commit $commit: $bad" >&2; cat "$bad" | head -20; exit 1; }
echo "   every provenance.json names $commit (git_dirty $dirty)"

step "another uid without an account in the image (docker run --user \"\$(id -u):\$(id -g)\")"
other=$work/other
mkdir -p "$other"
chown 4242:4242 "$other"
in_image localhost/latentlab:cpu "$other" --user 4242:4242 -- latentlab sweep smoke-sweep --out /results/smoke \
    >"$work/other.log" 2>&1 || { tail -20 "$work/other.log"; exit 1; }
same_table "$work/host/results.csv" "$other/smoke/results.csv" "the smoke sweep as uid 4242"
echo "   uid 4242 ran the sweep; the same table"

# --- 4. compose -----------------------------------------------------------------------------------------------
step "docker/compose.yaml: podman-compose reads it, and its services' commands run in the image"
# podman-compose 1.0.3 (Debian 12) has no 'config'; --dry-run parses the file, expands it and prints the
# containers it would create. 'podman run' cannot start a container here (crun cannot set rlimits), so
# unless it works, the services' commands run in the image through buildah: the two workers at once, then
# collect, as depends_on orders them.
podman-compose -f docker/compose.yaml --dry-run up --no-build >"$work/compose-dry-run.log" 2>&1 \
    || { cat "$work/compose-dry-run.log"; echo "error: podman-compose rejects docker/compose.yaml" >&2; exit 1; }
mapfile -t services < <(grep '^podman create' "$work/compose-dry-run.log" | sed -n 's/.*--network-alias \([^ ]*\) .*/\1/p')
mapfile -t commands < <(grep '^podman create' "$work/compose-dry-run.log" | sed -n 's/.* latentlab:cpu //p')
[ "${services[*]}" = "worker-0 worker-1 collect" ] && [ "${#commands[@]}" = 3 ] \
    || { cat "$work/compose-dry-run.log"; echo "error: expected services worker-0, worker-1, collect: ${services[*]}" >&2; exit 1; }
if timeout 120 podman run --rm localhost/latentlab:cpu --version >"$work/podman-run.log" 2>&1; then
    echo "   podman run works here: podman-compose up"
    mkdir -p results && chown 1000:1000 results
    podman-compose -f docker/compose.yaml up --no-build >"$work/compose-up.log" 2>&1 \
        || { tail -20 "$work/compose-up.log"; exit 1; }
    same_table "$work/host/results.csv" results/smoke-sweep/results.csv "the compose sweep"
else
    echo "   podman run cannot start a container here: $(grep -m1 -i 'error' "$work/podman-run.log" | cut -c1-150)"
    compose_out=$work/compose
    mkdir -p "$compose_out"
    chown 1000:1000 "$compose_out"
    for i in 0 1; do
        echo "   ${services[$i]}: latentlab ${commands[$i]}"
        # shellcheck disable=SC2086 # the command is the list of words compose would pass
        in_image localhost/latentlab:cpu "$compose_out" -- latentlab ${commands[$i]} >"$work/compose-$i.log" 2>&1 &
    done
    wait %1 || { tail -20 "$work/compose-0.log"; exit 1; }
    wait %2 || { tail -20 "$work/compose-1.log"; exit 1; }
    echo "   ${services[2]}: latentlab ${commands[2]}"
    # shellcheck disable=SC2086
    in_image localhost/latentlab:cpu "$compose_out" -- latentlab ${commands[2]} >"$work/compose-2.log" 2>&1 \
        || { tail -20 "$work/compose-2.log"; exit 1; }
    same_table "$work/host/results.csv" "$compose_out/smoke-sweep/results.csv" "compose's two workers and collect"
    echo "   the two workers and collect made the table of the run outside the image"
fi

# --- 5. the CUDA image (on request) ------------------------------------------------------------------------
if [ "${LATENTLAB_CI_CUDA_IMAGE:-0}" = 1 ]; then
    step "building docker/Dockerfile.cuda (-Pcuda)"
    t0=$SECONDS
    build_image docker/Dockerfile.cuda localhost/latentlab:cuda
    echo "   localhost/latentlab:cuda built in $((SECONDS - t0)) s: $(size_mb localhost/latentlab:cuda)"
    cuda_out=$work/cuda
    mkdir -p "$cuda_out"
    chown 1000:1000 "$cuda_out"
    step "--backend auto in the CUDA image, without a GPU"
    in_image localhost/latentlab:cuda "$cuda_out" -- latentlab sweep smoke-sweep --backend auto --out /results/smoke \
        >"$work/cuda-auto.log" 2>&1 || { tail -20 "$work/cuda-auto.log"; exit 1; }
    grep -m1 'backend: cpu (this build has the CUDA backend, but this machine shows no NVIDIA GPU' "$work/cuda-auto.log" \
        || { tail -20 "$work/cuda-auto.log"; echo "error: no fallback message" >&2; exit 1; }
    if grep -q $'^\tat ' "$work/cuda-auto.log"; then
        grep -m3 -B2 $'^\tat ' "$work/cuda-auto.log"; echo "error: a stack trace in the output of --backend auto" >&2; exit 1
    fi
    same_table "$work/host/results.csv" "$cuda_out/smoke/results.csv" "the smoke sweep in the CUDA image"
    step "--backend cuda in the CUDA image, without a GPU"
    if in_image localhost/latentlab:cuda "$cuda_out" -- latentlab train --backend cuda --out /results/cuda-run \
        >"$work/cuda-cuda.log" 2>&1; then
        echo "error: --backend cuda ran without a GPU" >&2
        exit 1
    fi
    grep -m1 'no usable NVIDIA GPU' "$work/cuda-cuda.log" \
        || { tail -20 "$work/cuda-cuda.log"; echo "error: no no-GPU message" >&2; exit 1; }
else
    echo "== docker: the CUDA image is not built (LATENTLAB_CI_CUDA_IMAGE=1 builds and runs it; see README)"
fi
step "done"
