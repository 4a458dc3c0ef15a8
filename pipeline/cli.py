"""The `powers` command: one subcommand a stage, each reading files and writing records atomically."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from pipeline import __version__
from pipeline.find import find_statutes
from pipeline.models import Diagnostic, Statute, StatuteError
from pipeline.segment import read_statute
from pipeline.write import write_jsonl

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2


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


def segment_command(args: argparse.Namespace) -> int:
    report = Report()

    def records() -> Iterator[dict[str, Any]]:
        for statute in read_statutes(args.paths, report):
            for provision in statute.provisions:
                yield provision.to_dict()
        if report.provisions == 0:
            raise NothingReadError

    try:
        write_jsonl(args.output, records())
    except NothingReadError:
        print(f"powers segment: nothing could be read; {args.output} was not written", file=sys.stderr)
        return EXIT_NOTHING_READ
    print(
        f"powers segment: {report.provisions} provisions from {report.files} file(s) written to {args.output}"
        f"; {len(report.failed)} file(s) not read, {report.warnings} warning(s)",
        file=sys.stderr,
    )
    return EXIT_NOTHING_READ if args.strict and report.failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="powers", description=__doc__)
    parser.add_argument("--version", action="version", version=f"powers {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    segment = commands.add_parser(
        "segment", help="cut statutes into 款 records (JSONL)",
        description="Read statutes (LawRefBook Markdown, plain text, .docx; files or folders) and write one JSON "
                    "record per 款 in document order. Files that cannot be read are reported and skipped.",
    )
    segment.add_argument("paths", nargs="+", metavar="PATH", help="statute files or folders")
    segment.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="where to write the records")
    segment.add_argument("--strict", action="store_true", help="exit non-zero if any file could not be read")
    segment.set_defaults(run=segment_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
