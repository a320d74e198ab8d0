# Sourced by ./latentlab and by the Docker entrypoint before the JVM starts:
#   latentlab_backend "$@"
# chooses OpenBLAS's kernels for this CPU (latentlab_openblas_core, below), and turns --backend
# auto|cpu|cuda into ND4J's backend priorities (ND4J picks its backend once, when it
# loads, so this must happen before the JVM starts), and checks the GPUs first.
#
# DL4J 1.0.0-M2.1's CUDA build (nd4j-cuda-11.6) has machine code for compute capability 3.7 to 8.6 and
# no PTX (bench/cuda_arches.py lists what a libnd4jcuda.so holds), so on a newer GPU (Hopper: H100,
# H200) every kernel launch fails. nvidia-smi tells the capability without loading ND4J:
#   --backend cuda   on such a GPU: stop here with a message that says why (exit status 2);
#   --backend auto   on such a GPU: use the CPU backend and say so on stderr.
# CUDA_VISIBLE_DEVICES given as indices limits the check to those GPUs. LATENTLAB_SKIP_GPU_CHECK=1
# skips it (for a future DL4J build with kernels for newer GPUs).
# On a machine with no sign of an NVIDIA GPU and driver (latentlab_gpu_visible), --backend auto is the CPU and
# --backend cuda stops (exit status 2) with a message; LATENTLAB_SKIP_GPU_CHECK=1 skips this too.

# latentlab_openblas_core: OpenBLAS 0.3.19 (the one ND4J M2.1 loads) picks its kernels from the CPU's
# family and model number. On CPUs newer than it (Sapphire/Emerald Rapids, this project's cloud VMs:
# "model 207") it falls back to "Prescott", SSE3 kernels: matrix products ran 2.5-3x slower here than
# with the AVX-512 kernels (docs/PERFORMANCE.md). This exports OPENBLAS_CORETYPE from the instruction
# sets /proc/cpuinfo lists, unless the user set it: SkylakeX with AVX-512 (F, CD, BW, DQ, VL), Haswell
# (Zen on AMD) with AVX2 and FMA, nothing otherwise.
latentlab_openblas_core() {
    [ -z "${OPENBLAS_CORETYPE:-}" ] || return 0
    local cpuinfo=${LATENTLAB_CPUINFO:-/proc/cpuinfo} # another file: for the tests
    [ "$(uname -m 2>/dev/null)" = x86_64 ] && [ -r "$cpuinfo" ] || return 0
    local flags vendor core=""
    flags=" $(grep -m1 '^flags' "$cpuinfo" | cut -d: -f2) "
    vendor=$(grep -m1 '^vendor_id' "$cpuinfo" | cut -d: -f2 | tr -d ' ')
    has() { local f; for f in "$@"; do [[ $flags == *" $f "* ]] || return 1; done; }
    if has avx512f avx512cd avx512bw avx512dq avx512vl; then
        core=SkylakeX
    elif has avx2 fma; then
        if [ "$vendor" = AuthenticAMD ]; then core=Zen; else core=Haswell; fi
    fi
    unset -f has
    if [ -n "$core" ]; then
        export OPENBLAS_CORETYPE=$core
    fi
    return 0
}

# latentlab_gpu_visible: whether this machine shows an NVIDIA GPU and driver at all: the driver's device node,
# nvidia-smi, or the driver's library libcuda.so.1 (in the linker cache, or on LD_LIBRARY_PATH as in Kubernetes
# GPU pods). Without any of them, ND4J's CUDA backend cannot load, and trying prints a long stack trace.
# LATENTLAB_NVIDIACTL, LATENTLAB_NVIDIA_SMI and LATENTLAB_LDCONFIG name other programs and paths: for the tests,
# which must not see a real GPU of the machine they run on.
latentlab_gpu_visible() {
    [ -e "${LATENTLAB_NVIDIACTL:-/dev/nvidiactl}" ] && return 0
    command -v "${LATENTLAB_NVIDIA_SMI:-nvidia-smi}" >/dev/null 2>&1 && return 0
    local ldconfig dir
    ldconfig=${LATENTLAB_LDCONFIG:-$(command -v ldconfig 2>/dev/null || echo /sbin/ldconfig)}
    "$ldconfig" -p 2>/dev/null | grep -q 'libcuda\.so\.1 ' && return 0
    local IFS=:
    for dir in ${LD_LIBRARY_PATH:-}; do
        [ -n "$dir" ] && [ -e "$dir/libcuda.so.1" ] && return 0
    done
    return 1
}

# Newest compute capability (major*10+minor) the CUDA build has kernels for; Backend.java holds the same.
LATENTLAB_MAX_CUDA_CAPABILITY=86

# Prints "index|name|capability" for each visible GPU whose capability the CUDA build cannot run.
latentlab_unsupported_gpus() {
    local smi=${LATENTLAB_NVIDIA_SMI:-nvidia-smi}
    command -v "$smi" >/dev/null 2>&1 || return 0
    local rows
    rows=$("$smi" --query-gpu=index,name,compute_cap --format=csv,noheader 2>/dev/null) || return 0
    local visible=",${CUDA_VISIBLE_DEVICES:-},"
    case $visible in
        ,,) visible="" ;;
        *[!0-9,]*) visible="" ;; # UUIDs or MIG names: check every GPU
    esac
    local index name cap major minor
    while IFS=',' read -r index name cap; do
        index=${index// /}
        cap=${cap// /}
        name=${name#" "}
        [ -n "$index" ] || continue
        if [ -n "$visible" ] && [[ $visible != *",$index,"* ]]; then
            continue
        fi
        major=${cap%%.*}
        minor=${cap#*.}
        case "$major$minor" in '' | *[!0-9]*) continue ;; esac
        if [ $((10#$major * 10 + 10#$minor)) -gt "$LATENTLAB_MAX_CUDA_CAPABILITY" ]; then
            echo "$index|$name|$cap"
        fi
    done <<<"$rows"
}

latentlab_backend() {
    local prev="" arg backend=auto
    for arg in "$@"; do
        case "$prev:$arg" in
            --backend:*) backend=$arg ;;
            *:--backend=*) backend=${arg#--backend=} ;;
        esac
        prev=$arg
    done
    if [ "$backend" != cpu ] && [ "${LATENTLAB_SKIP_GPU_CHECK:-0}" != 1 ] && ! latentlab_gpu_visible; then
        if [ "$backend" = cuda ]; then
            echo "error: --backend cuda: no usable NVIDIA GPU and driver on this machine (no /dev/nvidiactl," \
                "nvidia-smi or libcuda.so.1). In Docker, run with --gpus all and the NVIDIA container toolkit;" \
                "without a GPU, use --backend cpu" >&2
            return 2
        fi
        # auto: the CPU, without ND4J trying the CUDA backend first; Backend.java says so in its 'backend:' line.
        export LATENTLAB_NO_GPU=1
        backend=cpu
    fi
    if [ "$backend" != cpu ] && [ "${LATENTLAB_SKIP_GPU_CHECK:-0}" != 1 ]; then
        local bad
        bad=$(latentlab_unsupported_gpus)
        if [ -n "$bad" ]; then
            local first=${bad%%$'\n'*}
            local name cap
            name=$(cut -d'|' -f2 <<<"$first")
            cap=$(cut -d'|' -f3 <<<"$first")
            if [ "$backend" = cuda ]; then
                echo "error: --backend cuda: GPU $name has compute capability $cap, but DL4J 1.0.0-M2.1's CUDA 11.6 build" \
                    "only has kernels for 3.7 to 8.6 (no PTX), so it cannot run on this GPU (Hopper and newer)." \
                    "Use --backend cpu, a GPU of the Ampere generation or older (e.g. CUDA_VISIBLE_DEVICES=<its index>)," \
                    "or LATENTLAB_SKIP_GPU_CHECK=1 with a DL4J build that has kernels for it" >&2
                return 2
            fi
            echo "latentlab: GPU $name has compute capability $cap, newer than DL4J 1.0.0-M2.1's CUDA kernels" \
                "(3.7 to 8.6): using the CPU backend (--backend cpu says this without the check)" >&2
            backend=cpu
        fi
    fi
    latentlab_openblas_core
    case "$backend" in
        cpu) export BACKEND_PRIORITY_CPU=300 BACKEND_PRIORITY_GPU=0 ;;
        cuda) export BACKEND_PRIORITY_GPU=300 BACKEND_PRIORITY_CPU=0 ;;
    esac
    return 0
}
