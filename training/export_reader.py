"""Export a trained reader to ONNX, quantise it to int8 and check both on the dev files.

    python training/export_reader.py training/runs/reader/final

writes ``index/reader_model/reader.onnx`` (int8, per-channel dynamic
quantisation) and ``tokenizer.json``, prints the file's SHA-256 for the model
card, and scores fp32 against int8 reading the *gold* paragraph of the
development questions (``--questions`` per file), which isolates the reader
from retrieval and shows what quantisation costs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertForQuestionAnswering

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.evaluation.squad import best_over_gold, exact_match, f1_score  # noqa: E402
from index.reader import MODEL_DIR, Reader, file_checksum  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad"


def export_onnx(
    model: torch.nn.Module, out: Path, outputs: dict[str, dict[int, str]], batch: int = 1
) -> None:
    """A BERT-input model to ONNX (opset 17) with batch and token axes free; shared with
    ``export_embedder.py``."""
    dummy = torch.ones((batch, 16), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        model,
        (dummy, dummy, torch.zeros_like(dummy)),
        str(out),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=list(outputs),
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, **outputs},
        opset_version=17,
        dynamo=False,
    )


def export_fp32(model_dir: Path, out: Path) -> None:
    model = BertForQuestionAnswering.from_pretrained(model_dir).eval()
    tokens = {0: "batch", 1: "tokens"}
    export_onnx(model, out, {"start_logits": tokens, "end_logits": tokens})


def gold_paragraph_scores(folder: Path, name: str, limit: int) -> dict[str, float]:
    """EM/F1 reading each question's own paragraph; null wins when its margin is < 0.

    ``f1_always`` takes the best span whatever its margin, the figure published readers give.
    """
    reader = Reader(folder)
    data = json.loads((SQUAD / name).read_text(encoding="utf-8"))["data"]
    exact = f1 = f1_always = 0.0
    count = answerable = 0
    started = time.perf_counter()
    for article in data:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                if count == limit:
                    break
                spans = reader.read(qa["question"], [paragraph["context"]])
                text = spans[0].text if spans and spans[0].margin > 0 else ""
                golds = [a["text"] for a in qa["answers"]] or [""]
                exact += best_over_gold(exact_match, text, golds)
                f1 += best_over_gold(f1_score, text, golds)
                if qa["answers"]:
                    answerable += 1
                    f1_always += best_over_gold(f1_score, spans[0].text if spans else "", golds)
                count += 1
    ms = 1000 * (time.perf_counter() - started) / max(count, 1)
    return {
        "questions": count,
        "em": 100 * exact / count,
        "f1": 100 * f1 / count,
        "f1_always": 100 * f1_always / max(answerable, 1),
        "ms": ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", type=Path, help="a trained model folder (save_pretrained)")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--questions", type=int, default=400, help="per dev file; 0 skips the check"
    )
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32"
        fp32.mkdir()
        export_fp32(args.model, fp32 / "reader.onnx")
        quantize_dynamic(
            fp32 / "reader.onnx",
            args.out / "reader.onnx",
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
        shutil.copy(args.model / "tokenizer.json", args.out / "tokenizer.json")
        shutil.copy(args.model / "tokenizer.json", fp32 / "tokenizer.json")
        digest = file_checksum(args.out / "reader.onnx")
        size = (args.out / "reader.onnx").stat().st_size / 2**20
        print(f"int8 model: {args.out / 'reader.onnx'} ({size:.1f} MiB) SHA-256 {digest}")
        fp32_size = (fp32 / "reader.onnx").stat().st_size / 2**20
        print(f"fp32 model: {fp32_size:.1f} MiB")
        if not args.questions:
            return
        card = f"SHA-256: {digest}\n"
        (fp32 / "MODEL.md").write_text(f"SHA-256: {file_checksum(fp32 / 'reader.onnx')}\n")
        shipped_card = args.out / "MODEL.md"
        if not shipped_card.exists() or digest not in shipped_card.read_text(encoding="utf-8"):
            shipped_card.write_text(card, encoding="utf-8")  # a stub until the card is written
        for name in ("squad-v1.1-dev.json", "squad-v2.0-dev.json"):
            for label, folder in (("fp32", fp32), ("int8", args.out)):
                scores = gold_paragraph_scores(folder, name, args.questions)
                print(
                    f"{name} gold paragraph, {label}: {scores['questions']} questions, "
                    f"EM {scores['em']:.1f} F1 {scores['f1']:.1f} (always answering the "
                    f"answerable: {scores['f1_always']:.1f}), {scores['ms']:.1f} ms a question",
                    flush=True,
                )


if __name__ == "__main__":
    main()
