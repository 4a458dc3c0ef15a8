"""Benchmark: `powers segment` over a whole corpus, in this process. Prints time, throughput and peak memory.

    python eval/bench_segment.py [CORPUS]     (default: ../shared/corpus/lawrefbook, else corpus/lawrefbook)
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = (REPO.parent / "shared" / "corpus" / "lawrefbook", REPO / "corpus" / "lawrefbook")


def bench(corpus: Path) -> None:
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.suffix in {".md", ".txt", ".docx"})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "provisions.jsonl"
        stderr, sys.stderr = sys.stderr, open(os.devnull, "w")  # noqa: SIM115 - silence per-file warnings
        try:
            started = time.perf_counter()
            status = main(["segment", str(corpus), "-o", str(out)])
            seconds = time.perf_counter() - started
        finally:
            sys.stderr.close()
            sys.stderr = stderr
        provisions = sum(1 for _ in out.open(encoding="utf-8"))
        output_mb = out.stat().st_size / 2**20
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine      {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus       {corpus} ({size / 2**20:.1f} MB of statute files)")
    print(f"exit status  {status}")
    print(f"provisions   {provisions:,} ({output_mb:.0f} MB of JSONL)")
    print(f"time         {seconds:.1f} s ({size / 2**20 / seconds:.1f} MB/s, {provisions / seconds:,.0f} provisions/s)")
    print(f"peak RSS     {peak_mb:.0f} MB")


if __name__ == "__main__":
    given = Path(sys.argv[1]) if len(sys.argv) > 1 else next(p for p in DEFAULT_CORPORA if p.is_dir())
    bench(given)
