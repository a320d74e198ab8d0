"""PyTorch peer of `latentlab bench`: the same models, losses, optimizer and batch sizes, timed the same way.

One workload per process, so that ru_maxrss is that workload's peak resident memory. Prints and
writes (--out) one JSON object. `latentlab bench` runs it with /usr/bin/python3 (Debian's
python3-torch) and passes the timing plan and the data it uses itself; by hand:

    /usr/bin/python3 bench/pytorch/bench.py --workload vae128 \
        --images ~/.latentlab/data/mnist/train-images-idx3-ubyte --quick

Each model mirrors the Latent Lab graph of the same name (models/src/main/java/org/latentlab/models):
  vae128, vae512  Vae + AbstractVae: 784-400 ReLU, mu and log-variance heads 400-20, z = mu + exp(logvar/2) eps,
                  20-400 ReLU, 400-784 logits; loss = mean over the batch of (Bernoulli NLL from the logits,
                  summed over pixels) + mean of the closed-form KL. (vae_mnist.py sums over the batch instead;
                  Adam is nearly invariant to that scale.)
  conv            ConvAutoencoder defaults: conv 3x3 stride 2 1->16 ReLU, 16->32 ReLU (28->14->7), dense
                  1568->32 (code, identity), dense 32->1568 ReLU, transposed conv 3x3 stride 2 32->16 ReLU,
                  16->1 (logits); loss = mean over the batch of BCE from the logits summed over pixels.
                  Latent Lab pads SAME (TensorFlow style: 0 before, 1 after for 28->14); padding=1 here gives the
                  same shapes and the same arithmetic.
  conv-vae        ConvVae defaults: conv 4x4 stride 2 1->32 ReLU, 32->64 ReLU (28->14->7), mu and log-variance
                  heads 3136->20, z = mu + exp(logvar/2) eps, dense 20->3136 ReLU, transposed conv 4x4 stride 2
                  64->32 ReLU, 32->1 (logits); loss = mean BCE (summed over pixels) + mean closed-form KL. Latent
                  Lab pads SAME (1 before and 1 after for 28->14 with a 4x4 kernel); padding=1 is the same.
  cae             ContractiveAutoencoder defaults: h = sigmoid(x W + b), 784->1000, decoder 1000->784 logits;
                  loss = mean BCE (summed over pixels) + 0.1 * mean over the batch of
                  sum_j (h_j (1 - h_j))^2 sum_i W_ij^2 (the exact penalty of Rifai et al. 2011); Xavier-uniform init.
  encode          the vae's encoder mean (784-400-20) of 10,000 images per call, under torch.no_grad().
  gemm            torch.mm of float32 square matrices (1024, 2048), best GFLOP/s.
Optimizer: torch.optim.Adam(lr=1e-3), PyTorch defaults (betas 0.9/0.999, eps 1e-8). Threads: torch's default
unless --threads; the count is reported, and so is the thread count of the OpenBLAS that torch calls for matrix
products (Debian's torch does not pass its own count on to it), and the cores kept busy during the windows
(process CPU time / wall time).

Latent Lab also evaluates a metric term (mse_per_pixel) in every training step; it is not mirrored here
(a few elementwise operations per pixel).
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

WORKLOADS = {"vae128": 128, "vae512": 512, "conv": 128, "conv-vae": 128, "cae": 128, "encode": 10_000, "gemm": 0}

p = argparse.ArgumentParser(description="PyTorch peer of latentlab bench")
p.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
p.add_argument("--images", help="IDX3 image file (optionally .gz); the training images")
p.add_argument("--repeat-to", type=int, default=0, help="repeat the images up to this many (0: as they are)")
p.add_argument("--batch-size", type=int, default=None, help="default: the workload's")
p.add_argument("--warmup-seconds", type=float, default=15)
p.add_argument("--warmup-steps", type=int, default=20)
p.add_argument("--window-seconds", type=float, default=10)
p.add_argument("--window-steps", type=int, default=5)
p.add_argument("--windows", type=int, default=5)
p.add_argument("--quick", action="store_true", help="latentlab bench --quick: 2 s/3 steps warm-up, 3 windows of 1 s")
p.add_argument("--device", default="cpu", help="cpu or cuda")
p.add_argument("--threads", type=int, default=None, help="intra-op threads; default: torch's own choice")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--flush-denormal", action="store_true",
               help="torch.set_flush_denormal(True): subnormal floats become zero (off by default, as in PyTorch)")
p.add_argument("--out", default=None, help="JSON result file")
args = p.parse_args()
if args.quick:
    args.warmup_seconds, args.warmup_steps, args.window_seconds, args.window_steps, args.windows = 2, 3, 1, 2, 3
torch.manual_seed(args.seed)
if args.flush_denormal and not torch.set_flush_denormal(True):
    sys.exit("--flush-denormal: this CPU does not support flushing subnormals")
if args.threads is not None:
    torch.set_num_threads(args.threads)
device = torch.device(args.device)


def sync():
    if device.type == "cuda":
        torch.cuda.synchronize()


class SteadyStateTimer:
    """The same rule as Latent Lab's SteadyStateTimer: warm-up, then windows closed at step ends."""

    def __init__(self):
        self.start = time.perf_counter()
        self.cpu_start = self.machine_start = 0.0
        self.timed_cpu = self.timed_machine = 0.0
        self.rss_at_window_ends = []
        self.warm = False
        self.warmup_steps = 0
        self.window_start = None
        self.window_steps = 0
        self.window_samples = 0
        self.rates = []
        self.timed_steps = 0
        self.timed_samples = 0
        self.timed_seconds = 0.0

    def step_done(self, samples):
        sync()
        now = time.perf_counter()
        if not self.warm:
            self.warmup_steps += 1
            if self.warmup_steps >= args.warmup_steps and now - self.start >= args.warmup_seconds:
                self.warm = True
                self.window_start, self.cpu_start, self.machine_start = now, time.process_time(), machine_busy()
            return self.done()
        self.window_steps += 1
        self.window_samples += samples
        elapsed = now - self.window_start
        if self.window_steps >= args.window_steps and elapsed >= args.window_seconds:
            self.rates.append(self.window_samples / elapsed)
            self.timed_steps += self.window_steps
            self.timed_samples += self.window_samples
            self.timed_seconds += elapsed
            self.timed_cpu += time.process_time() - self.cpu_start  # CPU time of every thread of this process
            self.timed_machine += machine_busy() - self.machine_start
            self.rss_at_window_ends.append(status_kib("VmRSS"))
            self.window_start, self.window_steps, self.window_samples = now, 0, 0
            self.cpu_start, self.machine_start = time.process_time(), machine_busy()
        return self.done()

    def done(self):
        return len(self.rates) >= args.windows


def status_kib(field):
    """A kB field of /proc/self/status (VmRSS, VmHWM), or -1."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def machine_busy():
    """Seconds all cores have spent busy (/proc/stat: user nice system irq softirq steal; USER_HZ 100), or 0."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return sum(int(fields[i]) for i in (1, 2, 3, 6, 7, 8)) / 100.0
    except (OSError, ValueError, IndexError):
        return 0.0


def blas_threads():
    """Threads of the OpenBLAS torch calls into: Debian's torch leaves it at OpenBLAS's own default (all
    cores), whatever torch.get_num_threads() says. None if no OpenBLAS is loaded."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "libopenblas" in line})
        return ctypes.CDLL(libs[0]).openblas_get_num_threads() if libs else None
    except (OSError, AttributeError, IndexError):
        return None


def read_images(path):
    """IDX3: 16-byte header (magic 2051, n, rows, cols), then uint8 pixels; scaled to [0,1]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic, n, rows, cols = np.frombuffer(f.read(16), dtype=">u4")
        assert magic == 2051, f"{path}: bad magic {magic}"
        pix = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)
    x = torch.from_numpy(pix.astype(np.float32) / 255.0)
    if args.repeat_to > x.shape[0]:
        x = x.repeat((args.repeat_to + x.shape[0] - 1) // x.shape[0], 1)[: args.repeat_to].contiguous()
    return x


def bce_from_logits_per_image(logits, x):
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(784, 400)
        self.mu = nn.Linear(400, 20)
        self.log_var = nn.Linear(400, 20)
        self.dec1 = nn.Linear(20, 400)
        self.dec2 = nn.Linear(400, 784)

    def encode(self, x):
        h = F.relu(self.enc(x))
        return self.mu(h), self.log_var(h)

    def loss(self, x):
        mu, log_var = self.encode(x)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        logits = self.dec2(F.relu(self.dec1(z)))
        kl = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp(), dim=1)
        return bce_from_logits_per_image(logits, x).mean() + kl.mean()


class ConvAe(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(1, 16, 3, stride=2, padding=1)
        self.conv1 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.code = nn.Linear(32 * 7 * 7, 32)
        self.dense = nn.Linear(32, 32 * 7 * 7)
        self.deconv0 = nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1)
        self.deconv1 = nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1)

    def loss(self, x):
        h = F.relu(self.conv1(F.relu(self.conv0(x.view(-1, 1, 28, 28)))))
        code = self.code(h.reshape(-1, 32 * 7 * 7))
        h = F.relu(self.dense(code)).view(-1, 32, 7, 7)
        logits = self.deconv1(F.relu(self.deconv0(h))).reshape(-1, 784)
        return bce_from_logits_per_image(logits, x).mean()


class ConvVae(nn.Module):
    def __init__(self, latent=20):
        super().__init__()
        self.conv0 = nn.Conv2d(1, 32, 4, stride=2, padding=1)
        self.conv1 = nn.Conv2d(32, 64, 4, stride=2, padding=1)
        self.mu = nn.Linear(64 * 7 * 7, latent)
        self.log_var = nn.Linear(64 * 7 * 7, latent)
        self.project = nn.Linear(latent, 64 * 7 * 7)
        self.deconv0 = nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1)
        self.deconv1 = nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1)

    def loss(self, x):
        h = F.relu(self.conv1(F.relu(self.conv0(x.view(-1, 1, 28, 28))))).reshape(-1, 64 * 7 * 7)
        mu, log_var = self.mu(h), self.log_var(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        h = F.relu(self.project(z)).view(-1, 64, 7, 7)
        logits = self.deconv1(F.relu(self.deconv0(h))).reshape(-1, 784)
        kl = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp(), dim=1)
        return bce_from_logits_per_image(logits, x).mean() + kl.mean()


class Cae(nn.Module):
    def __init__(self, hidden=1000, lam=0.1):
        super().__init__()
        self.enc = nn.Linear(784, hidden)
        self.dec = nn.Linear(hidden, 784)
        self.lam = lam
        for layer in (self.enc, self.dec):  # ContractiveAutoencoderConfig defaults to XAVIER_UNIFORM
            nn.init.xavier_uniform_(layer.weight)

    def loss(self, x):
        h = torch.sigmoid(self.enc(x))
        logits = self.dec(h)
        column_norms = self.enc.weight.pow(2).sum(1)  # torch's weight is [out, in]: sum over the inputs i
        contractive = ((h * (1 - h)).pow(2) * column_norms).sum(1)
        return bce_from_logits_per_image(logits, x).mean() + self.lam * contractive.mean()


def train(model, x, batch_size):
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    timer = SteadyStateTimer()
    first = last = None
    n = x.shape[0]
    while not timer.done():
        for idx in torch.randperm(n).split(batch_size):  # shuffled each epoch, last batch partial
            data = x[idx].to(device)
            optimizer.zero_grad()
            loss = model.loss(data)
            loss.backward()
            optimizer.step()
            if timer.step_done(len(idx)):
                break
            if first is None:
                first = loss.item()
        last = loss.item()
    return timer, dict(first_loss=first, last_loss=last)


def encode(x):
    model = Vae().to(device).eval()
    data = x[:10_000].to(device)
    timer = SteadyStateTimer()
    with torch.no_grad():
        while not timer.done():
            mu, _ = model.encode(data)
            timer.step_done(mu.shape[0])
    return timer, {}


def gemm():
    result = {}
    best = 0.0
    for n in (1024, 2048):
        a = torch.rand(n, n, device=device)
        b = torch.rand(n, n, device=device)
        for _ in range(2):
            torch.mm(a, b)
        rates, start = [], time.perf_counter()
        while len(rates) < (3 if args.quick else 10) or time.perf_counter() - start < (0.5 if args.quick else 5):
            sync()
            t0 = time.perf_counter()
            torch.mm(a, b)
            sync()
            rates.append(2.0 * n ** 3 / (time.perf_counter() - t0) / 1e9)
        result[str(n)] = dict(best_gflops=max(rates), median_gflops=statistics.median(rates), repetitions=len(rates))
        best = max(best, max(rates))
    return dict(best_gflops=best, sizes=result)


def main():
    started = time.perf_counter()
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS, so that blas_threads can find it
    out = dict(status="ok", workload=args.workload, torch_version=torch.__version__, threads=torch.get_num_threads(), flush_denormal=args.flush_denormal,
               blas_threads=blas_threads(), device=str(device), python_version=sys.version.split()[0])
    if args.workload == "gemm":
        out.update(gemm())
    else:
        if not args.images:
            p.error("--images is required for " + args.workload)
        x = read_images(args.images)
        out["images"] = x.shape[0]
        if args.workload == "encode":
            timer, extra = encode(x)
        else:
            model = {"vae128": Vae, "vae512": Vae, "conv": ConvAe, "conv-vae": ConvVae, "cae": Cae}[args.workload]()
            out["parameters"] = sum(t.numel() for t in model.parameters())
            timer, extra = train(model, x, args.batch_size or WORKLOADS[args.workload])
        out.update(samples_per_second=statistics.median(timer.rates), window_rates=timer.rates,
                   warmup_steps=timer.warmup_steps, timed_steps=timer.timed_steps,
                   timed_samples=timer.timed_samples, timed_seconds=timer.timed_seconds,
                   cores_busy=timer.timed_cpu / timer.timed_seconds,
                   other_cores_busy=max(0.0, (timer.timed_machine - timer.timed_cpu) / timer.timed_seconds),
                   rss_kib_at_window_ends=timer.rss_at_window_ends,
                   **extra)
    out["seconds"] = time.perf_counter() - started
    out["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    text = json.dumps(out, indent=2)
    print(text)
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, args.out)


main()
