"""The shipped int8 reader's weights, dequantised back into a PyTorch state dict.

Training on news continues from the reader that already learned SQuAD
(``index/reader_model/reader.onnx``) instead of repeating its 80 minutes of
training: its full-precision checkpoint was not kept, and the int8 file holds
every weight. Quantised tensors come back as ``(q - zero_point) * scale``
(per output channel for the matrices, per tensor for the embeddings), which is
what onnxruntime computes with; the rest (biases, LayerNorm) are stored as
fp32 and copied as they are. Matrix names are recovered from the node that
uses them (``/bert/encoder/layer.0/attention/self/query/MatMul`` ->
``bert.encoder.layer.0.attention.self.query.weight``), transposed from ONNX's
``[in, out]`` to torch's ``[out, in]``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper


def _dequantised(inits: dict[str, np.ndarray], stem: str) -> np.ndarray:
    q = inits[f"{stem}_quantized"].astype(np.float32)
    zero = inits[f"{stem}_zero_point"].astype(np.float32)
    return (q - zero) * inits[f"{stem}_scale"].astype(np.float32)


def state_dict_from_onnx(path: Path) -> dict[str, torch.Tensor]:
    """A ``BertForQuestionAnswering`` state dict from an int8 export of one."""
    model = onnx.load(str(path))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    state: dict[str, torch.Tensor] = {}
    for name, value in inits.items():
        if not name.endswith(("_quantized", "_scale", "_zero_point")) and "." in name:
            state[name] = torch.from_numpy(value.copy())
    for table in ("word", "token_type", "position"):
        stem = f"bert.embeddings.{table}_embeddings.weight"
        state[stem] = torch.from_numpy(_dequantised(inits, stem))
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        stem = node.input[1].removesuffix("_quantized")
        module = node.output[0].split("/MatMul")[0].strip("/").replace("/", ".")
        state[f"{module}.weight"] = torch.from_numpy(_dequantised(inits, stem).T.copy())
    return state
