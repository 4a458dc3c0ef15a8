"""Whole-corpus batch benchmark (issue 7): the jieba floor, `powers segment`, `powers propose`, and a warm re-run.

In one process, over the same statute files: jieba's plain tokenisation of every file's text (the floor that any
pipeline using jieba pays), `powers segment` writing every 款, `powers propose` from a cold cache with every core,
and a re-run after one statute was amended (warm cache). Prints times, ratios to the jieba pass, units/s and peak
memory (this process, and the largest worker).

    python eval/bench_batch.py [CORPUS] [--jobs N]     # CORPUS defaults to ../shared/corpus/lawrefbook
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jieba

from pipeline.cli import main
from pipeline.find import find_statutes
from pipeline.read import read_source

REPO = Path(__file__).resolve().parents[1]
AMENDED = "城市道路管理条例(2019-03-24).md"


def timed(label: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.1f} s", flush=True)
    return seconds


def run(*argv: str) -> None:
    if main(list(argv)) != 0:
        raise SystemExit(f"powers {' '.join(argv)} failed")


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus" / "lawrefbook"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(args.corpus, corpus)  # a copy: one statute is amended below
        files = [path for path, _ in find_statutes([str(corpus)], [])]
        texts = [read_source(path).text for path in files]
        characters = sum(map(len, texts))
        print(f"{len(files)} statute files, {characters:,} characters; {args.jobs} worker(s); "
              f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        floor = timed("jieba.lcut over every file's text", lambda: [jieba.lcut(text) for text in texts])
        units_file = Path(scratch) / "units.jsonl"
        segment = timed("powers segment (writing every 款)", lambda: run("segment", str(corpus), "-o", str(units_file)))
        with open(units_file, encoding="utf-8") as handle:
            units = sum(1 for _ in handle)
        output = Path(scratch) / "list"
        jobs = ("--jobs", str(args.jobs))
        full = timed("powers propose, cold cache", lambda: run("propose", str(corpus), "-o", str(output), *jobs))
        amended = next(path for path in files if path.name == AMENDED)
        amended.write_text(amended.read_text(encoding="utf-8").replace("2万元", "5万元"), encoding="utf-8")
        again = timed("powers propose, one statute amended", lambda: run("propose", str(corpus), "-o", str(output), *jobs))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\n{units:,} 款; full pipeline {units / full:,.0f} 款/s")
    print(f"ratios to the jieba pass: segment {segment / floor:.2f}x, full pipeline {full / floor:.2f}x")
    print(f"amendment re-run: {again:.1f} s")
    print(f"peak RSS: this process {own:,.0f} MB, largest worker {workers:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main_bench())
