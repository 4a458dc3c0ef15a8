"""The `powers` command: one subcommand a stage, each reading files and writing records atomically."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline import __version__
from pipeline.batch import (
    CACHE,
    StatuteRun,
    cached_entries,
    corpus_registry,
    load,
    plan,
    prune,
    run,
    settings_key,
)
from pipeline.classify import DEFAULT_MODEL, MODEL_NAMES, MODELS, Classifier, load_classifier
from pipeline.export import NAMES, Sheet, write_csv, write_entries, write_xlsx
from pipeline.extract import annotate, as_annotation, extract
from pipeline.find import find_statutes
from pipeline.gold import SPLITS, add_gold, load_annotations, load_splits, read_reviewed, split, write_label_studio
from pipeline.merge import BASIS_CHANGED, add_reviewed, keep_reviewed, read_decisions, read_entries
from pipeline.models import (
    CANCELLED,
    CATEGORIES,
    Annotation,
    Diagnostic,
    ListedEntry,
    RegistryEntry,
    Statute,
    StatuteError,
)
from pipeline.read import SUFFIX_FORMATS
from pipeline.registry import Registry, build_registry, load_registry, save_registry
from pipeline.review import (
    BATCH,
    DEFAULT_PROJECT,
    LABEL_CONFIG,
    TOKEN_ENV,
    URL_ENV,
    ReviewError,
    connect,
    project_id,
    pull,
    push,
)
from pipeline.segment import read_statute
from pipeline.tasks import added_categories, adjustment_tasks, least_certain_first, review_tasks, reviewed_entries
from pipeline.tiers import DEFAULT_SCHEME, Scheme, load_scheme
from pipeline.write import Busy, atomic_open, held, write_jsonl

DEFAULT_REGISTRY = "corpus/registry.jsonl"
DEFAULT_CORPUS = "corpus/lawrefbook"
DEFAULT_REVIEWED = "annotations/reviewed"
EXPORT_NAME = "label-studio-export.json"
STATUS_LABELS = {"in_force": "现行有效", "amended": "已被修改", "repealed": "已废止"}

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2
# pipeline.train.TRAINERS, imported only to train
TRAINABLE = ("pretrain", "linear", "transformer", "ensemble", "tagger", "aligner", "mentions")


class NothingReadError(Exception):
    """Raised inside an atomic write so that no output file replaces an existing one."""


@dataclass
class Report:
    """What a run read and what went wrong, printed as it happens and summed up at the end."""

    files: int = 0
    provisions: int = 0
    failed: list[Diagnostic] = field(default_factory=list)
    warnings: int = 0

    def problem(self, diagnostic: Diagnostic) -> None:
        if diagnostic.level == "error":
            self.failed.append(diagnostic)
        else:
            self.warnings += 1
        tqdm.write(str(diagnostic), file=sys.stderr)

    def ran(self, result: StatuteRun) -> None:
        """A statute proposed now or found in the cache: counted, and its problems shown again either way."""
        self.files += result.read
        self.provisions += result.provisions
        for diagnostic in result.diagnostics:
            self.problem(diagnostic)

    def statute(self, statute: Statute) -> None:
        self.files += 1
        self.provisions += len(statute.provisions)
        for diagnostic in statute.diagnostics:
            self.problem(diagnostic)


def read_statutes(paths: list[str], report: Report) -> Iterator[Statute]:
    """Every statute under `paths` that can be read; the rest are reported and skipped."""
    missing: list[Diagnostic] = []
    found = list(find_statutes(paths, missing))
    for diagnostic in missing:
        report.problem(diagnostic)
    for path, name in tqdm(found, unit="file", desc="reading", disable=None, file=sys.stderr):
        try:
            statute = read_statute(path, name)
        except StatuteError as error:
            report.problem(error.diagnostic)
            continue
        report.statute(statute)
        yield statute


def write_records(
    command: str, args: argparse.Namespace, report: Report, records: Iterator[dict[str, Any]],
    how: str = "", found: Callable[[], str] = str,
) -> int:
    """Stream one stage's records to `args.output` atomically and sum the run up; the exit status.

    `how` says what the stage did to the records, `found` what it found in them (read once all are written).
    A run that reads no provision leaves an existing output alone.
    """

    def checked() -> Iterator[dict[str, Any]]:
        yield from records
        if report.provisions == 0:
            raise NothingReadError

    try:
        write_jsonl(args.output, checked())
    except NothingReadError:
        print(f"powers {command}: nothing could be read; {args.output} was not written", file=sys.stderr)
        return EXIT_NOTHING_READ
    print(
        f"powers {command}: {report.provisions} provisions from {report.files} file(s) {how}written to "
        f"{args.output}{found()}; {len(report.failed)} file(s) not read, {report.warnings} warning(s)",
        file=sys.stderr,
    )
    return EXIT_NOTHING_READ if args.strict and report.failed else EXIT_OK


def segment_command(args: argparse.Namespace) -> int:
    report = Report()
    records = (provision.to_dict() for statute in read_statutes(args.paths, report) for provision in statute.provisions)
    return write_records("segment", args, report, records)


def extract_command(args: argparse.Namespace) -> int:
    try:
        classifier = load_classifier(args.model)
    except (FileNotFoundError, ValueError) as error:
        print(f"powers extract: {error}", file=sys.stderr)
        return EXIT_USAGE
    report = Report()
    powers: Counter[str] = Counter()

    def records() -> Iterator[dict[str, Any]]:
        for record in extract(read_statutes(args.paths, report), classifier):
            powers.update(item["label"] for item in record["categories"])
            yield record

    def found() -> str:
        counts = ", ".join(f"{category} {powers[category]}" for category in CATEGORIES if powers[category])
        return f"; categories: {counts or 'none'}"

    return write_records("extract", args, report, records(), f"classified by the {classifier.name} model and ", found)


def propose_command(args: argparse.Namespace) -> int:
    try:
        scheme = load_scheme(args.tiers)
        settings = settings_key(args.model, scheme)
    except (FileNotFoundError, ValueError, StatuteError) as error:
        print(f"powers propose: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not args.paths and not args.corpus:
        print("powers propose: give statute files or folders, or --corpus DIR", file=sys.stderr)
        return EXIT_USAGE
    output = Path(args.output)
    work = partial(_propose, args, output, scheme, settings)
    seen = _snapshot(args) if args.watch is not None else {}  # before the run: a change made during it is seen
    status = _holding("propose", output, work)
    if args.watch is None:
        return status
    import jieba  # its dictionary loads on first use: now, with the models, not when the first change waits for it

    load(args.model, scheme, threads=os.cpu_count() or 1)
    jieba.initialize()
    return _watch(args, output, work, status, seen)


def _watch(args: argparse.Namespace, output: Path, work: Callable[[], int], status: int,
           seen: dict[Path, tuple[int, int]]) -> int:
    """Propose again whenever a statute file of the run (or the corpus's db) changes from `seen`, until interrupted
    (Ctrl-C); the exit status is the last run's (`status`, the first run's, until another ran).

    The models stay loaded in this process, so an amended statute reaches the list in the time it takes to read it
    and write the list, not the seconds a fresh process spends importing and loading. The folder is held only while
    a run writes, so reviews can be pulled and imported between runs; a change seen while one of them holds it is
    proposed at the next look after. A retrained model or a changed tier scheme needs a restart (the running watcher
    keeps the ones it started with, and caches under their key).
    """
    print(f"powers propose: watching {len(seen)} file(s) every {args.watch:g} s; Ctrl-C stops", file=sys.stderr)
    stopping = signal.signal(signal.SIGTERM, signal.default_int_handler)  # a service manager stops it as Ctrl-C does
    try:
        while True:
            time.sleep(args.watch)
            now = _snapshot(args)
            if now == seen:
                continue
            changed = sum(1 for path in now.keys() | seen.keys() if now.get(path) != seen.get(path))
            try:
                with held(output):
                    seen, started = now, time.perf_counter()
                    status = work()
            except Busy as error:  # a review being pulled or imported: the change waits for the next look
                print(f"powers propose: {error}; trying again in {args.watch:g} s", file=sys.stderr)
                continue
            print(f"powers propose: {changed} file(s) changed; proposed again in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
    except KeyboardInterrupt:
        return status
    finally:
        signal.signal(signal.SIGTERM, stopping)


def _snapshot(args: argparse.Namespace) -> dict[Path, tuple[int, int]]:
    """(modification time, size) of every file a propose run reads statutes from: cheap to take every few seconds
    (a stat per file); a change of either means the run is due again, and the run itself goes by content."""
    roots = [Path(path) for path in args.paths] + ([Path(args.corpus)] if args.corpus else [])
    files = [
        found for root in roots
        for found in ([root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else [])
        if found.suffix.lower() in (*SUFFIX_FORMATS, ".sqlite3") or found == root
    ]
    state = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:  # removed while we looked: the next look sees it gone
            continue
        state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def _holding(command: str, output: Path, work: Callable[[], int]) -> int:
    """`work`, run while holding `output` (`pipeline.write.held`); refused, with nothing written, while another run
    holds it."""
    with ExitStack() as stack:
        try:
            stack.enter_context(held(output))
        except (Busy, OSError) as error:
            print(f"powers {command}: {error}; nothing was written", file=sys.stderr)
            return EXIT_USAGE
        return work()


def _propose(args: argparse.Namespace, output: Path, scheme: Scheme, settings: str) -> int:
    """The propose run proper, holding `output`."""
    previous = output / NAMES["jsonl"]
    try:
        reviewed = read_decisions(previous) if previous.exists() else {}
        found = _proposal_inputs(args, output / CACHE)
    except (StatuteError, OSError) as error:
        print(f"powers propose: {error}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    report = Report()
    for diagnostic in found.problems:
        report.problem(diagnostic)
    jobs = plan(found.statutes, settings)
    cache = output / CACHE
    started, fresh, fresh_units = time.perf_counter(), 0, 0
    progress = tqdm(total=len(jobs), unit="statute", desc="proposing", disable=None, file=sys.stderr)
    for result in run(jobs, cache, args.model, scheme, args.jobs):
        report.ran(result)
        if not result.cached:
            fresh, fresh_units = fresh + 1, fresh_units + result.provisions
            elapsed = max(time.perf_counter() - started, 1e-9)
            progress.set_postfix_str(f"{fresh / elapsed:.1f} statutes/s, {fresh_units / elapsed:.0f} units/s")
        progress.update()
    progress.close()
    seconds = time.perf_counter() - started
    if report.provisions == 0:
        print(f"powers propose: nothing could be read; {output} was not written", file=sys.stderr)
        return EXIT_NOTHING_READ
    tally = EntryTally()
    paths = write_entries(tally.count(keep_reviewed(cached_entries(jobs, cache), reviewed)), output, args.formats)
    prune(jobs, cache)
    by_category = ", ".join(f"{category} {tally.categories[category]}" for category in CATEGORIES
                            if tally.categories[category])
    skipped = f" ({found.skipped} amended or repealed versions left out)" if args.corpus else ""
    print(
        f"powers propose: {tally.entries} entries ({by_category or 'none'}) from {report.provisions} provisions of "
        f"{report.files} file(s){skipped}, classified by the {args.model} model; {fresh} statute(s) read now in "
        f"{seconds:.1f} s ({fresh_units / max(seconds, 1e-9):.0f} units/s), {len(jobs) - fresh} from the cache; "
        f"{tally.reviewed} reviewed entries kept as reviewed, {tally.unresolved} without an acting body, "
        f"{tally.flagged} with warnings; written to {', '.join(str(path) for path in paths.values())}; "
        f"{len(report.failed)} file(s) not read",
        file=sys.stderr,
    )
    for (first, second), count in tally.shared.items():
        print(f"powers propose: warning: {first} and {second} share {count} entry id(s) (one statute in two versions): "
              "a reviewer's decision is kept on the first one's entry only; list one version of each statute, or "
              "use --corpus DIR for the versions in force", file=sys.stderr)
    return EXIT_NOTHING_READ if args.strict and report.failed else EXIT_OK


@dataclass
class ProposalInputs:
    """The statute files a propose run reads, what could not be found, and how many old versions were left out."""

    statutes: list[tuple[Path, str]]
    problems: list[Diagnostic]
    skipped: int = 0


def _proposal_inputs(args: argparse.Namespace, cache: Path) -> ProposalInputs:
    """The files given, then the versions in force of `--corpus` (by its registry, kept in `cache`), each file once."""
    problems: list[Diagnostic] = []
    statutes = list(find_statutes(args.paths, problems))
    skipped = 0
    if args.corpus:
        root = Path(args.corpus)
        if not root.is_dir():
            raise StatuteError(Diagnostic(str(root), None, "error", "no such folder"))
        entries = load_registry(Path(args.registry)) if args.registry else corpus_registry(root, cache)
        in_force = [entry for entry in entries if entry.path and entry.status == "in_force"]
        skipped = sum(1 for entry in entries if entry.status != "in_force")
        statutes += [(root / entry.path, str(root / entry.path)) for entry in in_force if entry.path]
    unique: dict[Path, tuple[Path, str]] = {}
    for path, name in statutes:
        unique.setdefault(path.resolve(), (path, name))
    return ProposalInputs(list(unique.values()), [problem for problem in problems if problem.level == "error"], skipped)


@dataclass
class EntryTally:
    """What a list holds, counted as its entries stream to the files."""

    entries: int = 0
    reviewed: int = 0
    unresolved: int = 0
    flagged: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    sources: dict[str, str] = field(default_factory=dict)
    shared: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Entry ids that two statute files both give (two versions of one statute), counted by the pair of files."""

    def count(self, entries: Iterable[ListedEntry]) -> Iterator[ListedEntry]:
        for listed in entries:
            brief = listed.brief
            first = self.sources.setdefault(brief["id"], brief["source"])
            if first != brief["source"]:
                self.shared[first, brief["source"]] += 1
            self.entries += 1
            self.reviewed += brief["status"] != "proposed"
            self.unresolved += brief["subject"] is None
            self.flagged += bool(brief["warnings"])
            self.categories[brief["category"]] += 1
            yield listed


def eval_command(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, format_report, to_json, write_plots  # matplotlib: only when scoring

    try:
        gold = load_annotations(Path(args.gold))
        if args.split != "all":
            gold = split(gold, load_splits(Path(args.splits)))[args.split]
        predicted = (
            read_predictions(Path(args.pred)) if args.pred
            else annotate(gold, load_classifier(args.model, Path(args.models)))
        )
        evaluation = evaluate(gold, predicted)
    except (StatuteError, FileNotFoundError, ValueError, KeyError, json.JSONDecodeError) as error:
        print(f"powers eval: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not gold:
        print(f"powers eval: no gold units in {args.gold} (split {args.split})", file=sys.stderr)
        return EXIT_NOTHING_READ
    print(format_report(evaluation, worst=args.worst))
    if args.output:
        directory = Path(args.output)
        written = write_plots(evaluation, directory)
        with atomic_open(directory / "scores.json") as handle:
            json.dump(to_json(evaluation), handle, ensure_ascii=False, indent=2)
        names = ", ".join(str(path) for path in [*written, directory / "scores.json"])
        print(f"powers eval: wrote {names}", file=sys.stderr)
    return EXIT_OK


def read_predictions(path: Path) -> list[Annotation]:
    """`powers extract` output, or labels in the gold format (a second annotator's, a folder of them)."""
    if path.is_dir():
        return load_annotations(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if any(isinstance(label, str) for record in records for label in record.get("categories") or ()):
        return load_annotations(path)
    return [as_annotation(record) for record in records]


def gold_export_command(args: argparse.Namespace) -> int:
    try:
        annotations = load_annotations(Path(args.gold))
    except (StatuteError, FileNotFoundError) as error:
        print(f"powers gold: {error}", file=sys.stderr)
        return EXIT_USAGE
    count = write_label_studio(annotations, Path(args.output))
    print(f"powers gold: {count} tasks written to {args.output} (Label Studio JSON export)", file=sys.stderr)
    return EXIT_OK


def train_command(args: argparse.Namespace) -> int:
    from pipeline.train import TRAINERS, load_config  # datasets, evaluation: only when training

    config = load_config(Path(args.config), Path(args.into) if args.into else None)
    if args.with_reviewed:
        config["data"]["reviewed"] = Path(args.with_reviewed)
    result = TRAINERS[args.model](config)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return EXIT_OK


def review_push_command(args: argparse.Namespace) -> int:
    if _no_review_input(args):
        return EXIT_USAGE
    try:
        classifier, scheme = load_classifier(args.model), load_scheme(args.tiers)
        client = connect(args.url)
    except (FileNotFoundError, ValueError, StatuteError, ReviewError) as error:
        print(f"powers review push: {error}", file=sys.stderr)
        return EXIT_USAGE
    tasks = _review_tasks(args, classifier, scheme)
    if tasks is None:
        return EXIT_NOTHING_READ
    with tqdm(total=len(tasks), unit="task", desc="pushing", disable=None, file=sys.stderr) as bar:
        try:
            result = push(client, project_id(client, args.project), tasks, args.batch_size,
                          lambda created: bar.update(created - bar.n))
        except ReviewError as error:
            print(f"powers review push: {error}; nothing is lost: run the same push again to finish it (tasks "
                  "already on the server are neither duplicated nor changed if annotated)", file=sys.stderr)
            return EXIT_NOTHING_READ
    print(f"powers review push: project {args.project!r} (id {result.project}): {result.created} tasks created, "
          f"{result.updated} updated, {result.unchanged} unchanged, {result.annotated} already annotated and left "
          f"alone; {len(tasks)} proposed 款, least certain first", file=sys.stderr)
    return EXIT_OK


def review_export_command(args: argparse.Namespace) -> int:
    if _no_review_input(args):
        return EXIT_USAGE
    try:
        classifier, scheme = load_classifier(args.model), load_scheme(args.tiers)
    except (FileNotFoundError, ValueError, StatuteError) as error:
        print(f"powers review export: {error}", file=sys.stderr)
        return EXIT_USAGE
    tasks = _review_tasks(args, classifier, scheme)
    if tasks is None:
        return EXIT_NOTHING_READ
    with atomic_open(args.output) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    print(f"powers review export: {len(tasks)} tasks (one per proposed 款, least certain first) written to "
          f"{args.output}; import it in Label Studio into a project made with annotations/{LABEL_CONFIG.name}",
          file=sys.stderr)
    return EXIT_OK


def review_pull_command(args: argparse.Namespace) -> int:
    export = Path(args.output) / EXPORT_NAME
    try:
        client = connect(args.url)
        count = pull(client, project_id(client, args.project, create=False), export)
    except ReviewError as error:
        print(f"powers review pull: {error}; nothing was written", file=sys.stderr)
        return EXIT_NOTHING_READ
    print(f"powers review pull: {count} annotated tasks exported to {export}", file=sys.stderr)
    return _write_reviewed("pull", export, args)


def review_import_command(args: argparse.Namespace) -> int:
    return _write_reviewed("import", Path(args.file), args)


def _no_review_input(args: argparse.Namespace) -> bool:
    if args.paths or args.amend:
        return False
    print(f"powers review {args.review_command}: give statutes (PATH...), --amend OLD NEW, or both", file=sys.stderr)
    return True


def _review_tasks(args: argparse.Namespace, classifier: Classifier, scheme: Scheme) -> list[dict[str, Any]] | None:
    """The review tasks of the statutes under `args.paths` and of the adjustments of each `--amend OLD NEW`; None
    (reported) when nothing could be read."""
    from pipeline.amend import amend

    command = f"powers review {args.review_command}"
    report = Report()
    tasks = review_tasks(read_statutes(args.paths, report), classifier, scheme) if args.paths else []
    if args.paths and report.provisions == 0:
        print(f"{command}: nothing could be read", file=sys.stderr)
        return None
    for old_path, new_path in args.amend or ():
        try:
            old, new = read_statute(old_path), read_statute(new_path)
        except StatuteError as error:
            print(f"{command}: {error}", file=sys.stderr)
            return None
        tasks += adjustment_tasks(amend(old, new, classifier, scheme), classifier.name)
    return least_certain_first(tasks)


def _write_reviewed(command: str, export: Path, args: argparse.Namespace) -> int:
    """The reviewed list into `args.output` (merged with the list there) and the reviewed 款 into the gold folder."""
    output = Path(args.output)
    return _holding(f"review {command}", output, lambda: _merge_reviewed(command, export, output, args))


def _merge_reviewed(command: str, export: Path, output: Path, args: argparse.Namespace) -> int:
    """`_write_reviewed` proper, holding `output`."""
    diagnostics: list[Diagnostic] = []
    listed_path = output / NAMES["jsonl"]
    try:
        scheme = load_scheme(args.tiers)
        reviewed = read_reviewed(export, diagnostics)
        entries = [entry for task in reviewed for entry in reviewed_entries(task, scheme)]
        listed = read_entries(listed_path) if listed_path.exists() else []
    except (FileNotFoundError, ValueError, StatuteError) as error:
        print(f"powers review {command}: {error}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    if not reviewed:
        print(f"powers review {command}: no reviewed task in {export}; nothing was written", file=sys.stderr)
        return EXIT_NOTHING_READ
    merged = add_reviewed(listed, entries)
    paths = write_entries(merged, output)
    try:
        gold = add_gold([task.annotation for task in reviewed], Path(args.gold))
    except StatuteError as error:
        print(f"powers review {command}: the list was written to {output}, but not the gold: {error}",
              file=sys.stderr)
        return EXIT_USAGE
    statuses = Counter(entry.status for entry in entries)
    flagged = sum(1 for entry in merged if entry.status != "proposed" and BASIS_CHANGED in " ".join(entry.warnings))
    added = sum(len(added_categories(task)) for task in reviewed)
    print(
        f"powers review {command}: {len(reviewed)} reviewed 款, {len(entries)} entries ("
        + ", ".join(f"{statuses[status]} {status}" for status in ("accepted", "corrected", "rejected", CANCELLED))
        + f"); {flagged} reviewed entries flagged because their basis changed since review; {added} categories "
        f"added by reviewers with no entry (in gold; propose again to list them); list written to "
        f"{', '.join(str(path) for path in paths.values())}; gold added to {', '.join(str(path) for path in gold)}",
        file=sys.stderr,
    )
    return EXIT_OK


def registry_build_command(args: argparse.Namespace) -> int:
    problems: list[Diagnostic] = []
    try:
        entries = build_registry(Path(args.corpus), problems)
    except StatuteError as error:
        print(error, file=sys.stderr)
        return EXIT_NOTHING_READ
    for problem in problems:
        print(problem, file=sys.stderr)
    count = save_registry(entries, Path(args.output))
    statuses = Counter(entry.status for entry in entries)
    summary = ", ".join(f"{statuses[status]} {status}" for status in STATUS_LABELS)
    print(f"powers registry: {count} statute versions ({summary}) written to {args.output}; "
          f"{len(problems)} problem(s) reported", file=sys.stderr)
    return EXIT_OK


def registry_list_command(args: argparse.Namespace) -> int:
    registry = _load(args.registry)
    if registry is None:
        return EXIT_NOTHING_READ
    found = registry.find(args.title, substring=not args.exact, level=args.level, status=args.status)
    for entry in found:
        print(json.dumps(entry.to_dict(), ensure_ascii=False) if args.json else _entry_line(entry))
    print(f"{len(found)} of {len(registry.entries)} statute versions", file=sys.stderr)
    return EXIT_OK if found else EXIT_NOTHING_READ


def registry_show_command(args: argparse.Namespace) -> int:
    registry = _load(args.registry)
    if registry is None:
        return EXIT_NOTHING_READ
    try:
        entry = registry.resolve(args.title, args.on)
    except ValueError as error:
        print(f"powers registry: {error}", file=sys.stderr)
        return EXIT_USAGE
    if entry is None:
        print(f"powers registry: no version of {args.title!r} in force on {args.on or 'today'}", file=sys.stderr)
        return EXIT_NOTHING_READ
    print(_entry_line(entry))
    for key in ("short_title", "level", "issuer", "published", "effective", "path"):
        print(f"  {key:12} {getattr(entry, key) or '—'}")
    for version in registry.versions_of(entry):
        mark = "→" if version.id == entry.id else " "
        print(f"  {mark} version {version.published or '—'}  {STATUS_LABELS[version.status]}  {version.path}")
    if entry.successor and entry.status == "repealed":
        print(f"  repealed by {_entry_line(registry.get(entry.successor))}")
    return EXIT_OK


def amend_command(args: argparse.Namespace) -> int:
    from pipeline.amend import amend, counts, write_amendment

    if bool(args.corpus) == bool(args.versions):
        print("powers amend: give OLD NEW, or --corpus DIR (not both)", file=sys.stderr)
        return EXIT_USAGE
    if args.versions and len(args.versions) != 2:
        print("powers amend: give two versions of one statute: OLD NEW", file=sys.stderr)
        return EXIT_USAGE
    try:
        classifier = load_classifier(args.model)
        scheme = load_scheme(args.tiers)
        pairs = _version_pairs(Path(args.corpus), args.registry) if args.corpus else [tuple(args.versions)]
    except (FileNotFoundError, ValueError, StatuteError) as error:
        print(f"powers amend: {error}", file=sys.stderr)
        return EXIT_USAGE
    output = Path(args.output)
    rows = []
    for old_path, new_path in tqdm(pairs, unit="pair", desc="amending", disable=None, file=sys.stderr):
        started = time.perf_counter()
        try:
            old, new = read_statute(old_path), read_statute(new_path)
        except StatuteError as error:
            tqdm.write(str(error), file=sys.stderr)
            continue
        if old.title != new.title:
            tqdm.write(f"{new_path}: warning: titles differ ({old.title} → {new.title}); aligned by text",
                       file=sys.stderr)
        amendment = amend(old, new, classifier, scheme)
        into = output / _pair_folder(old, new) if args.corpus else output
        write_amendment(amendment, into)
        found = counts(amendment)
        rows.append([old.title, old.header.published or "", new.header.published or "", *found.values(),
                     round(time.perf_counter() - started, 1), str(into)])
        if not args.corpus:
            print(f"powers amend: {_amend_line(found)}; written to {into}", file=sys.stderr)
    if not rows:
        print("powers amend: no version pair could be read", file=sys.stderr)
        return EXIT_NOTHING_READ
    if args.corpus:
        columns = ["title", "old", "new", *found.keys(), "seconds", "folder"]
        write_csv(output / "summary.csv", Sheet("summary", columns, (), rows))
        print("\t".join(columns[:-1]))
        for row in rows:
            print("\t".join(str(cell) for cell in row[:-1]))
        print(f"powers amend: {len(rows)} of {len(pairs)} version pairs written to {output}; summary in "
              f"{output / 'summary.csv'}", file=sys.stderr)
    return EXIT_OK


def _version_pairs(corpus: Path, registry_path: str | None) -> list[tuple[str, str]]:
    """Consecutive versions of every statute with more than one: from a registry file, or built from the corpus."""
    entries = load_registry(Path(registry_path)) if registry_path else build_registry(corpus, [])
    registry = Registry(entries)
    chains = {entry.versions for entry in registry.entries if len(entry.versions) > 1}
    pairs = []
    for chain in sorted(chains):
        paths = [registry.get(version).path for version in chain]
        pairs += [(str(corpus / old), str(corpus / new)) for old, new in itertools.pairwise(paths) if old and new]
    return pairs


def _pair_folder(old: Statute, new: Statute) -> str:
    name = f"{old.title.removeprefix('中华人民共和国')}_{old.header.published or 'undated'}_{new.header.published}"
    return name.replace("/", "_")


def _amend_line(found: dict[str, int]) -> str:
    articles = ", ".join(f"{found[key]} {key}" for key in ("same", "modified", "split", "merged", "added", "deleted"))
    return (f"articles: {articles} ({found['renumbered']} renumbered); adjustments: 新增 {found['新增']}, "
            f"取消 {found['取消']}, 变更 {found['变更']}")


def audit_command(args: argparse.Namespace) -> int:
    from pipeline.audit import STATUS_LABELS as AUDIT_LABELS
    from pipeline.audit import Auditor, read_basis_cells, summary

    registry = _corpus_registry(Path(args.corpus), args.registry)
    if registry is None:
        return EXIT_NOTHING_READ
    try:
        cells = read_basis_cells(Path(args.list), args.column)
        rows = Auditor(registry, Path(args.corpus), args.as_of).audit(cells)
    except StatuteError as error:
        print(f"powers audit: {error}", file=sys.stderr)
        return EXIT_USAGE
    columns = ("row", "citation", "status", "状态", "reason", "suggestion", "cell")
    table = Sheet("核查结果", columns, (6, 40, 16, 14, 60, 40, 50), [
        [row.row, row.citation, row.status, AUDIT_LABELS[row.status], row.reason, row.suggestion or "", row.cell]
        for row in rows
    ])
    totals = summary(rows)
    output = Path(args.output)
    write_csv(output, table)
    written = [output]
    if args.xlsx:
        counts_sheet = Sheet("汇总", ("status", "状态", "count"), (18, 16, 8), [list(total) for total in totals])
        write_xlsx(output.with_suffix(".xlsx"), [table, counts_sheet])
        written.append(output.with_suffix(".xlsx"))
    for status, label, count in totals:
        print(f"{status}\t{label}\t{count}")
    print(f"powers audit: {len(rows)} citations in {len(cells)} rows of {args.list}; written to "
          f"{', '.join(str(path) for path in written)}", file=sys.stderr)
    return EXIT_OK


def _corpus_registry(corpus: Path, path: str | None) -> Registry | None:
    """The registry to check against: the one named, the bundled sample's for the bundled corpus, else one built
    from the corpus (seconds), so that a list is never checked against another corpus's registry."""
    if path or corpus.resolve() == Path(DEFAULT_CORPUS).resolve():
        return _load(path or DEFAULT_REGISTRY)
    if not corpus.is_dir():
        print(f"powers audit: {corpus}: no such corpus folder", file=sys.stderr)
        return None
    return Registry(build_registry(corpus, []))


def _load(path: str) -> Registry | None:
    try:
        return Registry(load_registry(Path(path)))
    except StatuteError as error:
        print(error, file=sys.stderr)
        return None


def _entry_line(entry: RegistryEntry) -> str:
    return f"{entry.title}  {entry.published or '—'}  {entry.level}  {STATUS_LABELS[entry.status]}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="powers", description=__doc__)
    parser.add_argument("--version", action="version", version=f"powers {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    segment = commands.add_parser(
        "segment", help="cut statutes into 款 records (JSONL)",
        description="Read statutes (LawRefBook Markdown, plain text, .docx; files or folders) and write one JSON "
                    "record per 款 in document order. Files that cannot be read are reported and skipped.",
    )
    _statutes_in(segment)
    segment.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="where to write the records")
    segment.set_defaults(run=segment_command)

    extract_parser = commands.add_parser(
        "extract", help="classify every 款 into the power categories (JSONL)",
        description="Segment statutes and give every 款 its power categories: the segment records plus "
                    "`categories`, a list of {label, score} holding the predicted labels only.",
    )
    _statutes_in(extract_parser)
    extract_parser.add_argument("-o", "--output", required=True, metavar="OUT.jsonl")
    _model_option(extract_parser)
    extract_parser.set_defaults(run=extract_command)

    propose_parser = commands.add_parser(
        "propose",
        help="propose the power list: entries with name, category, acting body, basis, tiers and confidence",
        description="Write DIR/entries.jsonl, DIR/entries.csv and DIR/entries.xlsx: one entry per basis 款 or 项, "
        "category and acting body. Entries a reviewer already decided in DIR/entries.jsonl are kept as decided. "
        "Each statute's entries are cached in DIR/cache by content, so a re-run reads only what changed and a run "
        "that was stopped continues where it stopped.",
    )
    propose_parser.add_argument("paths", nargs="*", metavar="PATH", help="statute files or folders")
    propose_parser.add_argument("--corpus", metavar="DIR",
                                help="also every statute version in force in this corpus (by its db.sqlite3)")
    propose_parser.add_argument("--registry", metavar="FILE",
                                help="with --corpus: a registry saved by `powers registry build` (saves rebuilding)")
    propose_parser.add_argument("--strict", action="store_true", help="exit non-zero if any file could not be read")
    propose_parser.add_argument("-o", "--output", required=True, metavar="DIR")
    propose_parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                                help="worker processes (default: one a core)")
    propose_parser.add_argument("--formats", type=_formats, default=tuple(NAMES), metavar="LIST",
                                help="comma-separated, of jsonl,csv,xlsx (default: all; jsonl is always written: a "
                                     "re-run keeps the reviewers' decisions from it)")
    propose_parser.add_argument("--watch", type=_seconds, nargs="?", const=5.0, metavar="SECONDS",
                                help="stay running and propose again whenever a statute file changes, looking every "
                                     "SECONDS (default 5); the models stay loaded, so an amended statute is listed "
                                     "within seconds; Ctrl-C stops")
    _model_option(propose_parser)
    _tiers_option(propose_parser)
    propose_parser.set_defaults(run=propose_command)

    eval_parser = commands.add_parser(
        "eval", help="score a model's output against gold",
        description="Score predictions against gold labels (flat JSONL, a folder of them, or a Label Studio "
                    "export): category micro/macro-F1, per-category P/R/F1, power-vs-none F1, subject overlap "
                    "and exact F1, penalty-range F1, calibration, and the worst errors with their citations.",
    )
    eval_parser.add_argument("--gold", required=True, metavar="PATH", help="gold file or folder")
    source = eval_parser.add_mutually_exclusive_group()
    source.add_argument("--pred", metavar="PATH",
                        help="what to score: `powers extract` output, or labels in the gold format (file or folder)")
    source.add_argument("--model", default=DEFAULT_MODEL, choices=MODEL_NAMES,
                        help=f"run this classifier on the gold units instead (default: {DEFAULT_MODEL})")
    eval_parser.add_argument("--models", default=str(MODELS), metavar="DIR",
                             help="where the model is (default: the shipped models; `powers train --into` writes "
                                  "elsewhere, to compare before and after)")
    eval_parser.add_argument("--split", default="all", choices=["all", "train", "dev", "test"],
                             help="score only the gold statutes of this split (default: all)")
    eval_parser.add_argument("--splits", default=str(SPLITS), metavar="SPLITS.toml")
    eval_parser.add_argument("-o", "--output", metavar="DIR",
                             help="write confusion.png, reliability.png and scores.json here")
    eval_parser.add_argument("--worst", type=int, default=20, metavar="N", help="how many worst errors to list")
    eval_parser.set_defaults(run=eval_command)

    gold_parser = commands.add_parser(
        "gold", help="gold labels in Label Studio's export format",
        description="Write gold labels (flat JSONL file or folder) as a Label Studio JSON export: one task per "
                    "款 with the labels as annotations, for a project made with annotations/labeling-config.xml.",
    )
    gold_parser.add_argument("gold", metavar="PATH", help="gold file or folder")
    gold_parser.add_argument("-o", "--output", required=True, metavar="TASKS.json")
    gold_parser.set_defaults(run=gold_export_command)

    train_parser = commands.add_parser(
        "train", help="retrain a shipped model from models/config.toml",
        description="Retrain a model: pretrain (the MLM encoder), linear, transformer, ensemble, tagger (subjects), "
                    "mentions (which named bodies act) or aligner (version alignment, from annotations/alignments). "
                    "Category models learn from the train split, choose thresholds on dev, and write their scores to "
                    "meta.json.",
    )
    train_parser.add_argument("model", choices=TRAINABLE)
    train_parser.add_argument("--config", default=str(MODELS / "config.toml"), metavar="CONFIG.toml")
    train_parser.add_argument("--into", metavar="DIR", help=f"write the model here (default: {MODELS})")
    train_parser.add_argument("--with-reviewed", metavar="DIR",
                              help="add reviewed gold (`powers review pull --gold DIR`) to the train split; units of "
                                   "dev and test statutes are left out, with a message")
    train_parser.set_defaults(run=train_command)

    review = commands.add_parser(
        "review", help="human review in Label Studio: push tasks, pull the reviewed list and gold",
        description=f"Review the proposed entries in Label Studio. The server's URL comes from --url or {URL_ENV}, "
                    f"the token only from {TOKEN_ENV}.",
    )
    review_commands = review.add_subparsers(dest="review_command", required=True)
    review_push = review_commands.add_parser(
        "push", help="create or update the review project: one task per proposed 款, predictions included",
        description="Propose entries for the statutes and push one task per 款 that has one, least certain first. "
                    "Pushing again creates missing tasks and updates unannotated ones that changed; it never "
                    "duplicates a task or touches an annotated one.",
    )
    review_export = review_commands.add_parser(
        "export", help="the same tasks as a JSON file for Label Studio's import dialog (no server needed)",
    )
    for command in (review_push, review_export):
        _statutes_in(command, required=False)
        command.add_argument("--amend", nargs=2, action="append", metavar=("OLD", "NEW"),
                             help="also (or only) the adjustments `powers amend OLD NEW` proposes, one task per 款 "
                                  "they cite (the old version's for a 取消), each to adopt or not; repeatable")
        _model_option(command)
        _tiers_option(command)
    review_export.add_argument("-o", "--output", required=True, metavar="TASKS.json")
    review_export.set_defaults(run=review_export_command)
    review_push.add_argument("--batch-size", type=int, default=BATCH, metavar="N",
                             help=f"tasks per import request (default: {BATCH})")
    review_push.set_defaults(run=review_push_command)
    review_pull = review_commands.add_parser(
        "pull", help="export the annotations; write the reviewed list and add the reviewed 款 to gold",
        description=f"Export the project's annotated tasks into DIR/{EXPORT_NAME}, then as `review import`.",
    )
    review_import = review_commands.add_parser(
        "import", help="read a Label Studio JSON export: write the reviewed list and add the reviewed 款 to gold",
        description="Write the reviewed entries (状态 accepted / corrected / rejected, the reviewer's changes and "
                    "comment) into DIR/entries.{jsonl,csv,xlsx}, merged by id with the list already there, and add "
                    "the reviewed 款 to the gold folder.",
    )
    review_import.add_argument("file", metavar="EXPORT.json", help="a Label Studio JSON export of the project")
    review_import.set_defaults(run=review_import_command)
    review_pull.set_defaults(run=review_pull_command)
    for command in (review_pull, review_import):
        command.add_argument("-o", "--output", required=True, metavar="DIR", help="where the power list is written")
        command.add_argument("--gold", default=DEFAULT_REVIEWED, metavar="DIR",
                            help=f"the folder of reviewed gold (default: {DEFAULT_REVIEWED})")
        _tiers_option(command, "the scheme that splits a corrected range into tiers")
    for command in (review_push, review_pull):
        command.add_argument("--url", help=f"the Label Studio server (default: ${URL_ENV})")
        command.add_argument("--project", default=DEFAULT_PROJECT, help=f"project title (default: {DEFAULT_PROJECT})")

    registry = commands.add_parser(
        "registry", help="the statute registry: versions, status, successors",
        description="Build the registry of statute versions from a LawRefBook corpus, and query it.",
    )
    registry_commands = registry.add_subparsers(dest="registry_command", required=True)
    build = registry_commands.add_parser("build", help="build the registry from a corpus's db.sqlite3 files")
    build.add_argument("corpus", metavar="DIR", help="a LawRefBook root (with db.sqlite3 and DLC/*/db.sqlite3)")
    build.add_argument("-o", "--output", required=True, metavar="REGISTRY.jsonl")
    build.set_defaults(run=registry_build_command)

    listing = registry_commands.add_parser("list", help="list statute versions, filtered")
    listing.add_argument("title", nargs="?", help="a title or short title, or part of one")
    listing.add_argument("--exact", action="store_true", help="match the whole title, not a part of it")
    listing.add_argument("--level", help="法律, 行政法规, 部门规章, 地方性法规, 司法解释 …")
    listing.add_argument("--status", choices=list(STATUS_LABELS))
    listing.add_argument("--json", action="store_true", help="one JSON record a line")
    listing.set_defaults(run=registry_list_command)

    show = registry_commands.add_parser("show", help="the version of a statute in force on a date, and its chain")
    show.add_argument("title", help="a title or short title (民法典 物权编 for a part of the code)")
    show.add_argument("--on", metavar="YYYY-MM-DD", help="the date (default: today)")
    show.set_defaults(run=registry_show_command)
    for command in (listing, show):
        command.add_argument("--registry", default=DEFAULT_REGISTRY, metavar="REGISTRY.jsonl",
                             help=f"the registry to query (default: {DEFAULT_REGISTRY})")
    amend_parser = commands.add_parser(
        "amend", help="align two versions of a statute and propose the power list's adjustments",
        description="Align the articles of two versions (OLD NEW), or of every version pair of a corpus (--corpus), "
                    "and write alignment.csv, report.md, report.html, adjustments.csv/.xlsx and the adjusted "
                    "entries (entries.jsonl/.csv/.xlsx, for review).",
    )
    amend_parser.add_argument("versions", nargs="*", metavar="OLD NEW", help="two versions of one statute")
    amend_parser.add_argument("--corpus", metavar="DIR", help="a LawRefBook root: run every version pair in it")
    amend_parser.add_argument("--registry", metavar="REGISTRY.jsonl",
                              help="with --corpus: the corpus's registry (default: build it from the corpus)")
    amend_parser.add_argument("-o", "--output", required=True, metavar="DIR")
    _model_option(amend_parser)
    _tiers_option(amend_parser)
    amend_parser.set_defaults(run=amend_command)

    audit_parser = commands.add_parser(
        "audit", help="check the legal bases (设定依据) of an existing power list against the registry",
        description="Read a power list (CSV or XLSX with a 设定依据 column) and write one row per citation: row, "
                    "citation, status (ok, repealed, superseded, renumbered, changed, article_missing, "
                    "paragraph_missing, not_found, unparsed), 状态, reason, suggestion. The list is only read.",
    )
    audit_parser.add_argument("list", metavar="LIST", help="the power list (.csv or .xlsx)")
    audit_parser.add_argument("-o", "--output", required=True, metavar="OUT.csv")
    audit_parser.add_argument("--xlsx", action="store_true", help="also write OUT.xlsx, with a summary sheet")
    audit_parser.add_argument("--column", default="设定依据", help="the column holding the bases (default: 设定依据)")
    audit_parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                              help="the date the list was made: citations are read in the versions then in force "
                                   "and reported changed when the current text differs")
    audit_parser.add_argument("--registry", metavar="REGISTRY.jsonl",
                              help="a registry saved by `powers registry build` (default: built from --corpus; "
                                   f"{DEFAULT_REGISTRY} for the bundled sample)")
    audit_parser.add_argument("--corpus", default=DEFAULT_CORPUS, metavar="DIR",
                              help=f"the corpus the citations are checked against (default: {DEFAULT_CORPUS})")
    audit_parser.set_defaults(run=audit_command)
    return parser


def _statutes_in(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """The inputs of every command that reads statutes: files or folders, and whether a bad file fails the run."""
    parser.add_argument("paths", nargs="+" if required else "*", metavar="PATH", help="statute files or folders")
    parser.add_argument("--strict", action="store_true", help="exit non-zero if any file could not be read")


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {value!r}")
    return seconds


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown)}: choose among {', '.join(NAMES)}")
    return chosen


def _model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=DEFAULT_MODEL, choices=MODEL_NAMES,
                        help=f"which classifier (default: {DEFAULT_MODEL}, the best on the dev split)")


TIERS_HELP = "the department's discretion scheme (default: the guidelines' 30/40/30)"


def _tiers_option(parser: argparse.ArgumentParser, help: str = TIERS_HELP) -> None:
    parser.add_argument("--tiers", default=str(DEFAULT_SCHEME), metavar="TIERS.toml", help=help)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
