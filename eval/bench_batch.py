"""Whole-corpus batch benchmark (issue 7): the jieba floor, `powers segment`, `powers propose`, and a warm re-run.

In one process, over the same statute files: jieba's plain tokenisation of every file's text (the floor that any
pipeline using jieba pays), `powers segment` writing every 款, `powers propose` from a cold cache with every core,
and a re-run after one statute was amended (warm cache). Prints times, ratios to the jieba pass, units/s and the
peak memory of the whole process tree, for each step and for the run: this process holds the corpus's text and
what the jieba pass and `powers segment` left in its heap, which a `powers propose` command does not carry.

    python eval/bench_batch.py [CORPUS] [--jobs N] [--model NAME]   # CORPUS defaults to ../shared/corpus/lawrefbook
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import jieba

from pipeline.classify import DEFAULT_MODEL, MODEL_NAMES
from pipeline.cli import main
from pipeline.find import find_statutes
from pipeline.read import read_source

REPO = Path(__file__).resolve().parents[1]
AMENDED = ("城市道路管理条例(2019-03-24).md", "城镇燃气管理条例(2016-02-06).md")


class TreeMemory(threading.Thread):
    """The largest resident memory of this process and all its descendants together, sampled every 0.2 s
    (workers of a forkserver pool are not this process's children, so getrusage cannot see them)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = self.step_peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            resident = tree_rss()
            self.peak, self.step_peak = max(self.peak, resident), max(self.step_peak, resident)
            time.sleep(0.2)

    def end_step(self) -> int:
        """The peak since the last step ended."""
        peak, self.step_peak = self.step_peak, 0
        return peak


def tree_rss() -> int:
    return sum(_rss(pid) for pid in _tree(os.getpid()))


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed(label: str, action, memory: TreeMemory) -> float:
    """Run one step; print its time, the peak memory of the tree during it, and how much of that the step added to
    what the tree held when it began (this process's heap: the corpus's text, what earlier steps left)."""
    memory.end_step()
    before = tree_rss()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    time.sleep(0.3)  # one more sample of the step's last moments
    peak = max(memory.end_step(), before)
    print(f"{label:<48} {seconds:8.1f} s   peak RSS {peak / 2**20:6,.0f} MB "
          f"(+{(peak - before) / 2**20:,.0f} MB over {before / 2**20:,.0f} MB at its start)", flush=True)
    return seconds


def run(*argv: str) -> None:
    if main(list(argv)) != 0:
        raise SystemExit(f"powers {' '.join(argv)} failed")


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus" / "lawrefbook"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--model", default=DEFAULT_MODEL, choices=MODEL_NAMES, help="the classifier to propose with")
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    memory = TreeMemory()
    memory.start()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(args.corpus, corpus)  # a copy: one statute is amended below
        files = [path for path, _ in find_statutes([str(corpus)], [])]
        texts = [read_source(path).text for path in files]
        characters = sum(map(len, texts))
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        print(f"{len(files)} statute files, {characters:,} characters; {args.jobs} worker(s); model {args.model}; "
              f"{machine}")
        floor = timed("jieba.lcut over every file's text", lambda: tokenise(texts), memory)
        units_file = Path(scratch) / "units.jsonl"
        segment = timed("powers segment (writing every 款)", lambda: run("segment", str(corpus), "-o", str(units_file)),
                        memory)
        with open(units_file, encoding="utf-8") as handle:
            units = sum(1 for _ in handle)
        output = Path(scratch) / "list"
        jobs = ("--jobs", str(args.jobs), "--model", args.model)
        full = timed("powers propose, cold cache", lambda: run("propose", str(corpus), "-o", str(output), *jobs),
                     memory)
        with open(output / "entries.jsonl", encoding="utf-8") as handle:
            entries = sum(1 for _ in handle)
        amend(files, AMENDED[0])
        again = timed("re-run, one statute amended (three formats)", lambda: run("propose", str(corpus), "-o",
                                                                                str(output), *jobs), memory)
        amend(files, AMENDED[1])
        jsonl = timed("re-run, one statute amended (--formats jsonl)", lambda: run(
            "propose", str(corpus), "-o", str(output), *jobs, "--formats", "jsonl"), memory)
    memory.running = False
    print(f"\n{units:,} 款 → {entries:,} entries; full pipeline {units / full:,.0f} 款/s")
    print(f"ratios to the jieba pass: segment {segment / floor:.2f}x, full pipeline {full / floor:.2f}x")
    print(f"amendment re-run: {again:.1f} s writing JSONL, CSV and XLSX; {jsonl:.1f} s writing JSONL only")
    print(f"peak RSS of the process tree (this process and its workers together) over the whole run: "
          f"{memory.peak / 2**20:,.0f} MB")


def tokenise(texts: list[str]) -> None:
    """The floor: every text cut into words, each list dropped once made (keeping the corpus's ~10 million words
    would measure this benchmark's memory, not the pipeline's)."""
    for text in texts:
        jieba.lcut(text)


def amend(files: list[Path], name: str) -> None:
    """Raise the fines of one statute: a real edit of the kind an amendment makes."""
    amended = next(path for path in files if path.name == name)
    text = amended.read_text(encoding="utf-8")
    assert "万元" in text, name
    amended.write_text(text.replace("万元", "0万元", 1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main_bench())
