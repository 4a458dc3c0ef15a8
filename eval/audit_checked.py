"""Score `powers audit` on a list built from the hand-checked version pairs: does it say what the editors' links say?

    python eval/audit_checked.py [CORPUS]

For each hand-checked pair in `annotations/alignments/` whose new version is the statute's current one, every article
of the old version is cited twice, as a list made before the amendment would cite it: once naming the old version's
year (《反洗钱法》（2006年）第十条) and once without a year, audited as of the old version's date; every article of the
new version is cited once more without a year. What the editors linked decides what is right, independently of the
aligner: an old article they deleted is `article_missing`; one they linked to an article of another number is
`renumbered` to it; one linked to its own number is `superseded` when the year is named, and otherwise `ok` when the
editors marked it the same and `changed` when modified; a split article may be followed into any of its pieces. A
current article is `ok`. Prints precision and recall for each status and the share of citations whose status and
suggested article are both right.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from pipeline.alignments import read_links
from pipeline.audit import Auditor
from pipeline.cite import parse_cell
from pipeline.cli import main
from pipeline.lines import to_chinese, to_number
from pipeline.registry import Registry, build_registry

CHECKED = Path(__file__).resolve().parents[1] / "annotations" / "alignments"
DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "lawrefbook"
SUGGESTED = re.compile(r"第([零〇一二三四五六七八九十百千两]+)条")

Case = tuple[str, set[tuple[str, int | None]]]  # a cell, and the (status, suggested article) answers that are right


def cases(registry: Registry) -> tuple[list[Case], list[tuple[str, str, Case]]]:
    """Cells naming a year or a current article (audited by one `powers audit` run), and cells to audit as of the
    old version's date (with that date and the statute's title)."""
    by_year: list[Case] = []
    by_date: list[tuple[str, str, Case]] = []
    for path in sorted(CHECKED.glob("*.csv")):
        title, old_year, new_year = path.stem.rsplit("-", 2)
        (chain,) = {entry.versions for entry in registry.find(title)}
        versions = [registry.get(version) for version in chain]
        old = next(v for v in versions if (v.published or "").startswith(old_year))
        if not versions[-1].published.startswith(new_year):
            print(f"{path.name}: the new version is not the current one; left out", file=sys.stderr)
            continue
        links: dict[int, list[tuple[int, str]]] = {}
        new_articles: set[int] = set()
        for old_article, new_article, relation in read_links(path):
            if new_article is not None:
                new_articles.add(new_article)
            if old_article is not None:
                links.setdefault(old_article, [])
                if new_article is not None:
                    links[old_article].append((new_article, relation))
        for article, targets in sorted(links.items()):
            cited = f"第{to_chinese(article)}条"
            by_year.append((f"《{title}》（{old_year}年）{cited}", _answers(article, targets, named_year=True)))
            by_date.append(((old.effective or old.published), title,
                            (f"《{title}》{cited}", _answers(article, targets, named_year=False))))
        by_year += [(f"《{title}》第{to_chinese(article)}条", {("ok", None)}) for article in sorted(new_articles)]
    return by_year, by_date


def _answers(article: int, targets: list[tuple[int, str]], named_year: bool) -> set[tuple[str, int | None]]:
    if not targets:
        return {("article_missing", None)}
    answers = set()
    for target, relation in targets:
        if target != article:
            answers.add(("renumbered", target))
        elif named_year:
            answers.add(("superseded", target))
        else:
            answers.add(("ok", None) if relation == "same" else ("changed", target))
    return answers


def _suggested(suggestion: str | None) -> int | None:
    found = SUGGESTED.search(suggestion or "")
    return to_number(found.group(1)) if found else None


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 1
    registry = Registry(build_registry(corpus, []))
    by_year, by_date = cases(registry)
    found: list[tuple[str, int | None]] = []
    with tempfile.TemporaryDirectory() as folder:
        listing, output = Path(folder) / "list.csv", Path(folder) / "audit.csv"
        with listing.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["序号", "设定依据"], *([n, cell] for n, (cell, _) in enumerate(by_year, 1))])
        if main(["audit", str(listing), "-o", str(output), "--corpus", str(corpus)]) != 0:
            return 1
        with output.open(encoding="utf-8-sig") as handle:
            found += [(row["status"], _suggested(row["suggestion"])) for row in csv.DictReader(handle)]
    auditors: dict[str, Auditor] = {}
    for date, _, (cell, _) in by_date:
        auditor = auditors.setdefault(date, Auditor(registry, corpus, as_of=date))
        (row,) = auditor.audit([(1, cell)])
        found.append((row.status, _suggested(row.suggestion)))
    everything = [*by_year, *(case for *_, case in by_date)]
    if len(found) != len(everything) or any(len(parse_cell(cell, 1)) != 1 for cell, _ in everything):
        print("the audit did not give one row per citation", file=sys.stderr)
        return 1
    _report(everything, found)
    return 0


def _report(everything: list[Case], found: list[tuple[str, int | None]]) -> None:
    right = [guess in answers for (_, answers), guess in zip(everything, found, strict=True)]
    status_right = Counter()
    said, real = Counter(status for status, _ in found), Counter()
    for (_, answers), (status, _) in zip(everything, found, strict=True):
        expected = {answer for answer, _ in answers}
        real.update(sorted(expected)[:1] if status not in expected else [status])
        status_right[status] += status in expected
    print(f"{len(everything)} citations ({sum(1 for cell, _ in everything if '年）' in cell)} naming the old year)")
    print("status            precision  recall  (said / expected)")
    for status in sorted(set(said) | set(real)):
        precision = status_right[status] / said[status] if said[status] else 1.0
        recall = status_right[status] / real[status] if real[status] else 1.0
        print(f"{status:<17} {precision:9.3f} {recall:7.3f}  ({said[status]} / {real[status]})")
    print(f"status and suggested article both right: {sum(right) / len(right):.3f} ({sum(right)} of {len(right)})")


if __name__ == "__main__":
    sys.exit(run())
