"""Time `powers amend --corpus` over every version pair of a corpus and say where the time goes.

    python eval/bench_amend.py [CORPUS] [--model NAME]

Prints the number of pairs, the wall time of the whole batch, and the slowest pairs with their article counts, from
the summary the batch writes (a temporary folder, removed afterwards).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

from pipeline.cli import main

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "lawrefbook"


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--model", default="ensemble")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        status = main(["amend", "--corpus", args.corpus, "-o", folder, "--model", args.model])
        elapsed = time.perf_counter() - started
        if status != 0:
            return status
        with (Path(folder) / "summary.csv").open(encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    pairs = sum(float(row["seconds"]) for row in rows)
    print(f"{len(rows)} version pairs in {elapsed:.0f} s with the {args.model} model "
          f"({pairs:.0f} s in the pairs, {elapsed - pairs:.0f} s loading the model and finding the pairs)")
    print("slowest pairs: title, old, new, changed articles, seconds")
    for row in sorted(rows, key=lambda row: -float(row["seconds"]))[:5]:
        changed = sum(int(row[key]) for key in ("modified", "split", "merged", "added", "deleted"))
        print(f"  {row['title']}  {row['old']} → {row['new']}  {changed}  {row['seconds']}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
