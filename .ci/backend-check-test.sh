#!/usr/bin/env bash
# Tests docker/latentlab-backend.sh, which ./latentlab and the Docker entrypoint source: --backend turned
# into ND4J's priorities, and GPUs newer than DL4J M2.1's CUDA kernels (Hopper) caught before the JVM.
# With REAL_GPU=1 it also runs against this machine's own nvidia-smi (used on a GPU machine).
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
script=docker/latentlab-backend.sh
stubs=$(mktemp -d)
trap 'rm -rf "$stubs"' EXIT
failures=0

# A fake nvidia-smi printing the given CSV rows (index, name, compute_cap) for the query the script makes.
fake_gpus() {
    mkdir -p "$stubs/bin"
    {
        echo '#!/usr/bin/env bash'
        echo 'case "$*" in *--query-gpu=index,name,compute_cap*) ;; *) echo "unexpected query: $*" >&2; exit 9 ;; esac'
        printf 'printf "%%s\\n" %s\n' "$(printf "'%s' " "$@")"
    } >"$stubs/bin/nvidia-smi"
    chmod +x "$stubs/bin/nvidia-smi"
}

expect() { # description, expected "status|gpu|cpu", expected stderr pattern ('' = no stderr), args...
    local what=$1 want=$2 pattern=$3
    shift 3
    local got err
    got=$(env -u BACKEND_PRIORITY_GPU -u BACKEND_PRIORITY_CPU PATH="$stubs/bin:/usr/bin:/bin" bash -c '
        . "$0"; latentlab_backend "$@" 2>/dev/null; s=$?
        echo "$s|${BACKEND_PRIORITY_GPU:-unset}|${BACKEND_PRIORITY_CPU:-unset}"' "$script" "$@")
    err=$(env -u BACKEND_PRIORITY_GPU -u BACKEND_PRIORITY_CPU PATH="$stubs/bin:/usr/bin:/bin" bash -c '
        . "$0"; latentlab_backend "$@"' "$script" "$@" 2>&1 >/dev/null || true)
    if [ "$got" != "$want" ]; then
        echo "FAIL $what: got $got, expected $want" >&2
        failures=$((failures + 1))
    elif [ -z "$pattern" ] && [ -n "$err" ]; then
        echo "FAIL $what: unexpected message: $err" >&2
        failures=$((failures + 1))
    elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" <<<"$err"; then
        echo "FAIL $what: message '$err' does not match /$pattern/" >&2
        failures=$((failures + 1))
    else
        echo "ok   $what${err:+: $err}"
    fi
}

if [ "${REAL_GPU:-0}" = 1 ]; then
    echo "== this machine's GPUs: $(nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader | paste -sd';')"
    # Real nvidia-smi: the stub folder stays empty.
    expect "real GPU, --backend cuda" "2|unset|unset" "compute capability 9\.0.*--backend cpu" sweep x --backend cuda
    expect "real GPU, --backend auto" "0|0|300" "using the CPU backend" sweep x
    exit $((failures > 0))
fi

# From here on the script sees the stubs' device node, nvidia-smi and linker cache, never this machine's own (on a
# GPU machine the real ones would answer every case; seen on an H200 before these variables existed).
export LATENTLAB_NVIDIACTL=$stubs/dev/nvidiactl LATENTLAB_NVIDIA_SMI=$stubs/bin/nvidia-smi LATENTLAB_LDCONFIG=$stubs/ldconfig
unset LD_LIBRARY_PATH # a GPU machine's image may list the driver's folder there
printf '#!/bin/sh\necho "0 libs found in cache"\n' >"$stubs/ldconfig"
chmod +x "$stubs/ldconfig"

# No sign of a GPU at all (a CPU machine: no /dev/nvidiactl, nvidia-smi or libcuda.so.1): auto is the CPU, quietly
# (ND4J does not try CUDA first), and cuda stops before the JVM.
expect "no GPU, default auto" "0|0|300" "" train vae
expect "no GPU, --backend cpu" "0|0|300" "" train vae --backend cpu
expect "no GPU, --backend=cuda stops" "2|unset|unset" "error: --backend cuda: no usable NVIDIA GPU and driver" train vae --backend=cuda
LATENTLAB_SKIP_GPU_CHECK=1 expect "no GPU, check skipped" "0|300|0" "" train vae --backend=cuda
# The driver without nvidia-smi: its device node, or libcuda.so.1 on LD_LIBRARY_PATH (Kubernetes GPU pods).
mkdir -p "$stubs/dev" "$stubs/lib"
touch "$stubs/dev/nvidiactl"
expect "device node, auto" "0|unset|unset" "" train vae
expect "device node, --backend cuda" "0|300|0" "" train vae --backend cuda
rm "$stubs/dev/nvidiactl"
touch "$stubs/lib/libcuda.so.1"
LD_LIBRARY_PATH="/nowhere:$stubs/lib" expect "libcuda.so.1 on LD_LIBRARY_PATH, auto" "0|unset|unset" "" train vae

fake_gpus "0, NVIDIA A100-SXM4-80GB, 8.0"
expect "Ampere, --backend cuda" "0|300|0" "" bench --backend cuda
expect "Ampere, auto" "0|unset|unset" "" bench

fake_gpus "0, NVIDIA H100 80GB HBM3, 9.0"
expect "Hopper, --backend cuda stops" "2|unset|unset" "error: --backend cuda: GPU NVIDIA H100 80GB HBM3 has compute capability 9\.0.*3\.7 to 8\.6" bench --backend cuda
expect "Hopper, auto falls back to CPU" "0|0|300" "H100 80GB HBM3 has compute capability 9\.0.*using the CPU backend" bench
expect "Hopper, --backend cpu: no check" "0|0|300" "" bench --backend cpu
LATENTLAB_SKIP_GPU_CHECK=1 expect "Hopper, check skipped" "0|300|0" "" bench --backend cuda

fake_gpus "0, NVIDIA H100 80GB HBM3, 9.0" "1, NVIDIA RTX A6000, 8.6"
CUDA_VISIBLE_DEVICES=1 expect "mixed, only the A6000 visible" "0|300|0" "" bench --backend cuda
CUDA_VISIBLE_DEVICES=0,1 expect "mixed, both visible" "2|unset|unset" "H100" bench --backend cuda

# OpenBLAS's kernels from the CPU's instruction sets (x86-64 only; this runs on x86-64 machines).
core_for() { # vendor, flags -> the OPENBLAS_CORETYPE latentlab_backend exports ("unset" for none)
    printf 'vendor_id\t: %s\nflags\t\t: %s\n' "$1" "$2" >"$stubs/cpuinfo"
    env -u OPENBLAS_CORETYPE LATENTLAB_CPUINFO="$stubs/cpuinfo" PATH="/usr/bin:/bin" bash -c '
        . "$0"; latentlab_backend train >/dev/null 2>&1; echo "${OPENBLAS_CORETYPE:-unset}"' "$script"
}
expect_core() {
    local got
    got=$(core_for "$2" "$3")
    if [ "$got" = "$4" ]; then echo "ok   OpenBLAS core, $1: $got"; else
        echo "FAIL OpenBLAS core, $1: got $got, expected $4" >&2
        failures=$((failures + 1))
    fi
}
if [ "$(uname -m)" = x86_64 ]; then
    expect_core "Emerald Rapids (AVX-512)" GenuineIntel "fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16" SkylakeX
    expect_core "AVX-512F without BW (Knights Landing)" GenuineIntel "fpu sse2 avx avx2 fma avx512f avx512cd avx512er" Haswell
    expect_core "Intel AVX2" GenuineIntel "fpu sse2 avx avx2 fma" Haswell
    expect_core "AMD AVX2" AuthenticAMD "fpu sse2 avx avx2 fma" Zen
    expect_core "no AVX2" GenuineIntel "fpu sse2 sse4_2 avx" unset
    got=$(OPENBLAS_CORETYPE=Prescott LATENTLAB_CPUINFO=/dev/null bash -c '. "$0"; latentlab_backend --backend cpu; echo "$OPENBLAS_CORETYPE"' "$script")
    if [ "$got" = Prescott ]; then echo "ok   OpenBLAS core: the user's OPENBLAS_CORETYPE wins"; else
        echo "FAIL OpenBLAS core: the user's Prescott became $got" >&2
        failures=$((failures + 1))
    fi
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures backend check(s) failed" >&2
    exit 1
fi
echo "== backend checks passed"
