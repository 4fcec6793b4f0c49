#!/usr/bin/env python3
"""Where int8's query recall goes: the numpy reference (../shared/tools/minilm_ref.py) with its
weight products rounded as refer-int8 rounds them ("fake quantization": values snapped to the
int8 grid, products in Float32), one source of error at a time. Query recall@10 of
pypi-minilm-100k's 1,000 query texts against query.gt100.ibin (exact top 10 among the Float32
base), and the cosine of each query vector to the exact one.
  int8_study.py [VARIANT ...]       (run with scripts/setup.sh's venv: numpy, safetensors, tokenizers)
VARIANT: f32; w8a8 (refer-int8: weights int8 symmetric per output row, activations uint8
asymmetric per token); w8 (weights only, activations exact); a8 (activations only);
w8a8-smooth:ALPHA (SmoothQuant, Xiao et al. 2023: per input channel j, activations divided and
weights multiplied by max|x_j|^ALPHA / max|w_j|^(1-ALPHA), max|x_j| from 512 base texts, not
the queries); w8a8-layer:L (refer-int8's rounding in layer L alone, 0-5; the others exact).
Default: f32 w8a8 w8 a8 w8a8-smooth:0.5.
"""
import os
import re
import sys

import numpy as np

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(root, "..", "shared", "tools"))
from minilm_ref import MiniLM  # noqa: E402

model = os.environ.get("REFER_MODEL_DIR", os.path.expanduser("~/.cache/refer/models/all-MiniLM-L6-v2"))
sets = os.path.join(root, "..", "shared", "datasets", "pypi-minilm-100k")


def fbin(path):
    n, d = np.fromfile(path, dtype=np.uint32, count=2)
    return np.fromfile(path, dtype=np.float32, offset=8).reshape(n, d)


def activations_u8(x):
    """Each row on 256 levels over its range widened to hold 0 (refer-int8's quantize_rows_u8)."""
    lo = np.minimum(x.min(-1, keepdims=True), 0)
    hi = np.maximum(x.max(-1, keepdims=True), 0)
    scale = (hi - lo) / 255
    scale[scale == 0] = 1
    zero = np.clip(np.round(-lo / scale), 0, 255)
    return ((np.clip(np.round(x / scale) + zero, 0, 255) - zero) * scale).astype(np.float32)


def weights_s8(w):
    """w is [in, out]: each output column symmetric, scale max|w| / 127 (refer-int8's cm_pack)."""
    scale = np.abs(w).max(0, keepdims=True) / 127
    scale[scale == 0] = 1
    return (np.clip(np.round(w / scale), -127, 127) * scale).astype(np.float32)


class Quantized(MiniLM):
    def __init__(self, weights, acts, alpha=None, channel_max=None, layer=None):
        super().__init__(model)
        self.weights, self.acts, self.alpha, self.channel_max, self.layer = weights, acts, alpha, channel_max, layer
        self.prepared, self.record = {}, None

    def lin(self, x, p):
        shape = x.shape
        x2 = x.reshape(-1, shape[-1])
        if self.record is not None:
            self.record[p] = np.maximum(self.record.get(p, 0), np.abs(x2).max(0))
        if not (self.weights or self.acts) or (self.layer is not None and not p.startswith(f"encoder.layer.{self.layer}.")):
            return super().lin(x, p)
        if p not in self.prepared:
            w = np.ascontiguousarray(self.w[p + ".weight"].T)
            smooth = None
            if self.alpha is not None:
                smooth = np.maximum(self.channel_max[p] ** self.alpha / np.maximum(np.abs(w).max(1), 1e-5) ** (1 - self.alpha), 1e-5).astype(np.float32)
                w = w * smooth[:, None]
            self.prepared[p] = (weights_s8(w) if self.weights else w, smooth)
        w, smooth = self.prepared[p]
        if smooth is not None:
            x2 = x2 / smooth
        if self.acts:
            x2 = activations_u8(x2)
        return (x2 @ w + self.w[p + ".bias"]).reshape(shape[:-1] + (w.shape[1],))


def embed(m, texts):
    order = np.argsort([len(t) for t in texts])
    out = np.zeros((len(texts), 384), np.float32)
    for s in range(0, len(texts), 128):
        idx = order[s:s + 128]
        out[idx] = m.embed([texts[i] for i in idx])
    return out


variants = sys.argv[1:] or ["f32", "w8a8", "w8", "a8", "w8a8-smooth:0.5"]
for v in variants:   # checked before the minutes of embedding
    if not re.fullmatch(r"f32|w8a8|w8|a8|w8a8-smooth:(0|1|0?\.\d+)|w8a8-layer:[0-5]", v):
        sys.exit(f"int8_study.py: unknown variant '{v}' (f32, w8a8, w8, a8, w8a8-smooth:ALPHA in [0, 1], w8a8-layer:0-5)")
base = fbin(os.path.join(sets, "base.fbin"))
gt = np.fromfile(os.path.join(sets, "query.gt100.ibin"), dtype=np.int32, offset=8).reshape(-1, 100)[:, :10]
queries = [l.rstrip("\n") for l in open(os.path.join(sets, "query.txt"), encoding="utf-8")]
exact = embed(Quantized(False, False), queries)
channel_max = None
if any(v.startswith("w8a8-smooth") for v in variants):
    calibration = Quantized(False, False)
    calibration.record = {}
    embed(calibration, [l.rstrip("\n") for l in open(os.path.join(sets, "base.txt"), encoding="utf-8")][:512])
    channel_max = calibration.record
print(f"{'variant':22} {'recall@10':>9} {'mean cos':>9} {'min cos':>8}")
for v in variants:
    if v == "f32": m = Quantized(False, False)
    elif v == "w8a8": m = Quantized(True, True)
    elif v == "w8": m = Quantized(True, False)
    elif v == "a8": m = Quantized(False, True)
    elif v.startswith("w8a8-smooth:"): m = Quantized(True, True, float(v.split(":")[1]), channel_max)
    else: m = Quantized(True, True, layer=int(v.split(":")[1]))
    q = embed(m, queries)
    top = np.argsort(-(q @ base.T), axis=1)[:, :10]
    recall = np.mean([len(set(top[i]) & set(gt[i])) / 10 for i in range(len(gt))])
    cos = (q * exact).sum(1)
    print(f"{v:22} {recall:9.4f} {cos.mean():9.6f} {cos.min():8.5f}", flush=True)
