"""Statutes → entries for a whole corpus: one statute is the unit of work, run in parallel, cached by content.

`run_statute` is a pure function of a statute file and the models: it reads, classifies and proposes one statute
and writes its entries to the cache under a key that hashes the file's bytes with everything that decides the
output (the code, the model files, the tier scheme). A re-run skips every statute whose key is cached, so an
amendment re-runs only the changed file, and a run killed at any point continues where it stopped; the list is
assembled from the cache in the order the statutes were given, so it is the same however the work was split.
The same function is the unit of work for a distributed engine (see the README's batch section).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.classify import MODELS, Classifier, load_classifier, read_meta
from pipeline.extract import read_powers
from pipeline.mentions import MODEL as MENTION_MODEL
from pipeline.models import Diagnostic, Entry, ListedEntry, StatuteError
from pipeline.propose import propose
from pipeline.registry import DocumentCache, RegistryEntry, build_registry, load_registry, save_registry
from pipeline.segment import read_statute
from pipeline.tiers import Scheme
from pipeline.write import atomic_open

PACKAGE = Path(__file__).resolve().parent
CACHE = "cache"  # the folder of a list's output directory that holds each statute's entries
REGISTRY = "registry"  # the folder of the cache that holds the corpus's registry
DOCUMENTS = "documents"  # the folder of REGISTRY that holds what the registry read of each file


@dataclass(frozen=True)
class Job:
    """One statute to propose: its file, the name the user gave it, and its cache key."""

    path: Path
    name: str
    key: str


@dataclass(frozen=True)
class StatuteRun:
    """What proposing one statute gave, as its cache file's first line records it."""

    name: str
    provisions: int
    entries: int
    diagnostics: tuple[Diagnostic, ...]
    read: bool
    cached: bool = False

    def header(self) -> dict[str, object]:
        record = asdict(self)
        del record["cached"]
        return record

    @classmethod
    def from_header(cls, record: dict[str, object]) -> StatuteRun:
        diagnostics = tuple(Diagnostic(**item) for item in record["diagnostics"])  # type: ignore[union-attr]
        return cls(**{**record, "diagnostics": diagnostics, "cached": True})  # type: ignore[arg-type]


def settings_key(model: str, scheme: Scheme, models: Path = MODELS) -> str:
    """A hash of what, beside a statute's text, decides its entries: the package's code, the model's files (and
    its members' for the ensemble), the mention model's and the tier scheme. Any change to one of them invalidates
    the whole cache."""
    digest = _code_digest()
    digest.update(repr(scheme).encode())
    meta = read_meta(models / model)  # a model that was never trained fails here, before any work
    folders = [models / model, MENTION_MODEL.parent]
    if model == "ensemble":
        folders += [models / member for member, weight in meta["weights"].items() if weight]
    for path in sorted(path for folder in folders for path in folder.rglob("*")):
        if path.is_file() and path.name != "README.md":
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def corpus_registry(root: Path, cache: Path) -> list[RegistryEntry]:
    """The registry of a LawRefBook corpus, built once for each state of its files: kept in `cache` under a hash of
    the code and of every file it reads, so that a re-run over an unchanged corpus does not read its ~3,500
    documents again (seconds) before finding that little changed; when the corpus changed, only the changed files
    are read again (`DocumentCache`). Building it only warns (a row without a file, a file without a row), and a
    list keeps errors only, so nothing is lost by not building it again."""
    code = _code_digest().hexdigest()
    digest = hashlib.sha256(code.encode())
    hashes: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix in (".md", ".sqlite3") and path.is_file():
            relative = path.relative_to(root).as_posix()
            hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            digest.update(f"{relative}\0{hashes[relative]}\n".encode())
    folder = cache / REGISTRY
    kept = folder / f"{digest.hexdigest()[:32]}.jsonl"
    if kept.is_file():
        try:
            return load_registry(kept)
        except StatuteError:
            pass  # a damaged copy is built again
    documents = DocumentCache(folder / DOCUMENTS / f"{code[:32]}.jsonl", hashes)
    entries = build_registry(root, [], documents)
    for stale in (*folder.glob("*.jsonl"), *(folder / DOCUMENTS).glob("*.jsonl")):
        stale.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    documents.save()
    save_registry(entries, kept)
    return entries


def _code_digest() -> hashlib._Hash:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest


def plan(found: Sequence[tuple[Path, str]], settings: str) -> list[Job]:
    """A job per statute file, keyed by its bytes and the settings."""
    return [
        Job(path, name, hashlib.sha256(settings.encode() + path.read_bytes()).hexdigest()[:32])
        for path, name in found
    ]


_loaded: tuple[str, Scheme, Classifier] | None = None  # the model's name, the tier scheme, the loaded classifier


def load(model: str, scheme: Scheme, threads: int) -> None:
    """Load the models once per process (a pool's initializer, or the main process when it works alone; a process
    that proposes again, as `powers propose --watch` does, keeps them)."""
    global _loaded
    if _loaded is None or _loaded[:2] != (model, scheme):
        _loaded = (model, scheme, load_classifier(model))
    # One thread a worker (the workers already share out the cores): set now if torch is loaded, else read by torch
    # when the transformer is first needed.
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    else:
        os.environ["OMP_NUM_THREADS"] = str(threads)


def run_statute(job: Job, cache: Path) -> StatuteRun:
    """Propose one statute and cache its entries; a statute that cannot be read is cached as such."""
    assert _loaded is not None, "load() the models first"
    _, scheme, classifier = _loaded
    try:
        statute = read_statute(job.path, job.name)
    except StatuteError as error:
        result = StatuteRun(job.name, 0, 0, (error.diagnostic,), read=False)
        entries: list[Entry] = []
    else:
        entries = propose(statute, read_powers(statute, classifier), scheme)
        result = StatuteRun(job.name, len(statute.provisions), len(entries), statute.diagnostics, read=True)
    listed = [ListedEntry.of(entry) for entry in entries]
    with atomic_open(cache / f"{job.key}.jsonl") as handle:
        handle.write(json.dumps(result.header(), ensure_ascii=False) + "\n")
        handle.write(json.dumps([item.brief for item in listed], ensure_ascii=False) + "\n")
        for item in listed:  # the lines a list copies as they are (`cached_entries`)
            handle.write(item.line)
    return result


def cached_run(job: Job, cache: Path) -> StatuteRun | None:
    """The cached result of a job, or None when there is none (or what is there cannot be read: it is redone)."""
    path = cache / f"{job.key}.jsonl"
    if not path.is_file():
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return StatuteRun.from_header(json.loads(handle.readline()))
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        return None


def run(jobs: Sequence[Job], cache: Path, model: str, scheme: Scheme, workers: int) -> Iterator[StatuteRun]:
    """Every job's result as it is known: cached ones first, then the rest as workers finish them.

    Models are loaded only when something is left to do, in each worker; the largest files go first, so that
    no worker is left with a long statute at the end.
    """
    pending = []
    for job in jobs:
        done = cached_run(job, cache)
        if done is None:
            pending.append(job)
        else:
            yield done
    if not pending:
        return
    cache.mkdir(parents=True, exist_ok=True)
    pending.sort(key=lambda job: job.path.stat().st_size, reverse=True)
    workers = max(1, min(workers, len(pending)))
    if workers == 1:
        load(model, scheme, threads=os.cpu_count() or 1)
        for job in pending:
            yield run_statute(job, cache)
        return
    # Workers start from a clean server process, not forked from this one: a fork of a process whose torch has
    # started its thread pools (a test, a notebook that classified something) can crash in the child.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, context, initializer=load, initargs=(model, scheme, 1)) as pool:
        futures = [pool.submit(run_statute, job, cache) for job in pending]
        for future in as_completed(futures):
            yield future.result()


def cached_entries(jobs: Sequence[Job], cache: Path) -> Iterator[ListedEntry]:
    """The entries of every job, in the jobs' order, read back from the cache one statute at a time: as lines with
    their brief (kept on the file's second line), parsed only where something reads more."""
    for job in jobs:
        with open(cache / f"{job.key}.jsonl", encoding="utf-8") as handle:
            handle.readline()
            briefs = json.loads(handle.readline())
            for line, brief in zip(handle, briefs, strict=True):
                yield ListedEntry(line, brief=brief)


def prune(jobs: Sequence[Job], cache: Path) -> int:
    """Remove cache files that no job of this run uses (older texts, older settings); how many went."""
    used = {f"{job.key}.jsonl" for job in jobs}
    stale = [path for path in cache.glob("*.jsonl") if path.name not in used] if cache.is_dir() else []
    for path in stale:
        path.unlink()
    return len(stale)
