#!/usr/bin/env python3
"""Reads a finished run's and a finished sweep's TensorBoard events back through the real TensorBoard.

Usage: tensorboard-check.py TENSORBOARD_BIN RUN_DIR SWEEP_DIR

For the run: starts `tensorboard --logdir RUN_DIR`, then through its HTTP data API checks that every column of
metrics.csv is a scalar series equal to it (tags as TensorBoardListener names them: train_loss -> train/loss,
val_kl -> val/kl, samples_per_second -> speed/samples_per_second), that the test metrics of summary.json are there,
that the images are listed, that the hparams plugin lists the config, and that the projector finds its config,
its codes and a sprite tiled by the thumbnail size it declares.
For the sweep: that every trial is a session of the hparams view with its hyperparameters.
"""
import csv
import json
import math
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Board:
    def __init__(self, binary, logdir):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [binary, "--logdir", logdir, "--host", "127.0.0.1", "--port", str(self.port), "--reload_interval", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 120
        while True:
            try:
                runs = self.get("/data/runs")
                if runs:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit("tensorboard exited: " + self.proc.stderr.read().decode()[-2000:])
            if time.time() > deadline:
                raise SystemExit("tensorboard did not list a run within 120 s")
            time.sleep(0.5)
        time.sleep(2)  # let the first load finish

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            return json.loads(r.read().decode())

    def raw(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            return r.read()

    def post(self, path, body):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read().decode())

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def tag_of(column):
    if column in ("samples_per_second", "train_seconds"):
        return "speed/" + column
    if column.startswith("train_"):
        return "train/" + column[len("train_"):]
    if column.startswith("val_"):
        return "val/" + column[len("val_"):]
    return column


def close_to(a, b):
    return math.isclose(a, b, rel_tol=2e-6, abs_tol=2e-6)


def check_run(binary, run_dir):
    board = Board(binary, run_dir)
    try:
        runs = board.get("/data/runs")
        assert runs == ["tensorboard"], f"runs: {runs}"
        run = urllib.parse.quote("tensorboard")
        with open(f"{run_dir}/metrics.csv") as f:
            rows = list(csv.DictReader(f))
        checked = 0
        for column in rows[0].keys():
            if column == "epoch":
                continue
            tag = urllib.parse.quote(tag_of(column), safe="")
            series = board.get(f"/data/plugin/scalars/scalars?run={run}&tag={tag}")
            got = {int(step): value for _, step, value in series}
            want = {int(r["epoch"]): r[column] for r in rows}
            assert sorted(got) == sorted(want), f"{column}: steps {sorted(got)} against {sorted(want)}"
            for step, text in want.items():
                # metrics.csv rounds to the decimals it prints; TensorBoard holds the float32 of the full value
                decimals = len(text.split(".")[1]) if "." in text else 0
                ok = abs(got[step] - float(text)) <= 0.51 * 10 ** -decimals + 1e-6 * abs(float(text))
                assert ok, f"{column} at epoch {step}: {got[step]} against {text}"
            checked += 1
        with open(f"{run_dir}/summary.json") as f:
            summary = json.load(f)
        tests = [k for k in summary if k.startswith("test_") and k != "test_size"]
        for key in tests:
            tag = urllib.parse.quote("test/" + key[len("test_"):], safe="")
            series = board.get(f"/data/plugin/scalars/scalars?run={run}&tag={tag}")
            assert len(series) == 1 and close_to(series[0][2], summary[key]), f"{key}: {series} against {summary[key]}"
        tags = board.get("/data/plugin/images/tags")
        images = sorted(tags.get("tensorboard", {}).keys())
        assert "images/reconstructions" in images and "images/samples" in images, f"image tags: {tags}"
        experiment = board.post("/data/plugin/hparams/experiment", {"experimentName": ""})
        names = sorted(h["name"] for h in experiment["hparamInfos"])
        for key in ("dataset", "model.type", "model.latentSize", "trainer.learningRate", "trainer.seed"):
            assert key in names, f"hparam {key} missing from {names}"
        projector = board.get("/data/plugin/projector/runs")
        assert "tensorboard" in projector, f"projector runs: {projector}"
        sprite = check_projector(board, run, run_dir)
        print(f"tensorboard-check: run {run_dir}: {checked} metrics.csv columns x {len(rows)} epochs equal, "
              f"{len(tests)} test metrics, images {images}, {len(names)} hparams, projector: {sprite}")
    finally:
        board.close()


def check_projector(board, run, run_dir):
    """The projector's codes have one row per line of tensors.tsv, and its sprite is tiled by single_image_dim."""
    info = board.get(f"/data/plugin/projector/info?run={run}")
    embedding = info["embeddings"][0]
    name = urllib.parse.quote(embedding["tensorName"], safe="")
    dim = [int(d) for d in embedding["sprite"]["singleImageDim"]]
    with open(f"{run_dir}/tensorboard/projector/tensors.tsv") as f:
        codes = [line.split("\t") for line in f.read().splitlines()]
    tensor = board.raw(f"/data/plugin/projector/tensor?run={run}&name={name}")
    assert len(tensor) == 4 * len(codes) * len(codes[0]), f"projector tensor of {len(tensor)} bytes"
    first = struct.unpack("<f", tensor[:4])[0]
    assert first == struct.unpack("<f", struct.pack("<f", float(codes[0][0])))[0], f"{first} against {codes[0][0]}"
    png = board.raw(f"/data/plugin/projector/sprite_image?run={run}&name={name}")
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "the sprite is not a PNG"
    width, height = struct.unpack(">II", png[16:24])
    columns = math.ceil(math.sqrt(len(codes)))
    want = (columns * dim[0], math.ceil(len(codes) / columns) * dim[1])
    assert (width, height) == want, f"sprite {width}x{height}: {len(codes)} thumbnails of {dim} need {want}"
    return f"{len(codes)} codes of {len(codes[0])}, sprite {width}x{height} in tiles of {dim[0]}x{dim[1]}"


def check_sweep(binary, sweep_dir):
    board = Board(binary, sweep_dir)
    try:
        runs = board.get("/data/runs")
        with open(f"{sweep_dir}/results.csv") as f:
            trials = list(csv.DictReader(f))
        assert len(runs) == len(trials), f"{len(runs)} runs for {len(trials)} trials: {runs}"
        request = {"experimentName": "", "allowedStatuses": ["STATUS_SUCCESS"], "colParams": [],
                   "startIndex": 0, "sliceSize": 1000}
        groups = board.post("/data/plugin/hparams/session_groups", request)
        sessions = [s for g in groups["sessionGroups"] for s in g["sessions"]]
        assert len(sessions) == len(trials), f"{len(sessions)} sessions for {len(trials)} trials"
        rates = {round(g["hparams"]["trainer.learningRate"], 12) for g in groups["sessionGroups"]}
        want = {round(float(t["learningRate"]), 12) for t in trials}
        assert rates == want, f"learning rates {rates} against {want}"
        print(f"tensorboard-check: sweep {sweep_dir}: {len(runs)} trials are {len(sessions)} hparams sessions, "
              f"learning rates equal to results.csv")
    finally:
        board.close()


if __name__ == "__main__":
    binary, run_dir, sweep_dir = sys.argv[1:4]
    check_run(binary, run_dir)
    check_sweep(binary, sweep_dir)
