#!/usr/bin/env bash
# Executes the Java notebooks headlessly, as CI does, and writes the executed copies (with their
# outputs and pictures) to notebooks-java/target/executed/.
#
#   notebooks-java/run.sh                 # every notebook in notebooks-java/
#   notebooks-java/run.sh 01-*.ipynb      # some of them
#   notebooks-java/run.sh --install-kernel  # only set up the kernel, e.g. for 'jupyter notebook'
#
# Needs: Debian's jupyter-nbconvert and jupyter-client (apt), the built project (./latentlab builds
# it), and Maven to fetch the Java kernel (io.github.padreati:rapaio-jupyter-kernel) from Maven Central.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
root=$(cd -- "$here/.." && pwd)
kernel_version=3.0.1
target="$here/target"
jupyter_path="$target/jupyter"
kernel_dir="$jupyter_path/kernels/latentlab-java"
attempts=${NOTEBOOK_ATTEMPTS:-5}

if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1; then
    echo "error: jupyter nbconvert is missing: apt-get install -y --no-install-recommends jupyter-nbconvert jupyter-client" >&2
    exit 1
fi

jar="$root/cli/target/latentlab.jar"
lib="$root/cli/target/lib"
if [ ! -f "$jar" ] || [ ! -d "$lib" ]; then
    echo "== building Latent Lab (mvn -q -B -ntp install -DskipTests)"
    (cd "$root" && mvn -q -B -ntp install -DskipTests)
fi

# --- the kernel: one shaded jar from Maven Central, and a kernelspec written by hand ------------------------
kernel_jar="$kernel_dir/rapaio-jupyter-kernel-$kernel_version.jar"
if [ ! -f "$kernel_jar" ]; then
    echo "== fetching the Java kernel io.github.padreati:rapaio-jupyter-kernel:$kernel_version"
    mkdir -p "$kernel_dir"
    (cd "$root" && mvn -q -B -ntp dependency:copy \
        -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$kernel_version" -DoutputDirectory="$kernel_dir")
fi
# The project's jars are preloaded: notebooks import org.latentlab.* with no magic. The kernel splits
# RJK_CLASSPATH on ";" (JavaEngine.Builder.withClasspath), not on the path separator.
classpath=$(ls "$jar" "$lib"/*.jar | tr '\n' ';')
classpath=${classpath%;}
# The kernel's JVM gets the native settings ./latentlab gives its own (OpenBLAS kernels for this CPU,
# OpenMP threads that sleep between ops).
# shellcheck source=docker/latentlab-backend.sh
. "$root/docker/latentlab-backend.sh"
latentlab_openblas_core
python3 - "$kernel_dir/kernel.json" "$kernel_jar" "$classpath" "$root" "${OPENBLAS_CORETYPE:-}" <<'PY'
import json, sys
path, jar, cp, root, core = sys.argv[1:]
spec = {
    "argv": ["java", "-Xmx4g", "-Djava.awt.headless=true", "-jar", jar, "{connection_file}"],
    "display_name": "Java (Latent Lab)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "RJK_CLASSPATH": cp,
        "RJK_TIMEOUT_MILLIS": "-1",
        "RJK_MIMA_CACHE": "mima_cache",
        "LATENTLAB_ROOT": root,
        "OMP_WAIT_POLICY": "PASSIVE",
    },
}
if core:
    spec["env"]["OPENBLAS_CORETYPE"] = core
with open(path + ".tmp", "w") as f:
    json.dump(spec, f, indent=2)
import os
os.replace(path + ".tmp", path)
PY
export JUPYTER_PATH="$jupyter_path${JUPYTER_PATH:+:$JUPYTER_PATH}"
if [ "${1:-}" = "--install-kernel" ]; then
    echo "kernel 'latentlab-java' written to $kernel_dir"
    echo "use it with: JUPYTER_PATH=$jupyter_path jupyter notebook notebooks-java/"
    exit 0
fi

# --- execute ---------------------------------------------------------------------------------------------
if [ "$#" -gt 0 ]; then
    notebooks=("$@")
else
    notebooks=("$here"/*.ipynb)
fi
out="$target/executed"
mkdir -p "$out"
cd "$root"
failed=0
for nb in "${notebooks[@]}"; do
    name=$(basename "$nb")
    for attempt in $(seq 1 "$attempts"); do
        log="$out/${name%.ipynb}.log"
        start=$(date +%s)
        if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=latentlab-java \
            --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.startup_timeout=30 \
            --output-dir "$out" "$nb" >"$log" 2>&1; then
            echo "== $name: executed in $(( $(date +%s) - start )) s -> $out/$name"
            break
        fi
        # The kernel (3.0.1 to 3.0.4) sometimes never answers its first request: a start-up race
        # in its message loop. Only that failure is retried; an error in a cell fails at once.
        if grep -qE "Kernel didn't respond|Timeout waiting for kernel_info|kernel_info_reply" "$log" && [ "$attempt" -lt "$attempts" ]; then
            mv "$log" "${log%.log}.attempt$attempt.log"
            echo "== $name: the kernel did not start (known start-up race; log kept in ${log%.log}.attempt$attempt.log), retrying ($attempt/$attempts)"
            continue
        fi
        echo "error: $name failed (log: $log):" >&2
        tail -40 "$log" >&2
        failed=1
        break
    done
done
exit "$failed"
