"""Power → entry name (事项名称): the violation a penalty sanctions, or the act a body performs.

List compilers name a penalty entry after its violation (对未取得食品生产经营许可从事食品生产经营活动的处罚) and other
entries after the act (食品生产许可, 扣留事故车辆, 办理养犬登记). The statute says the violation in the clause that
ends in 的 before the sanction, or in each 项 under 有下列行为之一的; the act in the clause where the category's
own wording (the rule layer's patterns) occurs. A clause that only sets the occasion (…需要进行风险评估的,
…之日起三十日内) or the rule followed (依照《行政许可法》的规定, 按照各自职责) names no act and is passed over; with
no wording, the first clause that says what is done is the act, from the acting body's 应当 / 可以 on. A name is a
proposal: reviewers correct it in Label Studio.
"""

from __future__ import annotations

import re

from pipeline.lines import ITEM, SUBITEM
from pipeline.models import PENALTY
from pipeline.rules import RULES

CLAUSE_END = "，,；;。：:\n"
CLAUSE = re.compile(f"[^{CLAUSE_END}]+")
MAX_NAME = 100  # characters of the statute's words a name keeps; the rest is elided
VIOLATION = re.compile(
    r"^(?P<act>[^。；;：:]*?)的[，,](?=[^。]*?(?:处|罚款|警告|没收|吊销|暂扣|拘留|责令|给予|予以|处罚|依照))"
)
REFERENCE_LEAD = re.compile(
    r"^(?:(?:违反|不符合|不执行|不遵守)(?:本|《[^》]+》)(?:法|条例|规定|办法|细则)?(?:第[^，,]{1,20}?(?:条|款|项))*"
    r"(?:的)?(?:规定|要求)?[，,])+"
)
ITEMS_LEAD = re.compile(r"有下列(?:[^，,。]{0,8})?(?:行为|情形|情况)之一(?:的)?[，,：:]?")
ITEM_LABEL = re.compile(rf"^\s*(?:{ITEM.pattern}|{SUBITEM.pattern})\s*")  # （一） and 1. as the segmenter reads them
MODAL_WORD = re.compile(r"应当|可以|必须|(?<![所使用享拥持])有权|依法|负责")
TRAILING = re.compile(r"[的；;。，,：:\s]+$")
OCCASION_END = re.compile(r"(?:的|时|后|前|期间|中|内)$")
REFERRAL = re.compile(
    r"(?:依照|按照|根据|依据|结合|违反)[^，,；;]*(?:规定|办法|要求|标准|职责|原则|分工|权限|程序|需要|情况|方案|预案)$"
)
DOING = re.compile(r"(?:时|中)$")  # an occasion that is the act itself when it holds the wording: 进行监督检查时
BODY_END = re.compile(r"(?:政府|部门|机关|机构|委员会|局|站|所|中心|队)$")
SHORTEST_ACT = 4  # characters: an act shorter than this (管理) says too little without its clause
PENALTY_SUFFIX = "的处罚"


def entry_name(text: str, category: str, item: str | None = None) -> str:
    """The name of the entry that `text` (a 款, or the lead-in of `item`, one of its 项) is the basis of."""
    if category == PENALTY:
        act = violation(text, item)
        if act:
            return f"对{_shortened(act)}{PENALTY_SUFFIX}"
    return _shortened(_act(item or text, category) or _act(text, category) or _main_clause(item or text))


def violation(text: str, item: str | None = None) -> str | None:
    """The violation a penalty 款 (or one of its 项) sanctions, in the statute's words, or None."""
    if item is not None:
        act = TRAILING.sub("", ITEM_LABEL.sub("", item))
        return act or None
    match = VIOLATION.search(text)
    if not match:
        return None
    act = REFERENCE_LEAD.sub("", match.group("act")).strip()
    if not act or ITEMS_LEAD.fullmatch(act + "的"):
        return match.group("act").strip() or None
    return act


def _act(text: str, category: str) -> str | None:
    """The act in the first clause that holds `category`'s wording (as the rule layer knows it) and says what is done,
    not when: an occasion (…的, …后) or the rule followed (依照…规定) is passed over, but an occasion that is the act
    itself (进行监督检查时) is the act; else the first clause with the wording."""
    hits = sorted(
        (match for rule in RULES if rule.category == category for match in rule.pattern.finditer(text)),
        key=lambda match: match.start(),
    )
    clauses = [(*_clause(text, match.start(), match.end()), match.start()) for match in hits]
    for start, end, wording in clauses:
        if not _occasion(text[start:end]):
            return _from_verb(text, start, end, wording)
        if doing := DOING.search(text[start:end]):
            return _from_verb(text, start, start + doing.start(), wording)
    return _from_verb(text, *clauses[0]) if clauses else None


def _main_clause(text: str) -> str:
    """The first clause that says what is done (not an occasion or a referral), from its verb on; else the first."""
    body = ITEM_LABEL.sub("", text).strip()
    spans = [match.span() for match in CLAUSE.finditer(body) if match.group().strip()]
    for start, end in spans:
        clause = body[start:end]
        if _occasion(clause):
            continue
        modal = list(MODAL_WORD.finditer(clause))
        lead = clause[: modal[-1].start()].strip() if modal else None
        act = _from_verb(body, start, end, end) if lead == "" or (lead and BODY_END.search(lead)) else None
        return act if act and len(act) >= SHORTEST_ACT else TRAILING.sub("", clause)
    start, end = spans[0] if spans else (0, len(body))
    return TRAILING.sub("", body[start:end])


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` around text[start:end]: from after the previous clause mark to the next one."""
    begin = max(text.rfind(mark, 0, start) for mark in CLAUSE_END) + 1
    ends = [position for mark in CLAUSE_END if (position := text.find(mark, end)) >= 0]
    return begin, min(ends) if ends else len(text)


def _occasion(clause: str) -> bool:
    """A clause that sets when, or by which rule, an act happens, not the act (…的, …时, …之日起三十日内,
    应当按照各自职责)."""
    clause = clause.strip()
    modal = list(MODAL_WORD.finditer(clause))
    return bool(OCCASION_END.search(clause) or REFERRAL.match(clause[modal[-1].end():] if modal else clause))


def _from_verb(text: str, start: int, end: int, wording: int) -> str | None:
    """The clause text[start:end] from its object (对…) or from after its modal (应当, 可以 …) where either comes
    before `wording` (the category's word, or the clause's end), particles trimmed."""
    lead = text[start:wording]
    if "对" in lead:
        start += lead.index("对")
    elif modal := list(MODAL_WORD.finditer(lead)):
        start += modal[-1].end()
    clause = text[start:end]
    return TRAILING.sub("", MODAL_WORD.sub("", ITEM_LABEL.sub("", clause))).strip() or None


def _shortened(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"
