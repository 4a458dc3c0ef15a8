"""Provision → the 款 it refers to (前款, 前两款, 本条第二款, 本法第三十条, 前条), in the statute's own numbering.

Statutes point at other 款 for what a 款 leaves unsaid: 依照前款规定处罚 takes its sanction (and its body) from the 款
before; 违反本条例第十二条规定的，处… sanctions the breach of what that article requires. A 款 of this article is
looked for in this article (第二百五十三条之一 too); an article by number is never a 之 one. Some say it without a
reference: a 款 of procedure (收到申请之日起…作出决定) belongs to the licence another 款 of its article names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import takewhile

from pipeline.lines import ITEM, readable, to_number
from pipeline.models import Item, Provision

NUMERAL = r"[一二三四五六七八九十百零〇两]+"
PARAGRAPHS = rf"第{NUMERAL}款(?:(?:、|和|或者|及)第{NUMERAL}款)*"  # 第一款、第二款; 第一款或者第二款
ARTICLE_REF = rf"第{NUMERAL}条(?:之{NUMERAL})?(?:{PARAGRAPHS})?"
REFERENCE_TO = re.compile(
    rf"(?:(?<![未不])(?P<basis>依照|按照|依据|适用|参照))?(?:(?P<previous>前(?P<count>[两二三])?款)"  # 未按照: a breach
    rf"|(?:本条|(?<=依照|按照|依据|适用|参照|违反))(?P<own>{PARAGRAPHS})"  # 依照第一款: a 款 of this article
    rf"|前条|(?:本(?:法|条例|规定|办法|细则)|(?<=违反))"  # 违反第十七条: an article of this statute
    rf"(?P<articles>{ARTICLE_REF}(?:(?:、|，|和|或者|至){ARTICLE_REF})*))"
)
BREACH = re.compile(r"(?:违反|不符合|不遵守|不执行|未(?:依照|按照|依据))$")
"""What stands before a reference to the duty a 款 sanctions the breach of (违反本条例第十二条规定的)."""
BREACH_WIDTH = 3  # characters of the longest word of BREACH
ARTICLE_NUMBER = re.compile(rf"第(?P<article>{NUMERAL})条(?:之{NUMERAL})?(?P<paragraphs>(?:{PARAGRAPHS})?)")
PARAGRAPH_NUMBER = re.compile(rf"第({NUMERAL})款")
ITEM_NAMED = rf"第?[（(]?{NUMERAL}[）)]?项?"
ITEMS_NAMED = re.compile(rf"(?:(?:、|和|或者|及|至)?{ITEM_NAMED})*(?<=项)")  # 第一项、第（二）项至第五项 after a 款
ITEM_RANGE = re.compile(rf"[（(]?({NUMERAL})[）)]?项?(?:至第?[（(]?({NUMERAL})[）)]?项)?")
LIST_LEAD = re.compile(r"(?:遵守|履行|符合|执行|实施|从事|有)?(?:下列|以下)[^，,。；;：:]{0,15}[：:]\s*$")
"""How a 款 lists what it requires: 禁止下列行为：, 应当遵守以下规范：; a 项 is read in its place."""
OWN_TERMS = re.compile(r"应当|必须|不得|禁止|严禁|除")
"""A 项 that says its own duty (（一）在…区域内，不得使用…) is read alone; a clause of the lead-in that sets another
duty or an exception (除准保护区禁止的行为以外，还禁止下列行为：) is left out of the 项's reading."""
UNREAD = re.compile(r"[条款项]")  # what is left of a reference once all it names is read holds none
CLAUSE = re.compile(r"[^，,。；;]+[，,。；;]?")


def analysed(provision: Provision) -> str:
    """The text the rules read: the simplified script where the statute is traditional (same offsets)."""
    return provision.text_simplified or provision.text


def referenced(statute: tuple[Provision, ...], provision: Provision, reference: re.Match[str]) -> list[Provision]:
    """The provisions a `REFERENCE_TO` match in `provision` points to, nearest first: 前两款 gives the 款 before, then
    the one before it."""
    if _misnumbered(reference.group()):
        return []
    article, paragraph = provision.article, provision.paragraph
    if reference.group("previous") or reference.group("own"):
        if reference.group("own"):
            parts = [to_number(number) for number in PARAGRAPH_NUMBER.findall(reference.group("own"))]
        else:
            parts = [paragraph - k for k in range(1, {None: 1, "三": 3}.get(reference.group("count"), 2) + 1)]
        return [p for part in parts for p in statute
                if (p.article, p.article_label, p.paragraph) == (article, provision.article_label, part)]
    if reference.group("articles"):
        wanted = [
            (to_number(m.group("article")), to_number(paragraph) if paragraph else None)
            for m in ARTICLE_NUMBER.finditer(reference.group("articles"))
            for paragraph in PARAGRAPH_NUMBER.findall(m.group("paragraphs")) or [None]
        ]
    else:
        wanted = [(article - 1, None)]
    return [
        p
        for number, part in wanted
        for p in statute
        if p.article == number and (part is None or p.paragraph == part) and "之" not in p.article_label
    ]


def breached(text: str, reference: re.Match[str]) -> bool:
    """Whether a `REFERENCE_TO` match in `text` names a duty that the 款 sanctions the breach of, not a rule it
    applies (依照前款规定处罚)."""
    return BREACH.search(text, max(0, reference.start() - BREACH_WIDTH), reference.start()) is not None


def sanction_referents(provisions: Sequence[Provision], index: int) -> list[Provision]:
    """The 款 that provisions[index] takes a rule from (依照前款的规定处罚, 按照本法第三十条), nearest first."""
    provision, statute = provisions[index], tuple(provisions)
    return [
        target
        for reference in REFERENCE_TO.finditer(analysed(provision))
        if reference.group("basis")
        for target in referenced(statute, provision, reference)
        if target is not provision
    ]


def kindred(provisions: Sequence[Provision], index: int) -> list[Provision]:
    """The other 款 of provisions[index]'s article, the earlier ones nearest first, then the later ones: where the
    article says what a 款 of its procedure, validity or changes belongs to."""
    article = (provisions[index].article, provisions[index].article_label)

    def ours(position: int) -> bool:
        return (provisions[position].article, provisions[position].article_label) == article

    earlier = takewhile(ours, range(index - 1, -1, -1))
    later = takewhile(ours, range(index + 1, len(provisions)))
    return [provisions[position] for position in (*earlier, *later)]


def required(provisions: Sequence[Provision], index: int, reference: str) -> list[str]:
    """What a 违反…规定 `reference` in provisions[index] says is required, as the statute words it: each 款 it names,
    or each 项 it names, read into its 款's lead-in (禁止下列行为：（一）随地吐痰 → 禁止随地吐痰). Nothing unless all
    it names is read: not for a 款 of 项 that names none of them (which is breached is not said), nor for 项 after
    several articles (本条例第二十条第三款、第二十六条第一款第三项), nor for what `REFERENCE_TO` does not read
    (依照第二十八条, which may be of another statute named before it)."""
    provision, statute = provisions[index], tuple(provisions)
    if _misnumbered(reference):
        return []
    texts: list[str] = []
    unread = reference
    for match in REFERENCE_TO.finditer(reference):
        named = ITEMS_NAMED.match(reference, match.end())
        numbers = {number for first, last in ITEM_RANGE.findall(named.group() if named else "")
                   for number in range(to_number(first), to_number(last or first) + 1)}
        if numbers and len(ARTICLE_NUMBER.findall(match.group("articles") or "")) > 1:
            return []
        unread = unread.replace(match.group() + (named.group() if named else ""), "", 1)
        for target in referenced(statute, provision, match):
            if target is provision:
                continue
            if numbers:  # of an article's 款, those that have them
                texts += [_in_lead(target, item) for item in target.items if item.number in numbers]
            elif target.items:
                return []
            else:
                texts.append(target.text)
    return [] if UNREAD.search(unread) else texts


def _misnumbered(text: str) -> bool:
    """Whether `text` holds a numeral that cannot be read (违反第十十八条): a slip of the pen points nowhere."""
    return not all(readable(numeral) for numeral in re.findall(NUMERAL, text))


def _in_lead(provision: Provision, item: Item) -> str:
    """A 项 read in the place of its 款's 下列…：, with the clauses of the lead-in that set no duty of their own (the
    项 alone when the lead-in lists nothing or the 项 says its own duty)."""
    lead = provision.text[: provision.items[0].start - provision.start]
    body = ITEM.sub("", item.text.strip(), count=1).strip().rstrip("；;。")
    listing = LIST_LEAD.search(lead)
    if not listing or OWN_TERMS.search(body):
        return body
    *before, listing_clause = CLAUSE.findall(lead[: listing.start()]) or [""]
    return "".join(clause for clause in before if not OWN_TERMS.search(clause)) + listing_clause + body
