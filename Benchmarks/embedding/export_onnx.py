#!/usr/bin/env python3
"""Exports all-MiniLM-L6-v2 (the same weights refer runs, from MODEL_DIR) to ONNX for the
ONNX Runtime peers, offline: the BertModel through torch.onnx (opset 17, dynamic batch and
sequence axes), then ONNX Runtime's dynamic int8 quantization of its MatMuls (per output
channel, signed int8 weights, activations quantized per tensor at run time), the recipe
ONNX Runtime documents for transformer encoders on CPU.
  export_onnx.py MODEL_DIR OUT_DIR   -> OUT_DIR/minilm-fp32.onnx, OUT_DIR/minilm-int8.onnx
"""
import os
import sys

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertModel

model_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
fp32, int8 = os.path.join(out, "minilm-fp32.onnx"), os.path.join(out, "minilm-int8.onnx")


class Encoder(torch.nn.Module):
    """The BertModel called by keyword (its positional arguments differ between releases)."""
    def __init__(self):
        super().__init__()
        self.bert = BertModel.from_pretrained(model_dir, add_pooling_layer=False).eval()

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state


model = Encoder().eval()
ids = torch.ones(2, 16, dtype=torch.long)
with torch.inference_mode():
    torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), fp32, opset_version=17, dynamo=False,
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["last_hidden_state"],
                      dynamic_axes={n: {0: "batch", 1: "sequence"} for n in ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]})
quantize_dynamic(fp32, int8, op_types_to_quantize=["MatMul"], per_channel=True, weight_type=QuantType.QInt8)
print(f"exported {fp32} and {int8}")
