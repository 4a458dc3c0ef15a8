"""The plain records that the stages pass along: statute → provision → power → entry.

Every record is a frozen dataclass so that a stage cannot change what an earlier
stage produced; `to_dict` gives the JSON form that the schemas in
`pipeline/schemas/` describe.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from typing import Any, Literal

Level = Literal["error", "warning"]
Format = Literal["markdown", "text", "docx"]
Status = Literal["in_force", "amended", "repealed"]

CATEGORIES: tuple[str, ...] = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
)
"""The ten power categories of the annotation guidelines, in their order."""
LICENSING = CATEGORIES[0]
PENALTY = CATEGORIES[1]
"""行政处罚: the category whose 款 set penalty ranges, tiers and per-项 entries."""
NAMES_BODY = "names_body"
"""A score beside the categories: how likely the 款 names its own acting body (gold subjects). The linear model learns
it; the subject gate reads it where a scorer gives it (`pipeline/classify.py`)."""


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in an input file, located so that a person can open the file at it."""

    path: str
    line: int | None
    level: Level
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.level}: {self.message}"


class StatuteError(Exception):
    """An input that cannot be read at all; carries the diagnostic that says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class Source:
    """A decoded input file.

    `text` is the original text (the file's characters, BOM excluded; for .docx the
    paragraphs joined by newlines); every offset in every record points into it.
    `simplified` is the same text in simplified script, character for character of
    the same length, so that analysis runs on it while offsets stay valid.
    """

    path: str
    text: str
    simplified: str
    encoding: str
    format: Format
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class HistoryEvent:
    """One line of a statute's legislative history (adopted, amended, revised, effective)."""

    text: str
    date: str | None
    kind: str
    line: int


@dataclass(frozen=True)
class Header:
    """What a statute says about itself before its first article."""

    title: str
    subtitle: str | None = None
    history: tuple[HistoryEvent, ...] = ()
    published: str | None = None
    effective: str | None = None


@dataclass(frozen=True)
class Item:
    """A 项 （一） of a 款, or a 目 1. of a 项; `subitems` holds the 目 of a 项."""

    label: str
    number: int | None
    text: str
    start: int
    end: int
    subitems: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Provision:
    """One 款 with its 项: the unit that is classified, cited and reviewed.

    `text` is `original[start:end]`: the 款 from its first character after the
    article label through its last item, with the line breaks between them.
    """

    source: str
    title: str
    article: int
    article_label: str
    paragraph: int
    citation: str
    chapters: tuple[str, ...]
    items: tuple[Item, ...]
    text: str
    start: int
    end: int
    line: int
    text_simplified: str | None = None

    def to_dict(self) -> dict[str, Any]:
        record = _json_ready(self)
        if self.text_simplified is None:
            del record["text_simplified"]
        return record


@dataclass(frozen=True)
class Statute:
    """A statute read from one file: its header, its provisions in document order, and what went wrong."""

    source: Source
    header: Header
    provisions: tuple[Provision, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def title(self) -> str:
        return self.header.title


@dataclass(frozen=True)
class Span:
    """A stretch of a unit's text: `text == unit_text[start:end]`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Penalty:
    """One range a unit sets, as the guidelines record it; `None` ends are open."""

    kind: str
    min: float | None
    max: float | None
    unit: str
    base: str | None = None
    condition: str | None = None


@dataclass(frozen=True)
class Annotation:
    """The labels of one 款 by the guidelines, whoever gave them: a gold file, a reviewer or a model.

    Gold and predictions share this record so that scoring compares like with like. `scores` holds a
    model's confidence for every category it scored (empty for human labels); `categories` holds the
    labels given, in the order of CATEGORIES.
    """

    citation: str
    text: str
    categories: tuple[str, ...] = ()
    subjects: tuple[Span, ...] = ()
    penalties: tuple[Penalty, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    file: str | None = None
    article: int | None = None
    article_label: str | None = None
    paragraph: int | None = None
    adjudication: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the unit across gold and predictions: the file name (when known) and the citation."""
        return (self.file or "", self.citation)

    def to_dict(self) -> dict[str, Any]:
        return _json_ready(self)


@dataclass(frozen=True)
class RegistryEntry:
    """One version of one statute, as the corpus metadata and the file's own header describe it.

    `versions` lists the ids of every version of this title, oldest first, so that
    a chain can be followed from any member; `successor` is the next version or,
    for a repealed statute, the statute that repealed it.
    """

    id: str
    title: str
    short_title: str
    level: str
    status: Status
    expired: bool
    path: str | None
    subtitle: str | None = None
    issuer: str | None = None
    published: str | None = None
    effective: str | None = None
    category: str | None = None
    versions: tuple[str, ...] = ()
    successor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _json_ready(self)


@dataclass(frozen=True)
class Tier:
    """One discretion tier (裁量阶次) of a range: the bounds a department's standard sets for that tier.

    `source` says where the tier came from: "scheme" (a share of the range by the department's scheme) or "text"
    (the statute's own condition, 情节严重的, which takes precedence). A `None` bound is open, and `note` says why.
    """

    name: str
    kind: str
    min: float | None
    max: float | None
    unit: str
    base: str | None = None
    condition: str | None = None
    source: str = "scheme"
    note: str | None = None


@dataclass(frozen=True)
class Entry:
    """One proposed line of a power list: what legal staff publish, with where each part came from.

    `id` stays the same when the text around the basis changes (it hashes the statute's title, the category, the
    name and the subject, not the article number), so a reviewer's decision follows the entry through
    renumbering. `subject_source` says where the acting body was read: the basis itself, or the citation of the
    provision or law it was resolved from (`subject_rule`: named, public_order_law, referenced, general_clause,
    competent_department, breached, unresolved). A reviewed entry (`status` accepted, corrected, rejected, or
    cancelled after an amendment) says what the reviewer changed, field by field (`changes`: 实施主体：proposed →
    reviewed, or the adjustment adopted), and carries the reviewer's `comment`.
    """

    id: str
    name: str
    category: str
    subject: str | None
    subject_rule: str
    subject_source: str | None
    citation: str
    quote: str
    source: str
    title: str
    article: int
    paragraph: int
    item: int | None
    confidence: float
    penalties: tuple[Penalty, ...] = ()
    measures: tuple[str, ...] = ()
    tiers: tuple[Tier, ...] = ()
    warnings: tuple[str, ...] = ()
    status: str = "proposed"
    changes: tuple[str, ...] = ()
    comment: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _json_ready(self)

    @property
    def proposed_subject(self) -> str | None:
        """The acting body as the pipeline proposed it, before a reviewer's correction (read back from `changes`)."""
        for change in self.changes:
            if change.startswith(SUBJECT_CHANGED) and CHANGED_TO in change:
                proposed = change.removeprefix(SUBJECT_CHANGED).split(CHANGED_TO)[0]
                return None if proposed == NO_SUBJECT else proposed
        return self.subject

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Entry:
        """An entry read back from `to_dict`'s JSON (a KeyError or TypeError names what is missing or wrong)."""
        return cls(**{
            **record,
            "penalties": tuple(Penalty(**penalty) for penalty in record.get("penalties", ())),
            "measures": tuple(record.get("measures", ())),
            "tiers": tuple(Tier(**tier) for tier in record.get("tiers", ())),
            "warnings": tuple(record.get("warnings", ())),
            "changes": tuple(record.get("changes", ())),
        })


BRIEF = ("id", "category", "subject", "status", "warnings", "source")
"""The fields a run reads of every entry of its list: its tally, and the id that finds a reviewer's decision."""


class ListedEntry:
    """An entry as a line of a list's JSONL. Read back from the cache it is parsed only as far as something asks
    (the run's tally and the reviewers' decisions read its `brief`, which the cache keeps beside the lines; a
    spreadsheet row needs the whole Entry) and is written out as the very line it was: a corpus re-run copies
    ~65,000 lines instead of parsing and re-serialising them."""

    __slots__ = ("_brief", "_entry", "_record", "line")

    def __init__(self, line: str, record: dict[str, Any] | None = None, entry: Entry | None = None,
                 brief: dict[str, Any] | None = None) -> None:
        self.line = line
        self._record = record
        self._entry = entry
        self._brief = brief

    @classmethod
    def of(cls, entry: Entry) -> ListedEntry:
        record = entry.to_dict()
        return cls(json.dumps(record, ensure_ascii=False) + "\n", record, entry)

    @property
    def brief(self) -> dict[str, Any]:
        """The `BRIEF` fields of the entry."""
        if self._brief is None:
            self._brief = {key: self.record[key] for key in BRIEF}
        return self._brief

    @property
    def record(self) -> dict[str, Any]:
        if self._record is None:
            self._record = json.loads(self.line)
        return self._record

    @property
    def entry(self) -> Entry:
        if self._entry is None:
            self._entry = Entry.from_dict(self.record)
        return self._entry


def _json_ready(value: Any) -> Any:
    """The JSON form of a record: records become dicts and tuples lists, as they will when read back. Built field
    by field: `dataclasses.asdict` deep-copies every value, which made it most of the time a whole corpus's list
    takes to write."""
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: _json_ready(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


@dataclass(frozen=True)
class FoundPenalty:
    """A range read from a unit, with the words it was read from: `unit_text[start:end] == quote`."""

    penalty: Penalty
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Measure:
    """A sanction without a range (警告, 没收违法所得, 吊销许可证件…) named by a unit, for the list compilers."""

    name: str
    quote: str
    start: int
    end: int
    condition: str | None = None


@dataclass(frozen=True)
class PenaltyWarning:
    """An amount in a sanction a person should look at: not read (a typo, no unit) or read with a caveat (大写, 每…)."""

    message: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class PenaltyFindings:
    """What one 款 says about sanctions: the ranges it sets, the other measures it names, what could not be read."""

    ranges: tuple[FoundPenalty, ...] = ()
    measures: tuple[Measure, ...] = ()
    warnings: tuple[PenaltyWarning, ...] = ()


@dataclass(frozen=True)
class Power:
    """A 款 with what the pipeline read in it: the categories it carries (with scores), who acts, the sanctions.

    The record `powers extract` writes and `powers propose` turns into entries: the 款 fields of the segmentation
    plus `categories` ({label, score}, predicted labels only), `subjects`, `penalties` (the guidelines' fields with
    the quote and its offsets), `measures` and `warnings`.
    """

    provision: Provision
    categories: tuple[tuple[str, float], ...] = ()
    subjects: tuple[Span, ...] = ()
    penalties: tuple[FoundPenalty, ...] = ()
    measures: tuple[Measure, ...] = ()
    warnings: tuple[PenaltyWarning, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        record = self.provision.to_dict()
        record["categories"] = [{"label": label, "score": score} for label, score in self.categories]
        record["subjects"] = [_json_ready(span) for span in self.subjects]
        record["penalties"] = [
            {**asdict(found.penalty), "start": found.start, "end": found.end, "quote": found.quote}
            for found in self.penalties
        ]
        record["measures"] = [asdict(measure) for measure in self.measures]
        record["warnings"] = [asdict(warning) for warning in self.warnings]
        return record


@dataclass(frozen=True)
class ResolvedSubject:
    """Who acts in a 款 that names no body: `text` is `provision.text[start:end]` of the provision cited.

    `rule` says where the name came from: "referenced" (the 款 it refers to: 依照前款规定处罚),
    "general_clause" (本法规定的行政处罚，由…决定), "competent_department" (…部门负责本行政区域内…工作),
    "breached" (the 款 whose duty it sanctions the breach of, when nothing else says who: 违反本法第十九条规定), or
    "public_order_law" (公安机关 for a 款 whose only sanction is 依法给予治安管理处罚: `citation` is that law, and
    `start`, `end` locate the sanction in the 款 itself).
    """

    text: str
    citation: str
    rule: Literal["public_order_law", "referenced", "general_clause", "competent_department", "breached"]
    start: int
    end: int


Relation = Literal["same", "modified", "split", "merged", "deleted", "added"]


@dataclass(frozen=True)
class ArticlePair:
    """One aligned pair of articles of two versions of a statute; a side is None for an added or deleted article.

    `similarity` is the Dice coefficient of the two articles' character bigrams (0 for a one-sided pair), the score
    the alignment was chosen on. A pair is renumbered when both sides exist under different labels.
    """

    old_article: int | None
    new_article: int | None
    old_label: str | None
    new_label: str | None
    relation: Relation
    similarity: float

    @property
    def renumbered(self) -> bool:
        return self.old_label is not None and self.new_label is not None and self.old_label != self.new_label

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """One legal basis read from a cell of a power list: 《title》第N条第M款第K项, any part after the title optional.

    `text` is the citation as the cell writes it; `year` is a version the cell names (（2018年修正）); `problem` says
    why a stretch of the cell could not be read as a citation (then `title` and the numbers may be None).
    """

    row: int
    cell: str
    text: str
    title: str | None = None
    year: int | None = None
    article: int | None = None
    article_suffix: int = 0
    paragraph: int | None = None
    item: int | None = None
    problem: str | None = None


AuditStatus = Literal[
    "ok", "repealed", "superseded", "renumbered", "changed", "article_missing", "paragraph_missing", "not_found",
    "unparsed",
]


@dataclass(frozen=True)
class AuditRow:
    """The check of one citation of a power list against the registry: what is wrong and what to cite instead."""

    row: int
    citation: str
    status: AuditStatus
    reason: str
    suggestion: str | None = None
    cell: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Action = Literal["新增", "取消", "变更"]
CANCELLED = "cancelled"
"""The status of a listed entry that a reviewer took off the list by adopting an amendment's 取消 (or a 变更 that
replaces it with an entry of another id): kept in the list, marked 已取消, never dropped."""
ADOPTED = "采纳修订调整："
"""How the change that records an adopted adjustment begins (采纳修订调整：变更（依据条文序号变更：…）)."""
SUBJECT_CHANGED, CHANGED_TO, NO_SUBJECT = "实施主体：", " → ", "—"
"""The parts of the change that records a reviewer's new acting body: 实施主体：proposed → reviewed (— for none)."""


def subject_change(proposed: str | None, reviewed: str) -> str:
    return f"{SUBJECT_CHANGED}{proposed or NO_SUBJECT}{CHANGED_TO}{reviewed}"


@dataclass(frozen=True)
class Adjustment:
    """A proposed change to a power list after an amendment: an entry to add (新增), to cancel (取消) or to change
    (变更, with what changed), with the entry as the old version gave it and as the new one gives it.

    `entry` is the record a reviewer sees (the new entry, or the old one to cancel) with the adjustment written into
    its warnings, so the adjustments travel through the same exports and review as any proposed list.
    """

    action: Action
    changes: tuple[str, ...]
    old: Entry | None
    new: Entry | None

    @property
    def described(self) -> str:
        """The action with what changed, as a notice words it: 变更（依据条文序号变更：第四十八条→第五十二条）."""
        return self.action + (f"（{'；'.join(self.changes)}）" if self.changes else "")

    @property
    def entry(self) -> Entry:
        base = self.new if self.new is not None else self.old
        assert base is not None
        note = f"调整建议：{self.described}"
        if self.old is not None and self.new is not None:
            note += f"；原依据：{self.old.citation}"
        return replace(base, warnings=(note, *base.warnings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "changes": list(self.changes),
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
        }
