#!/usr/bin/env bash
# Starts the real TensorBoard (pip, into a virtual environment) on a finished training run and a finished sweep, and
# reads their scalars, images and hparams back through its HTTP data API (.ci/tensorboard-check.py): the scalars must
# equal metrics.csv and summary.json, the images and hparams must be listed, every trial of the sweep must be a
# session of the hparams view. The pip index of the development image serves TensorBoard and what it needs.
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
venv=${LATENTLAB_TB_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/latentlab/tensorboard-venv}
if [ ! -x "$venv/bin/tensorboard" ]; then
    echo "== installing TensorBoard into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q tensorboard
fi
echo "== $("$venv/bin/tensorboard" --version 2>/dev/null | tail -1) (TensorBoard)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./latentlab train --model vae --dataset mnist-sample --epochs 3 --set latentSize=8 --set hiddenSizes=128 \
    --no-progress --out "$work/run" >"$work/train.log" 2>&1 || { tail -20 "$work/train.log"; exit 1; }
./latentlab sweep --spec docs/examples/specs/vae-random.json --quick --out "$work/sweep" >"$work/sweep.log" 2>&1 \
    || { tail -20 "$work/sweep.log"; exit 1; }
"$venv/bin/python" .ci/tensorboard-check.py "$venv/bin/tensorboard" "$work/run" "$work/sweep"
