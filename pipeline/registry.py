"""The statute registry: every statute version of a LawRefBook corpus, with its status and successor.

The corpus metadata (`db.sqlite3`, and `DLC/<province>地方法规/db.sqlite3` for local
regulations) says which statutes exist, their level, dates and whether they have
expired; the files themselves give the full title, the body that adopted the statute
and, in their closing articles, which older statutes they repeal. The registry joins
the two so that later stages can tell which version of a statute is in force.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from contextlib import closing
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.header import DATE, parse_header
from pipeline.lines import BLANK, split_lines
from pipeline.models import Diagnostic, RegistryEntry, StatuteError
from pipeline.read import read_source
from pipeline.write import write_jsonl

NATIONAL_DB = "db.sqlite3"
LOCAL_DBS = "DLC/*/db.sqlite3"
INDEX_PAGE = "_index.md"
PRC = "中华人民共和国"
ROW_QUERY = """
    SELECT law.id, law.level, law.name, law.subtitle, law.filename, law.publish, law.valid_from,
           law.expired, category.name AS category, category.folder
    FROM law LEFT JOIN category ON category.id = law.category_id
"""

CONGRESS = re.compile(
    r"(?P<place>[^第，。、\s]*?)(?:第?[一二三四五六七八九十]+届)?"
    r"(?P<body>全国人民代表大会|人民代表大会|人大)(?P<standing>常务委员会|常委会)?"
)
PLACE = re.compile(r"..+?(?:省|市|自治区|自治州|自治县|县|州|盟|地区)")
ISSUER_PATTERNS = (
    (
        re.compile(r"(?:中华人民共和国)?国务院、(?:中华人民共和国)?中央军(?:事委员会|委)"),
        "国务院、中央军事委员会",
    ),
    (re.compile(r"(?:中华人民共和国)?国务院"), "国务院"),
    (re.compile(r"政务院"), "政务院"),
    (re.compile(r"最高人民法院[、\s]*最高人民检察院"), "最高人民法院、最高人民检察院"),
    (re.compile(r"最高人民法院"), "最高人民法院"),
    (re.compile(r"最高人民检察院"), "最高人民检察院"),
)
GOVERNMENT = re.compile(r"(?P<place>..+?(?:省|市|自治区|自治州|县))人民政府")
DEPARTMENT = re.compile(
    r"(?:中华人民共和国)?(?P<body>[^\s，。、第\d]+?(?:部|委员会|总局|局|办公室|署))(?=令|第|部长|部务|室务|\d)"
)
TITLE_IN_TEXT = re.compile(r"《([^《》]+)》")
SENTENCE = re.compile(r"[^。；\n]+")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Row:
    """One row of a corpus db's `law` table, with its category; empty strings read as None."""

    db: str
    id: str
    level: str
    name: str
    subtitle: str | None
    filename: str | None
    publish: str | None
    valid_from: str | None
    expired: bool
    category: str | None
    folder: str | None


@dataclass(frozen=True)
class _Document:
    """What the registry needs from a statute's file."""

    title: str
    subtitle: str | None
    first_event: str | None
    published: str | None
    effective: str | None
    repealed_titles: frozenset[str]


class DocumentCache:
    """What the registry reads of each statute file, kept by the file's content hash: reading the ~3,500 files of
    the corpus takes seconds, so a corpus where one statute was amended re-reads that one file only.

    `hashes` gives the content hash of each file (path relative to the corpus root) as the caller read it; a file
    it does not name is read and not kept. `save` keeps the documents read or reused since loading, nothing older.
    """

    def __init__(self, path: Path, hashes: dict[str, str]) -> None:
        self.path = path
        self.hashes = hashes
        self._known: dict[str, _Document] = {}
        self._used: dict[str, _Document] = {}
        try:
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                key = record.pop("hash")
                self._known[key] = _Document(**{**record, "repealed_titles": frozenset(record["repealed_titles"])})
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError):
            self._known = {}  # none kept yet, or a damaged copy: every file is read again

    def read(self, root: Path, relative: str) -> _Document:
        key = self.hashes.get(relative)
        document = self._known.get(key) if key else None
        if document is None:
            document = _read_document(root, relative)
        if key:
            self._used[key] = document
        return document

    def save(self) -> None:
        write_jsonl(self.path, (
            {"hash": key, **asdict(document), "repealed_titles": sorted(document.repealed_titles)}
            for key, document in self._used.items()
        ))


def build_registry(
    root: Path, diagnostics: list[Diagnostic] | None = None, cache: DocumentCache | None = None
) -> list[RegistryEntry]:
    """One entry per db row that has a Markdown file, sorted by path; `cache` spares reading unchanged files.

    Rows without a file and files without a row get no entry; each is reported in
    `diagnostics` when a list is given, else logged as a warning, never dropped silently.
    """
    root = Path(root)
    problems: list[Diagnostic] = []
    rows = [row for db in _databases(root) for row in _read_rows(root, db)]
    files = _match_files(root, rows, problems)
    read = cache.read if cache else _read_document
    documents = {row_id: read(root, relative) for row_id, relative in files.items()}
    entries = _entries([row for row in rows if row.id in files], files, documents)
    if diagnostics is None:
        for problem in problems:
            logger.warning("%s", problem)
    else:
        diagnostics.extend(problems)
    return sorted(_link_repeals(entries, documents), key=lambda entry: entry.path or "")


def save_registry(entries: Iterable[RegistryEntry], path: Path) -> int:
    """Write the registry as JSON Lines, atomically, so that a reader never sees half of it."""
    return write_jsonl(path, (entry.to_dict() for entry in entries))


def load_registry(path: Path) -> list[RegistryEntry]:
    """Read a registry written by `save_registry`; a bad line is an error naming the file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise StatuteError(Diagnostic(str(path), None, "error", f"cannot read registry: {error}")) from error
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            entries.append(RegistryEntry(**{**record, "versions": tuple(record["versions"])}))
        except (json.JSONDecodeError, TypeError, KeyError) as error:
            message = f"not a registry entry: {error}"
            raise StatuteError(Diagnostic(str(path), number, "error", message)) from error
    return entries


class Registry:
    """Entries indexed by id and by title, for the questions that the CLI and later stages ask."""

    def __init__(self, entries: Iterable[RegistryEntry]) -> None:
        self.entries = tuple(entries)
        self._by_id = {entry.id: entry for entry in self.entries}

    def get(self, entry_id: str) -> RegistryEntry:
        """The entry with this id: how `versions` and `successor` are followed."""
        return self._by_id[entry_id]

    def find(
        self,
        title: str | None = None,
        *,
        substring: bool = False,
        level: str | None = None,
        status: str | None = None,
    ) -> list[RegistryEntry]:
        """Entries named `title` (or whose name contains it), at `level`, with `status`; all filters optional.

        A name is the title, the short title, or the short title and subtitle (民法典 总则).
        """
        return [
            entry
            for entry in self.entries
            if (title is None or _title_matches(entry, title, substring))
            and (level is None or entry.level == level)
            and (status is None or entry.status == status)
        ]

    def versions_of(self, entry: RegistryEntry) -> list[RegistryEntry]:
        """Every version of the statute that `entry` is a version of, oldest first."""
        return [self._by_id[version] for version in entry.versions]

    def resolve(self, title: str, on_date: date | str | None = None) -> RegistryEntry | None:
        """The version of the statute named `title` that was in force on `on_date` (default today).

        None when no version was in force then. A repealed statute whose repealing
        statute is unknown is never resolved: the registry cannot tell until when it
        applied. A title shared by several statutes (民法典's parts) is ambiguous: name
        the part, as in `民法典 总则`.
        """
        day = str(on_date or date.today())
        chains = {entry.versions for entry in self.find(title)}
        if len(chains) > 1:
            names = sorted(_display_name(self._by_id[chain[0]]) for chain in chains)
            raise ValueError(f"{title!r} names {len(chains)} statutes: {', '.join(names)}")
        if not chains:
            return None
        (chain,) = chains
        started = [self._by_id[version] for version in chain if _start(self._by_id[version]) <= day]
        if not started:
            return None
        current = started[-1]
        if current.status != "repealed":
            return current
        repealer = self._by_id.get(current.successor) if current.successor else None
        return current if repealer is not None and _start(repealer) > day else None


def _databases(root: Path) -> list[Path]:
    """The national db, which a corpus must have, and the provincial ones under DLC/."""
    national = root / NATIONAL_DB
    if not national.is_file():
        message = "no such file: a LawRefBook corpus root holds db.sqlite3"
        raise StatuteError(Diagnostic(str(national), None, "error", message))
    return [national, *sorted(root.glob(LOCAL_DBS))]


def _read_rows(root: Path, db: Path) -> list[_Row]:
    """Rows of `law` with their category, opened read-only so that a wrong path never creates a db."""
    try:
        with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            cursor = connection.execute(ROW_QUERY)
            columns = [column[0] for column in cursor.description]
            records = [dict(zip(columns, values, strict=True)) for values in cursor]
    except sqlite3.Error as error:
        message = f"cannot read corpus metadata: {error}"
        raise StatuteError(Diagnostic(str(db), None, "error", message)) from error
    return [_row(db.relative_to(root).as_posix(), record) for record in records]


def _row(db: str, record: dict[str, Any]) -> _Row:
    """A row with empty texts as None: the provincial dbs write '' where the national one has NULL."""
    values = {
        key: (value.strip() or None) if isinstance(value, str) else value for key, value in record.items()
    }
    return _Row(db=db, **{**values, "expired": bool(values["expired"])})


def _candidate_names(row: _Row) -> list[str]:
    """The file names that LawRefBook's app tries for a row, in its order.

    `{name}({publish})`, then `{name}`, then the subtitle (cases are stored under it);
    `filename`, where set, replaces the first (民法典's parts).
    """
    first = row.filename or (f"{row.name}({row.publish})" if row.publish else row.name)
    return [f"{name}.md" for name in dict.fromkeys([first, row.name, row.subtitle]) if name]


def _tree(relative: str) -> str:
    """The part of the corpus that a file or db is in: `DLC/<province>地方法规/`, or '' (national)."""
    parts = relative.split("/")
    return f"{parts[0]}/{parts[1]}/" if parts[0] == "DLC" and len(parts) > 2 else ""


def _file_name(relative: str) -> str:
    return relative.rsplit("/", 1)[-1]


def _match_files(root: Path, rows: list[_Row], problems: list[Diagnostic]) -> dict[str, str]:
    """Each row's file, relative to the root: in its category's folder, else in another folder of its db.

    Reports the rows found elsewhere or not at all, and the files that no row names.
    """
    files = {path.relative_to(root).as_posix() for path in root.rglob("*.md") if path.name != INDEX_PAGE}
    matches: dict[str, str] = {}
    for row in rows:
        expected = (
            [f"{_tree(row.db)}{row.folder}/{name}" for name in _candidate_names(row)] if row.folder else []
        )
        relative = next((path for path in expected if path in files), None)
        if relative is not None:
            matches[row.id] = relative
            files.discard(relative)
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in sorted(files):
        by_name[_tree(path) + _file_name(path)].append(path)
    for row in rows:
        if row.id not in matches:
            names = [_tree(row.db) + name for name in _candidate_names(row)]
            found = [path for name in names for path in by_name[name] if path in files]
            if len(found) == 1:
                matches[row.id] = found[0]
                files.discard(found[0])
            problems.append(_unplaced_row(row, found))
    _report_unnamed_files(files, matches, problems)
    return matches


def _unplaced_row(row: _Row, found: list[str]) -> Diagnostic:
    """Why a row's file was not where its category says: taken from another folder, or missing."""
    where = f"row {row.id} ({row.name}, {row.publish or 'no date'}, category {row.category})"
    if len(found) == 1:
        return Diagnostic(
            row.db, None, "warning", f"{where}: file not in {row.folder}/; taken from {found[0]}"
        )
    tried = ", ".join(_candidate_names(row))
    message = f"{where}: no file, so no entry (tried {tried} in {row.folder}/; {len(found)} elsewhere)"
    return Diagnostic(row.db, None, "warning", message)


def _report_unnamed_files(unnamed: set[str], matches: dict[str, str], problems: list[Diagnostic]) -> None:
    """Files that no row names: a statute's copy kept in a second folder, or a page that is no statute."""
    named = {_file_name(path): path for path in matches.values()}
    for path in sorted(unnamed):
        twin = named.get(_file_name(path))
        why = f"a copy of {twin}, the file its row names" if twin else "no db row names it"
        problems.append(Diagnostic(path, None, "warning", f"file has no row, so no entry: {why}"))


def _read_document(root: Path, relative: str) -> _Document:
    """Header facts and the titles named in repeal clauses (sentences of the body that say 废止)."""
    source = read_source(root / relative)
    lines = split_lines(source.simplified, markdown=True)
    result = parse_header(source, lines)
    header = result.header
    body = source.simplified[lines[result.body_start].start :] if result.body_start < len(lines) else ""
    repealed = frozenset(
        _key(title)
        for sentence in SENTENCE.findall(body)
        if "废止" in TITLE_IN_TEXT.sub("", sentence)
        for title in TITLE_IN_TEXT.findall(sentence)
    )
    first_event = header.history[0].text if header.history else None
    return _Document(header.title, header.subtitle, first_event, header.published, header.effective, repealed)


def _key(title: str) -> str:
    """A title as repeal clauses may write it: without 中华人民共和国, spaces, or 〈〉 for inner quotes."""
    return re.sub(r"\s+", "", title.replace(PRC, "")).translate(str.maketrans("〈〉", "《》"))


def _entries(rows: list[_Row], files: dict[str, str], documents: dict[str, _Document]) -> list[RegistryEntry]:
    """Entries with their version chains: rows of one db with the same name and subtitle, oldest first.

    A row without a publish date is dated by its file's history; one with no date at all
    sorts first: in this corpus such rows are the original texts of statutes whose
    later versions are dated.
    """
    chains: dict[tuple[str, str, str | None], list[_Row]] = defaultdict(list)
    for row in rows:
        chains[(row.db, row.name, row.subtitle)].append(row)
    entries = []
    for chain in chains.values():
        chain.sort(key=lambda row: (row.publish or documents[row.id].published or "", row.id))
        versions = tuple(row.id for row in chain)
        for later, row in zip([*versions[1:], None], chain, strict=True):
            entries.append(_entry(row, files[row.id], documents[row.id], versions, later))
    return entries


def _entry(
    row: _Row, path: str, document: _Document, versions: tuple[str, ...], later: str | None
) -> RegistryEntry:
    """The entry of one version; a version with a later one is amended whatever the db's expired flag says.

    The db leaves many superseded versions unexpired (道路运输条例 2022 beside 2023); the
    flag itself is kept in `expired`.
    """
    status = "amended" if later else "repealed" if row.expired else "in_force"
    return RegistryEntry(
        id=row.id,
        title=document.title,
        short_title=document.title.removeprefix(PRC),
        level=row.level,
        status=status,
        expired=row.expired,
        path=path,
        subtitle=document.subtitle or row.subtitle,
        issuer=_issuer(document, row),
        published=row.publish or document.published,
        effective=row.valid_from or document.effective,
        category=row.category,
        versions=versions,
        successor=later,
    )


def _issuer(document: _Document, row: _Row) -> str | None:
    """The body named in the first history event, else the one the level or 部门规章 category implies.

    A 司法解释 names its court at the start of its title (最高人民法院关于…), which stands
    in when its history is missing.
    """
    named = _issuer_named_in(document.first_event) if document.first_event else None
    if named:
        return named
    if row.level == "司法解释":
        return _issuer_named_in(document.title)
    if row.level == "行政法规":
        return "国务院"
    if row.level == "部门规章" and row.category:
        return row.category.removesuffix("规章")
    return None


def _issuer_named_in(event: str) -> str | None:
    """The body at the start of a history event (or a title), without its session.

    浙江省第十三届人民代表大会常务委员会第五次会议通过 → 浙江省人民代表大会常务委员会.
    """
    dated = DATE.match(event.strip(BLANK))
    text = event.strip(BLANK)[dated.end() if dated else 0 :].lstrip(BLANK + "由经")
    congress = CONGRESS.match(text)
    if congress:
        place = congress["place"]
        national = congress["body"] == "全国人民代表大会"
        if (national and place in ("", PRC)) or (not national and PLACE.fullmatch(place)):
            body = "人民代表大会" if congress["body"] == "人大" else congress["body"]
            return f"{'' if national else place}{body}{'常务委员会' if congress['standing'] else ''}"
    for pattern, body in ISSUER_PATTERNS:
        if pattern.match(text):
            return body
    government = GOVERNMENT.match(text)
    if government and PLACE.fullmatch(government["place"]):
        return f"{government['place']}人民政府"
    department = DEPARTMENT.match(text)
    return department["body"] if department else None


def _link_repeals(entries: list[RegistryEntry], documents: dict[str, _Document]) -> list[RegistryEntry]:
    """Give each repealed statute, as successor, the earliest statute whose text repeals it.

    A repealing statute is another statute (not a version of the same one), published
    no earlier than the one it repeals, whose body has a sentence saying 废止 that
    names it in 《》, as 噪声污染防治法 does: 《中华人民共和国环境噪声污染防治法》同时废止.
    """
    repealed: dict[str, list[RegistryEntry]] = defaultdict(list)
    for entry in entries:
        if entry.status == "repealed":
            repealed[_key(entry.title)].append(entry)
    repealers: dict[str, list[RegistryEntry]] = defaultdict(list)
    for entry in entries:
        for key in documents[entry.id].repealed_titles & repealed.keys():
            for old in repealed[key]:
                if old.versions != entry.versions and (entry.published or "9999") >= (old.published or ""):
                    repealers[old.id].append(entry)
    return [
        replace(entry, successor=min(repealers[entry.id], key=_publication_order).id)
        if repealers.get(entry.id)
        else entry
        for entry in entries
    ]


def _publication_order(entry: RegistryEntry) -> tuple[str, str]:
    return entry.published or "", entry.id


def _title_matches(entry: RegistryEntry, title: str, substring: bool) -> bool:
    names = (entry.title, entry.short_title, _display_name(entry))
    return any(title in name for name in names) if substring else title in names


def _display_name(entry: RegistryEntry) -> str:
    """Short title, with the subtitle when there is one: 民法典 总则."""
    return f"{entry.short_title} {entry.subtitle}" if entry.subtitle else entry.short_title


def _start(entry: RegistryEntry) -> str:
    """When a version began to apply, as an ISO date; '' when unknown, so that it counts as long ago."""
    return entry.effective or entry.published or ""
