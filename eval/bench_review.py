"""Benchmark: push 1,000 review tasks to a real Label Studio server in one call, then push them again.

Starts its own server on 127.0.0.1 (as the tests do, from `.label-studio/venv`, made on first use), makes the tasks
of the bundled corpus with the rule model (the first N, least certain first), and times `pipeline.review.push`:
the first push creates every task, the second finds them all unchanged.

    python eval/bench_review.py [N]     (default: 1000)
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from label_studio_server import VERSION, Server  # noqa: E402

from pipeline.classify import load_classifier  # noqa: E402
from pipeline.find import find_statutes  # noqa: E402
from pipeline.review import BATCH, connect, project_id, push  # noqa: E402
from pipeline.segment import read_statute  # noqa: E402
from pipeline.tasks import review_tasks  # noqa: E402
from pipeline.tiers import DEFAULT_SCHEME, load_scheme  # noqa: E402


def bench(count: int) -> None:
    statutes = (read_statute(path, name) for path, name in find_statutes([str(REPO / "corpus" / "lawrefbook")], []))
    started = time.perf_counter()
    tasks = review_tasks(statutes, load_classifier("rules"), load_scheme(DEFAULT_SCHEME))[:count]
    made = time.perf_counter() - started
    size = sum(len(str(task)) for task in tasks) / 2**20
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "data", Path(tmp) / "server.log")
        started = time.perf_counter()
        server.start()
        startup = time.perf_counter() - started
        os.environ["LABEL_STUDIO_API_KEY"] = server.token
        try:
            client = connect(server.url)
            project = project_id(client, "benchmark")
            started = time.perf_counter()
            first = push(client, project, tasks)
            first_seconds = time.perf_counter() - started
            started = time.perf_counter()
            second = push(client, project, tasks)
            second_seconds = time.perf_counter() - started
        finally:
            server.stop()
    print(f"machine        {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"label-studio {VERSION} (SQLite)")
    print(f"tasks          {len(tasks):,} made in {made:.1f} s (~{size:.1f} MB of task data)")
    print(f"server start   {startup:.1f} s")
    print(f"first push     {first_seconds:.1f} s: {first.created:,} created in batches of {BATCH} "
          f"({first.created / first_seconds:,.0f} tasks/s)")
    print(f"second push    {second_seconds:.1f} s: {second.unchanged:,} unchanged, {second.created} created")


if __name__ == "__main__":
    bench(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
