"""Power → entry: the candidate lines of a power list, one per (basis 款 or 项, category, acting body).

A 款 that lists several violations as 项 under one sanction (有下列行为之一的，处…), or as 项 that each carry their own
(按照下列规定予以处罚：（一）擅自采石的，由…处…), is the basis of one penalty entry per 项, each citing its 项; every
other power is one entry per 款. Each category goes to the bodies named nearest
before its own wording (公安部门 for the detention, 绿化部门 for the fine of the same 款), and to the bodies joined to
that one (由A或者B…处罚款: both); a 款 that names no body
takes the one its statute gives (the 款 it refers to, the general clause on penalties, the competent department)
and the entry says where that came from. Penalty ranges are split into tiers by the department's scheme.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from pipeline.acts import ITEMS_LEAD, entry_name, names_violation, sanctions_own
from pipeline.lines import to_chinese
from pipeline.mentions import find_acting
from pipeline.models import PENALTY, Entry, Power, Provision, ResolvedSubject, Span, Statute
from pipeline.refer import kindred, required
from pipeline.rules import RULES
from pipeline.subjects import resolve_subject
from pipeline.tiers import Scheme, tiers

JOINED = re.compile(r"、|和|与|及|以及|或|或者|或者其|及其|会同")
"""What may stand between two bodies that act together (由A或者B责令改正, A会同B, A或者其委托的机构): each of them
exercises the power the sentence goes on to name."""
SANCTIONING_ITEMS = 2
"""项 that each name a violation and its own sanction (按照下列规定予以处罚：（一）擅自采石的，由…处…；（二）…):
from two of them, the 款 is one entry per 项, as under 有下列行为之一的."""
Namer = Callable[[str, str, str | None], str]
"""An entry's name from its 款's text, its category and the text of its 项 (None: the whole 款)."""
UNRESOLVED = "未能确定实施主体：本款未载明，本法规中也未找到总则或主管部门条款"


@dataclass(frozen=True)
class _Basis:
    """What one entry cites: the whole 款, or one 项 (its number and its stretch of the 款's text)."""

    citation: str
    quote: str
    item: int | None
    start: int
    end: int


def propose(statute: Statute, powers: Sequence[Power], scheme: Scheme) -> list[Entry]:
    """The entries of one statute, in the statute's order; `powers` are its 款 as `extract` read them."""
    entries: list[Entry] = []
    for index, power in enumerate(powers):
        if not power.categories:
            continue
        resolved = None if power.subjects else resolve_subject(statute.provisions, index)
        naming = entry_namer(statute.provisions, index)
        for category, score in power.categories:
            for basis in _bases(power, category):
                bodies = _bodies_for(power, basis)
                for subject in _subjects_for(power, category, bodies):
                    entries.append(_entry(power, category, score, basis, subject, bodies, resolved, scheme, naming))
    return _unique(entries)


def entry_namer(provisions: Sequence[Provision], index: int) -> Namer:
    """`acts.entry_name` for provisions[index], told what the statute around it says: what a 违反…规定 reference
    requires, and the other 款 of its article (the licence a 款 of procedure belongs to)."""
    return partial(entry_name, required=partial(required, provisions, index),
                   kindred=[other.text for other in kindred(provisions, index)])


def _bases(power: Power, category: str) -> list[_Basis]:
    provision = power.provision
    whole = _Basis(provision.citation, provision.text, None, 0, len(provision.text))
    if category != PENALTY or not provision.items:
        return [whole]
    lead = provision.text[: provision.items[0].start - provision.start]
    spans = [(item.start - provision.start, item.end - provision.start) for item in provision.items]
    if not ITEMS_LEAD.search(lead) and not _violations_by_item(power, lead, spans):
        return [whole]
    bases = []
    for item, (start, end) in zip(provision.items, spans, strict=True):
        number = item.number or len(bases) + 1
        citation = f"{provision.citation}第{to_chinese(number)}项"
        bases.append(_Basis(citation, f"{lead.rstrip()}\n{provision.text[start:end]}", number, start, end))
    return bases


def _violations_by_item(power: Power, lead: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the 项 are violations that carry their own sanctions: the lead-in names none of its own (its 项 would be
    the tiers of that one), and two 项 or more each name a violation followed by a range or measure inside it."""
    if names_violation(lead):
        return False
    places = [found.start for found in power.penalties] + [measure.start for measure in power.measures]
    sanctioning = [
        start for start, end in spans
        if sanctions_own(power.provision.text[start:end]) and any(start <= place < end for place in places)
    ]
    return len(sanctioning) >= SANCTIONING_ITEMS


def _bodies_for(power: Power, basis: _Basis) -> list[Span]:
    """The bodies that act in the basis: those the 款 names, less those inside another 项. A 项 left with none that
    names a body again (（一）…由生态环境主管部门责令改正 … （七）…由生态环境主管部门责令改正: a body is listed once,
    where it first acts) gets the bodies read in the 项 itself."""
    spans = [span for span in power.subjects if not _inside_other_item(span, basis, power)]
    if spans or basis.item is None or not power.subjects:
        return spans
    text = power.provision.text
    return [Span(span.text, basis.start + span.start, basis.start + span.end)
            for span in find_acting(text[basis.start : basis.end])]


def _subjects_for(power: Power, category: str, bodies: Sequence[Span]) -> list[Span | None]:
    """The bodies that act for `category` among the basis' bodies."""
    if len(bodies) <= 1:
        return list(bodies) or [None]
    return list(acting_bodies(power.provision.text, bodies, category))


def acting_bodies(text: str, spans: Sequence[Span], category: str) -> list[Span]:
    """Which of the bodies named in `text` exercise `category`: for each place the category's wording occurs, the
    body named nearest before it and those joined to it (all of them when the wording is not found)."""
    places = [match.start() for rule in RULES if rule.category == category for match in rule.pattern.finditer(text)]
    chosen: list[Span] = []
    for place in sorted(places):
        for body in _bodies_at(spans, place, text):
            if body not in chosen:
                chosen.append(body)
    return chosen or list(spans)


def _bodies_at(spans: Sequence[Span], place: int, text: str) -> list[Span]:
    """The bodies that act at `place`: the one named nearest before it (else the first one named) with the bodies
    joined to it by nothing but a conjunction (由A或者B责令改正: both)."""
    ordered = sorted(spans, key=lambda span: span.start)
    before = [index for index, span in enumerate(ordered) if span.end <= place]
    if not before:
        last = 0
        while last + 1 < len(ordered) and _joined(ordered[last], ordered[last + 1], text):
            last += 1
        return ordered[: last + 1]
    first = before[-1]
    while first > 0 and _joined(ordered[first - 1], ordered[first], text):
        first -= 1
    return ordered[first : before[-1] + 1]


def _joined(left: Span, right: Span, text: str) -> bool:
    return bool(JOINED.fullmatch(text[left.end : right.start]))


def _inside_other_item(span: Span, basis: _Basis, power: Power) -> bool:
    """A body named inside another 项 does not act for this 项."""
    if basis.item is None:
        return False
    offset = power.provision.start
    return any(
        item.start - offset <= span.start < item.end - offset and item.number != basis.item
        for item in power.provision.items
    )


def _entry(
    power: Power,
    category: str,
    score: float,
    basis: _Basis,
    subject: Span | None,
    bodies: Sequence[Span],
    resolved: ResolvedSubject | None,
    scheme: Scheme,
    naming: Namer,
) -> Entry:
    provision = power.provision
    item_text = provision.text[basis.start : basis.end] if basis.item is not None else None
    name = naming(provision.text, category, item_text)
    if subject is not None:
        subject_name, rule, source = subject.text, "named", provision.citation
    elif resolved is not None:
        subject_name, rule, source = resolved.text, resolved.rule, resolved.citation
    else:
        subject_name, rule, source = None, "unresolved", None
    def ours(start: int) -> bool:
        return category == PENALTY and _applies(start, basis, power) and _acts_at(subject, start, bodies, power)

    penalties = tuple(found.penalty for found in power.penalties if ours(found.start))
    measures = tuple(measure.name for measure in power.measures if ours(measure.start))
    warnings = [f"{warning.message}：{warning.quote}" for warning in power.warnings if ours(warning.start)]
    if rule == "unresolved":
        warnings.append(UNRESOLVED)
    return Entry(
        id=_stable_id(provision.title, category, name, subject_name),
        name=name,
        category=category,
        subject=subject_name,
        subject_rule=rule,
        subject_source=source,
        citation=basis.citation,
        quote=basis.quote,
        source=provision.source,
        title=provision.title,
        article=provision.article,
        paragraph=provision.paragraph,
        item=basis.item,
        confidence=score,
        penalties=penalties,
        measures=measures,
        tiers=tiers(penalties, scheme),
        warnings=tuple(warnings),
    )


def _acts_at(subject: Span | None, start: int, bodies: Sequence[Span], power: Power) -> bool:
    """Whether a sanction at `start` is imposed by `subject`: of the bodies acting in the basis, the one named nearest
    before it (or the first one), or one joined to it."""
    if subject is None or len(bodies) <= 1:
        return True
    return subject in _bodies_at(bodies, start, power.provision.text)


def _applies(start: int, basis: _Basis, power: Power) -> bool:
    """A range or measure applies to a 项's entry when it is in that 项 or outside every 项 (lead-in or tail)."""
    if basis.item is None:
        return True
    if basis.start <= start < basis.end:
        return True
    offset = power.provision.start
    return not any(item.start - offset <= start < item.end - offset for item in power.provision.items)


def _stable_id(title: str, category: str, name: str, subject: str | None) -> str:
    """What the entry is, not where it is: the same id after renumbering or edits elsewhere in the statute."""
    key = "\u241f".join((title, category, name, subject or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _unique(entries: list[Entry]) -> list[Entry]:
    """Two entries that would share an id (the same act named twice) keep apart by their order of occurrence."""
    seen: dict[str, int] = {}
    result = []
    for entry in entries:
        count = seen.get(entry.id, 0)
        seen[entry.id] = count + 1
        result.append(entry if count == 0 else replace(entry, id=f"{entry.id}-{count + 1}"))
    return result
