"""Power → entry name (事项名称): the violation a penalty sanctions, or the act a body performs.

List compilers name a penalty entry after its violation (对未取得食品生产经营许可从事食品生产经营活动的处罚) and other
entries after the act (食品生产许可, 扣留事故车辆, 办理养犬登记). The statute says the violation in the clause that
ends in 的 before the sanction, or in each 项 under 有下列行为之一的; the act in the clause where the category's
own wording (the rule layer's patterns) occurs. A name is a proposal: reviewers correct it in Label Studio.
"""

from __future__ import annotations

import re

from pipeline.lines import ITEM, SUBITEM
from pipeline.models import PENALTY
from pipeline.rules import RULES

CLAUSE_END = "，,；;。：:\n"
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
MODAL_WORD = re.compile(r"应当|可以|必须|有权|依法|负责")
TRAILING = re.compile(r"[的；;。，,：:\s]+$")
PENALTY_SUFFIX = "的处罚"


def entry_name(text: str, category: str, item: str | None = None) -> str:
    """The name of the entry that `text` (a 款, or the lead-in of `item`, one of its 项) is the basis of."""
    if category == PENALTY:
        act = violation(text, item)
        if act:
            return f"对{_shortened(act)}{PENALTY_SUFFIX}"
    return _shortened(_act(item or text, category) or _act(text, category) or _first_clause(item or text))


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
    """The clause holding the first wording of `category` the rule layer knows, from that wording on."""
    hits = [match for rule in RULES if rule.category == category for match in [rule.pattern.search(text)] if match]
    if not hits:
        return None
    first = min(hits, key=lambda match: match.start())
    start = max(text.rfind(mark, 0, first.start()) for mark in CLAUSE_END) + 1
    ends = [position for mark in CLAUSE_END if (position := text.find(mark, first.end())) >= 0]
    lead = text[start : first.start()]
    if "对" in lead:
        start += lead.index("对")
    elif modal := list(MODAL_WORD.finditer(lead)):
        start += modal[-1].end()
    clause = text[start : min(ends) if ends else len(text)]
    return TRAILING.sub("", MODAL_WORD.sub("", ITEM_LABEL.sub("", clause))).strip() or None


def _first_clause(text: str) -> str:
    body = ITEM_LABEL.sub("", text).strip()
    ends = [position for mark in CLAUSE_END if (position := body.find(mark)) > 0]
    return TRAILING.sub("", body[: min(ends)] if ends else body)


def _shortened(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"
