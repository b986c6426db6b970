"""Average the weights of readers fine-tuned from one lineage (a "model soup").

Two readers trained from the same start on different draws of questions often
err on different questions; the mean of their weights (Wortsman et al. 2022,
"Model soups") can read better than either, at no cost when answering. The
result is saved like a training run's ``final`` folder, for ``export_reader.py``:

    .venv-train/bin/python training/average_readers.py RUN/final OTHER/final --out training/runs/soup/final
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from safetensors.torch import load_file, save_file


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("readers", nargs="+", type=Path, help="folders holding model.safetensors")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    weights = [load_file(str(folder / "model.safetensors")) for folder in args.readers]
    if any(w.keys() != weights[0].keys() for w in weights):
        raise SystemExit("the readers do not share one architecture")
    mean = {
        name: sum(w[name].float() for w in weights).div(len(weights)).to(weights[0][name].dtype)
        for name in weights[0]
    }
    args.out.mkdir(parents=True, exist_ok=True)
    for extra in args.readers[0].iterdir():  # config and tokenizer, from the first
        if extra.name != "model.safetensors":
            shutil.copy2(extra, args.out / extra.name)
    save_file(mean, str(args.out / "model.safetensors"), metadata={"format": "pt"})
    print(f"averaged {len(weights)} readers into {args.out}")


if __name__ == "__main__":
    main()
