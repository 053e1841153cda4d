#!/usr/bin/env python3
"""Trains the any-network model (issue 13) on scenes exported by training/exportNetworkDataset.ts
and exports it to ONNX with its metadata.json.

    /usr/bin/python3 training/train_network.py --data training/data/net-train --val training/data/net-val \
        --version 2.0.0 --epochs 24 --out training/runs/2.0.0

A set model. Each receiver is one token: its log-mel, reduced to five statistics over time per
mel bin (mean, min, max, standard deviation and the dB of the mean power), averaged over groups
of 4 mel bins and encoded by a small MLP shared by every receiver, plus its position east/north
of the receivers' centroid. Positions are divided by the network's radius S (farthest receiver from the
centroid), and log S is an input too, so one model serves 30 km and 600 km networks. A masked
self-attention layer let receivers compare levels; a masked mean and max pool makes the result
independent of receiver order and number; a head outputs the transmitter's east/north offset
from the centroid and a Cholesky factor of its 2x2 covariance, both in units of S. Loss: 2-D
Gaussian NLL after one epoch of MSE warm-up. No per-slot receiver embedding exists anywhere.

ONNX inputs: logmel (batch, receivers, nMels, nFrames), positionKm (batch, receivers, 2), mask
(batch, receivers) with 1 for a receiver and 0 for padding. Output estimate (batch, 5):
eastM, northM (offset of the estimate from the centroid), sigmaEastM, sigmaNorthM, rhoEastNorth.
"""
import argparse
import datetime
import hashlib
import json
import math
import pathlib
import time

import numpy as np
import torch
from torch import nn

MIN_RADIUS_KM = 1.0
NEG = -1e4  # additive attention mask for padded receivers (finite: exports and stays NaN-free)


def time_stats(logmel):
    """(..., mels, frames) normalised log-mel (dB / scaleDb) -> (..., 5, mels). Applied inside the
    exported graph and, identically, once to the training set (the stats have no weights)."""
    mean = logmel.mean(dim=-1)
    std = (logmel - mean.unsqueeze(-1)).pow(2).mean(dim=-1).clamp_min(1e-6).sqrt()
    hi = logmel.amax(dim=-1)
    lo = logmel.amin(dim=-1)
    # dB of the mean power over time, in the same units: x = dB/20 -> power 10^(2x).
    ln10x2 = 2 * math.log(10.0)
    lme = (torch.logsumexp(logmel * ln10x2, dim=-1) - math.log(logmel.shape[-1])) / ln10x2
    return torch.stack([mean, lo, hi, std, lme], dim=-2)


def conv1(cin, cout, k, s):
    return nn.Sequential(nn.Conv1d(cin, cout, k, stride=s, padding=k // 2, bias=False), nn.BatchNorm1d(cout), nn.ReLU())


class Attention(nn.Module):
    """Multi-head self-attention over receivers with a key padding mask (written out so the
    ONNX export is plain MatMul/Softmax)."""

    def __init__(self, d, heads):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x, mask):
        b, r, d = x.shape
        qkv = self.qkv(self.norm1(x)).reshape(b, r, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh)
        scores = scores + (1 - mask)[:, None, None, :] * NEG
        att = torch.softmax(scores, dim=-1)
        y = torch.matmul(att, v).permute(0, 2, 1, 3).reshape(b, r, d)
        x = x + self.out(y)
        return x + self.ff(self.norm2(x))


MEL_POOL = 4  # the statistics are averaged over groups of 4 mel bins before the learned layers
EMBED = 48


class SetNet(nn.Module):
    def __init__(self, mels, d=48, heads=4, layers=1):
        super().__init__()
        self.mels = mels
        # A small MLP over the pooled spectrum statistics: cheap enough to train on a shared CPU.
        self.encoder = nn.Sequential(
            nn.Linear(5 * (mels // MEL_POOL), 96), nn.BatchNorm1d(96), nn.ReLU(), nn.Linear(96, EMBED), nn.ReLU()
        )
        self.token = nn.Sequential(nn.Linear(EMBED + 4, d), nn.ReLU(), nn.Linear(d, d))
        self.blocks = nn.ModuleList([Attention(d, heads) for _ in range(layers)])
        self.head = nn.Sequential(nn.LayerNorm(2 * d + 1), nn.Linear(2 * d + 1, 128), nn.ReLU(), nn.Linear(128, 5))

    def embed(self, stats):
        pooled = nn.functional.avg_pool1d(stats, MEL_POOL)
        return self.encoder(pooled.reshape(pooled.shape[0], -1))

    def forward_stats(self, stats, pos_km, mask):
        """stats (B, R, 5, mels), pos_km (B, R, 2), mask (B, R) -> raw (B, 5), radius S km (B,)."""
        b, r = mask.shape
        flat = stats.reshape(b * r, 5, self.mels)
        if self.training:
            # Encode real receivers only, so padding never enters the batch-norm statistics.
            real = mask.reshape(-1) > 0
            z = torch.zeros(b * r, EMBED)
            z[real] = self.embed(flat[real])
        else:
            z = self.embed(flat)
        z = z.reshape(b, r, -1)
        dist = torch.linalg.norm(pos_km, dim=-1) * mask
        radius = dist.amax(dim=1).clamp_min(MIN_RADIUS_KM)
        rel = pos_km / radius[:, None, None]
        log_s = torch.log(radius / 100.0)
        geo = torch.cat([rel, (dist / radius[:, None]).unsqueeze(-1), log_s[:, None, None].expand(b, r, 1)], dim=-1)
        x = self.token(torch.cat([z, geo], dim=-1))
        for blk in self.blocks:
            x = blk(x, mask)
        m = mask.unsqueeze(-1)
        mean = (x * m).sum(dim=1) / m.sum(dim=1).clamp_min(1.0)
        hi = (x + (1 - m) * NEG).amax(dim=1)
        return self.head(torch.cat([mean, hi, log_s[:, None]], dim=1)), radius

    def forward(self, logmel, pos_km, mask):
        return self.forward_stats(time_stats(logmel), pos_km, mask)


def gaussian(raw, radius_km):
    """Raw head -> mean (km), Cholesky factor entries (km): l11, l21, l22."""
    s = radius_km[:, None]
    mean = raw[:, 0:2] * s
    l11 = (torch.nn.functional.softplus(raw[:, 2]) + 1e-3) * radius_km
    l22 = (torch.nn.functional.softplus(raw[:, 3]) + 1e-3) * radius_km
    l21 = raw[:, 4] * radius_km
    return mean, l11, l21, l22


def mahalanobis2(mean, l11, l21, l22, target):
    d = target - mean
    u1 = d[:, 0] / l11
    u2 = (d[:, 1] - l21 * u1) / l22
    return u1**2 + u2**2


def nll(mean, l11, l21, l22, target):
    return (0.5 * mahalanobis2(mean, l11, l21, l22, target) + torch.log(l11) + torch.log(l22)).mean()


def rotate_reflect(pos, tgt):
    """Augmentation: power-only physics has no preferred direction, so rotating (and mirroring)
    a scene's receivers and transmitter together about the centroid gives another valid scene
    with the very same log-mels."""
    theta = torch.rand(len(tgt)) * 2 * math.pi
    c, s = torch.cos(theta), torch.sin(theta)
    flip = torch.where(torch.rand(len(tgt)) < 0.5, -1.0, 1.0)
    rot = torch.stack([torch.stack([c, -s], -1), torch.stack([s * flip, c * flip], -1)], -2)  # (B, 2, 2)
    return torch.einsum("bij,brj->bri", rot, pos), torch.einsum("bij,bj->bi", rot, tgt)


class Data:
    """Ragged receivers -> per-scene receiver row indices, with a padded batch builder."""

    def __init__(self, folder, net_stats):
        folder = pathlib.Path(folder)
        self.meta = json.loads((folder / "meta.json").read_text())
        scale = float(self.meta["fixedPointScale"])
        stats, pos, tab = [], [], []
        for k in range(self.meta["shards"]):
            features = folder / f"features-{k}.npy"
            cache = folder / f"stats-{k}.npy"  # the time statistics, computed once per export
            if cache.exists() and cache.stat().st_mtime > features.stat().st_mtime:
                stats.append(torch.from_numpy(np.load(cache)))
            else:
                f = np.load(features, mmap_mode="r")
                with torch.no_grad():
                    chunks = [
                        net_stats(torch.from_numpy(f[i : i + 4096].astype(np.float32) / scale))
                        for i in range(0, len(f), 4096)
                    ]
                stats.append(torch.cat(chunks))
                np.save(cache, stats[-1].numpy())
            pos.append(np.load(folder / f"positions-{k}.npy"))
            tab.append(np.load(folder / f"scenes-{k}.npy"))
        self.stats = torch.cat(stats + [torch.zeros(1, *stats[0].shape[1:])])  # last row: padding
        self.pos = torch.from_numpy(np.concatenate(pos + [np.zeros((1, 2), np.float32)]))
        tab = np.concatenate(tab)
        self.table = tab
        self.n = len(tab)
        counts = tab[:, 0].astype(np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.rmax = int(counts.max())
        idx = np.full((self.n, self.rmax), len(self.pos) - 1, np.int64)
        for j in range(self.rmax):
            ok = counts > j
            idx[ok, j] = starts[ok] + j
        self.idx = torch.from_numpy(idx)
        self.mask = torch.from_numpy((np.arange(self.rmax)[None, :] < counts[:, None]).astype(np.float32))
        self.target = torch.from_numpy(tab[:, 1:3].astype(np.float32))
        self.counts = counts

    def batch(self, sel):
        r = int(self.mask[sel].sum(dim=1).max().item())
        ix = self.idx[sel, :r]
        return self.stats[ix], self.pos[ix], self.mask[sel, :r], self.target[sel]


def predict(net, data, batch=1024):
    net.eval()
    outs = []
    with torch.no_grad():
        for i in range(0, data.n, batch):
            sel = torch.arange(i, min(i + batch, data.n))
            st, pos, mask, _ = data.batch(sel)
            raw, radius = net.forward_stats(st, pos, mask)
            outs.append(gaussian(raw, radius))
    return [torch.cat([o[k] for o in outs]) for k in range(4)]


class Exported(nn.Module):
    """The ONNX graph: (logmel, positionKm, mask) -> [eastM, northM, sigmaEastM, sigmaNorthM, rho]."""

    def __init__(self, net, cov_scale):
        super().__init__()
        self.net = net
        self.sigma_scale = math.sqrt(cov_scale)

    def forward(self, logmel, position_km, mask):
        raw, radius = self.net(logmel, position_km, mask)
        mean, l11, l21, l22 = gaussian(raw, radius)
        # Sigma = L L^T: var_e = l11^2, cov_en = l11 l21, var_n = l21^2 + l22^2 (km^2).
        se = l11
        sn = torch.sqrt(l21**2 + l22**2)
        rho = (l11 * l21) / (se * sn)
        k = 1000.0 * self.sigma_scale
        return torch.stack([mean[:, 0] * 1000.0, mean[:, 1] * 1000.0, se * k, sn * k, rho], dim=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    # One thread: on a shared, oversubscribed machine OpenMP threads spin waiting for each other.
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)

    t_load = time.time()
    train, val = Data(args.data, time_stats), Data(args.val, time_stats)
    meta, pre = train.meta, train.meta["preprocessing"]
    net = SetNet(pre["nMels"])
    print(
        f"train {train.n} scenes ({len(train.pos) - 1} receivers), val {val.n}, params "
        f"{sum(p.numel() for p in net.parameters())}, loaded in {time.time() - t_load:.0f} s",
        flush=True,
    )
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * math.ceil(train.n / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    history = []
    for epoch in range(args.epochs):
        net.train()
        perm = torch.randperm(train.n)
        t0, total = time.time(), 0.0
        for i in range(0, train.n, args.batch):
            sel = perm[i : i + args.batch]
            st, pos, mask, tgt = train.batch(sel)
            pos, tgt = rotate_reflect(pos, tgt)
            raw, radius = net.forward_stats(st, pos, mask)
            mean, l11, l21, l22 = gaussian(raw, radius)
            if epoch == 0:  # MSE warm-up in units of the network radius: place the means first
                loss = (((mean - tgt) / radius[:, None]) ** 2).mean()
            else:
                loss = nll(mean, l11, l21, l22, tgt)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += loss.item() * len(sel)
        mean, l11, l21, l22 = predict(net, val)
        err = torch.linalg.norm(mean - val.target, dim=1)
        d2 = mahalanobis2(mean, l11, l21, l22, val.target)
        rel = err / torch.from_numpy(val.table[:, 3].astype(np.float32))
        row = {
            "epoch": epoch + 1,
            "loss": total / train.n,
            "valNll": nll(mean, l11, l21, l22, val.target).item(),
            "valMedianKm": err.median().item(),
            "valMedianErrorOverSpread": rel.median().item(),
            "valCov68": (d2 <= -2 * math.log(1 - 0.68)).float().mean().item(),
            "valCov95": (d2 <= -2 * math.log(1 - 0.95)).float().mean().item(),
            "seconds": time.time() - t0,
        }
        history.append(row)
        print(json.dumps(row), flush=True)

    # Post-hoc calibration on the validation set: the covariance scale that minimises the
    # Gaussian NLL is mean(d^2) / 2 for a 2-D Gaussian.
    mean, l11, l21, l22 = predict(net, val)
    cov_scale = float(mahalanobis2(mean, l11, l21, l22, val.target).mean().item() / 2)
    print(f"covariance scale from validation: {cov_scale:.4f}", flush=True)

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), out / "net.pt")
    exported = Exported(net.eval(), cov_scale).eval()
    onnx_path = out / "model.onnx"
    r = 5
    example = (
        torch.randn(2, r, pre["nMels"], pre["nFrames"]) * 0.3 - 1,
        torch.randn(2, r, 2) * 100,
        torch.tensor([[1.0] * r, [1.0] * 3 + [0.0] * (r - 3)]),
    )
    torch.onnx.export(
        exported,
        example,
        str(onnx_path),
        input_names=["logmel", "positionKm", "mask"],
        output_names=["estimate"],
        dynamic_axes={
            "logmel": {0: "batch", 1: "receivers"},
            "positionKm": {0: "batch", 1: "receivers"},
            "mask": {0: "batch", 1: "receivers"},
            "estimate": {0: "batch"},
        },
        opset_version=13,
    )
    # Reference vectors for the onnxruntime-node parity check (training/checkNetworkOnnx.ts).
    with torch.no_grad():
        ref = exported(*example)
    (out / "parity.json").write_text(
        json.dumps({k: v.reshape(-1).tolist() for k, v in zip(["logmel", "positionKm", "mask", "estimate"], [*example, ref])})
    )
    blob = onnx_path.read_bytes()
    metadata = {
        "schema": "heimdall.model/1",
        "version": args.version,
        "description": "Set model for any network of 2 to 12 receivers given their positions: shared per-receiver encoder, masked self-attention, order-free pooling, full 2x2 covariance",
        "created": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "file": "model.onnx",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "sizeBytes": len(blob),
        "serves": {"kind": "any-network", "minReceivers": 2, "maxReceivers": 12, "bandHz": [144000000, 146000000]},
        "preprocessing": pre,
        "input": {"name": "logmel", "shape": ["batch", "receivers", pre["nMels"], pre["nFrames"]]},
        "inputs": [
            {"name": "logmel", "shape": ["batch", "receivers", pre["nMels"], pre["nFrames"]], "source": "log-mel"},
            {"name": "positionKm", "shape": ["batch", "receivers", 2], "source": "receiver-east-north-of-centroid-km"},
            {"name": "mask", "shape": ["batch", "receivers"], "source": "receiver-mask"},
        ],
        "output": {
            "name": "estimate",
            "covariance": "full",
            "layout": ["eastM", "northM", "sigmaEastM", "sigmaNorthM", "rhoEastNorth"],
            "frame": "east-north-of-centroid",
        },
        "training": {
            "data": f"{meta['scenes']} simulated scenes on random networks, seed {meta['seed']}, physics preset '{meta['physics']}'",
            "physics": meta["ranges"],
            "network": meta["network"],
            "validation": f"{val.meta['scenes']} scenes, seed {val.meta['seed']}, physics '{val.meta['physics']}'",
            "epochs": args.epochs,
            "batch": args.batch,
            "optimizer": f"AdamW lr {args.lr} one-cycle, weight decay 1e-4; 1 epoch MSE warm-up then Gaussian NLL",
            "covarianceScale": cov_scale,
            "torch": torch.__version__,
            "history": history,
            "command": "npm run train:network",
        },
        "evaluation": [],
    }
    (out / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    print(f"wrote {onnx_path} ({len(blob)} bytes)")


if __name__ == "__main__":
    main()
