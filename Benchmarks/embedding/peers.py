#!/usr/bin/env python3
"""One peer embedder of all-MiniLM-L6-v2 on a text file, as users run it: the Hugging Face
fast tokenizer (truncation at 256 tokens, sentence-transformers' limit), batches of texts of
similar length (at most 128 texts and 4,096 padded tokens, as refer batches), the model, mean
pooling over real tokens, unit length. Timed from texts to vectors, after a warm-up.
  peers.py SYSTEM THREADS MODEL_DIR ONNX_DIR texts.txt out.fbin
SYSTEM: torch-fp32, torch-bf16 (autocast to bfloat16), onnxruntime-fp32, onnxruntime-int8.
Prints {"seconds", "texts"} as JSON; writes the vectors as .fbin (u32 n, u32 d, f32 rows).
"""
import json
import os
import struct
import sys
import time

import numpy as np
from tokenizers import Tokenizer

system, threads, model_dir, onnx_dir, texts_path, out = sys.argv[1], int(sys.argv[2]), *sys.argv[3:7]
texts = [l.rstrip("\n") for l in open(texts_path, encoding="utf-8")]
tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
tokenizer.no_padding()   # tokenizer.json pads every text to 128; batches pad themselves
tokenizer.enable_truncation(256)


def batches(encodings):
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    current = []
    for i in order:
        longest = len(encodings[i].ids)
        if current and ((len(current) + 1) * longest > 4096 or len(current) == 128):
            yield current
            current = []
        current.append(i)
    if current:
        yield current


def padded(encodings, members):
    n = max(len(encodings[i].ids) for i in members)
    ids = np.zeros((len(members), n), dtype=np.int64)
    mask = np.zeros((len(members), n), dtype=np.int64)
    for r, i in enumerate(members):
        e = encodings[i].ids
        ids[r, :len(e)] = e
        mask[r, :len(e)] = 1
    return ids, mask


if system.startswith("torch"):
    import torch
    from transformers import BertModel
    torch.set_num_threads(threads)
    model = BertModel.from_pretrained(model_dir, add_pooling_layer=False).eval()
    bf16 = system == "torch-bf16"

    def run(ids, mask):
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            t_ids, t_mask = torch.from_numpy(ids), torch.from_numpy(mask)
            hidden = model(input_ids=t_ids, attention_mask=t_mask, token_type_ids=torch.zeros_like(t_ids)).last_hidden_state
            return hidden.float().numpy()
elif system.startswith("onnxruntime"):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    name = "minilm-int8.onnx" if system == "onnxruntime-int8" else "minilm-fp32.onnx"
    session = ort.InferenceSession(os.path.join(onnx_dir, name), options, providers=["CPUExecutionProvider"])

    def run(ids, mask):
        return session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
else:
    sys.exit(f"peers.py: unknown system {system}")


def embed(texts):
    encodings = tokenizer.encode_batch(texts)
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for members in batches(encodings):
        ids, mask = padded(encodings, members)
        hidden = run(ids, mask)
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(1) / m.sum(1)
        out[members] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return out


embed(texts[:256])   # warm-up
start = time.perf_counter()
vectors = embed(texts)
seconds = time.perf_counter() - start
with open(out, "wb") as f:
    f.write(struct.pack("<II", *vectors.shape))
    f.write(vectors.astype("<f4").tobytes())
print(json.dumps({"seconds": seconds, "texts": len(texts)}))
