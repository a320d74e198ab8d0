"""PyTorch reference for Latent Lab: the pytorch/examples VAE (vae/main.py) on real MNIST.

Same model, loss and optimiser as the example; only the data loading differs:
the four uncompressed IDX files are read with numpy (no torchvision needed) and
scaled to [0,1] like transforms.ToTensor(). Run with Debian's torch:
    /usr/bin/python3 bench/pytorch/vae_mnist.py --epochs 10 --out reference-10ep.json
"""
import argparse, gzip, json, os, platform, socket, time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim

p = argparse.ArgumentParser(description="pytorch/examples VAE on MNIST (IDX files)")
p.add_argument("--epochs", type=int, default=10)           # example default
p.add_argument("--batch-size", type=int, default=128)      # example default (train and test)
p.add_argument("--lr", type=float, default=1e-3)           # example's Adam lr
p.add_argument("--seed", type=int, default=1)              # example default
p.add_argument("--data-dir", default=os.path.expanduser("~/.latentlab/data/mnist"))  # Latent Lab's MNIST cache
p.add_argument("--threads", type=int, default=None)        # None: keep torch's default intra-op threads
p.add_argument("--out", default=None)                      # JSON metrics file; None: print only
p.add_argument("--train-images", default=None)  # IDX file (.gz allowed) instead of <data-dir>/train-images-idx3-ubyte
p.add_argument("--test-images", default=None)   # likewise for t10k-images-idx3-ubyte
args = p.parse_args()


def process_age():
    """Seconds since this process started: the uptime less the start in clock ticks after boot (Linux)."""
    try:
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return uptime - int(fields[22 - 3]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None

torch.manual_seed(args.seed)
if args.threads is not None:
    torch.set_num_threads(args.threads)


def read_images(path):
    """IDX3: 16-byte header (magic 2051, n, rows, cols), then uint8 pixels; gzip if the name ends in .gz."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        magic, n, rows, cols = np.frombuffer(f.read(16), dtype=">u4")
        assert magic == 2051, f"{path}: bad magic {magic}"
        pix = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)
    return torch.from_numpy(pix.astype(np.float32) / 255.0)  # like ToTensor(): [0,1]


train_x = read_images(args.train_images or os.path.join(args.data_dir, "train-images-idx3-ubyte"))  # 60000 x 784
test_x = read_images(args.test_images or os.path.join(args.data_dir, "t10k-images-idx3-ubyte"))  # 10000 x 784
first_step_seconds = None  # process age when the first training step ended


class VAE(nn.Module):  # identical to pytorch/examples vae/main.py
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)  # mu
        self.fc22 = nn.Linear(400, 20)  # logvar
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    """Negative ELBO summed over the batch: BCE summed over pixels + closed-form KL."""
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


model = VAE()
load_start = os.getloadavg()  # other processes share the cores; record how busy they were
optimizer = optim.Adam(model.parameters(), lr=args.lr)


def train_epoch():
    global first_step_seconds
    model.train()
    total, n = 0.0, train_x.shape[0]
    start = time.perf_counter()
    for idx in torch.randperm(n).split(args.batch_size):  # shuffle each epoch, last batch partial
        data = train_x[idx]
        optimizer.zero_grad()
        recon, mu, logvar = model(data)
        loss = loss_function(recon, data, mu, logvar)
        loss.backward()
        total += loss.item()
        optimizer.step()
        if first_step_seconds is None:
            first_step_seconds = process_age()
    secs = time.perf_counter() - start
    return total / n, secs


def test():
    model.eval()  # no dropout/BN, so z is still sampled, as in the example
    total = 0.0
    with torch.no_grad():
        for data in test_x.split(args.batch_size):
            recon, mu, logvar = model(data)
            total += loss_function(recon, data, mu, logvar).item()
    return total / test_x.shape[0]


epochs = []
for epoch in range(1, args.epochs + 1):
    train_loss, secs = train_epoch()
    test_loss = test()
    sps = train_x.shape[0] / secs
    epochs.append(dict(epoch=epoch, train_loss=train_loss, test_loss=test_loss,
                       train_seconds=secs, samples_per_sec=sps))
    print(f"epoch {epoch:2d}  train {train_loss:8.4f}  test {test_loss:8.4f}  "
          f"{secs:6.2f}s  {sps:7.0f} samples/s", flush=True)

total_secs = sum(e["train_seconds"] for e in epochs)
result = dict(
    model="pytorch/examples vae/main.py (784-400-20, BCE sum + KL)",
    epochs=epochs,
    test_neg_elbo=epochs[-1]["test_loss"],
    total_train_seconds=total_secs,
    mean_samples_per_sec=train_x.shape[0] * len(epochs) / total_secs,
    torch_version=torch.__version__,
    threads=torch.get_num_threads(),
    host=dict(hostname=socket.gethostname(), platform=platform.platform(),
              cpus=os.cpu_count(), python=platform.python_version(),
              loadavg_start=load_start, loadavg_end=os.getloadavg()),
    args=vars(args),
    first_step_seconds=first_step_seconds,
    process_seconds=process_age(),
)
print(f"final test loss {result['test_neg_elbo']:.4f}, "
      f"mean {result['mean_samples_per_sec']:.0f} samples/s, threads {result['threads']}")
if args.out:
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
