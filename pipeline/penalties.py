"""Read the penalty ranges a 款 sets, the other sanctions it names, and the amounts in them that cannot be read.

The gold (annotation guidelines §3) records a range only where the unit itself sets it: 处五万元以上十万元以下罚款,
处货值金额十倍以上二十倍以下罚款, 处五日以上十五日以下拘留. Amounts that are no sanction are not ranges: thresholds
(违法所得不足一万元的, 处二百元以下罚款的，可以当场…), compensation, fees, surcharges (加处罚款, 滞纳金), amounts a
party is fined by someone else (被处…), and ranges the unit only refers to. What cannot be read with confidence (a
typo, no unit, ends reversed) is never guessed: it is a warning with its place in the text, so that a person looks
at it. One regex pass with no model: cheap enough for every 款 of a corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

import cn2an

from pipeline.models import FoundPenalty, Measure, Penalty, PenaltyFindings, PenaltyWarning

_HAN = "零〇一二两三四五六七八九十百千万亿点"
_FINANCIAL = "壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億"
_DIGIT = "0-9０-９"
_NUMBER = rf"[{_DIGIT}{_HAN}{_FINANCIAL}](?:[{_DIGIT}{_HAN}{_FINANCIAL}]|[.．,](?=[{_DIGIT}]))*"
_END = rf"(?:人民币)?(?:[百千万]分之{_NUMBER}|{_NUMBER}[%％‰]|{_NUMBER}(?:元(?:人民币)?|[倍日])?|等额|等值)"
_RANGE = re.compile(
    rf"(?P<cap>(?:最高)?不超过)?(?P<low>{_END})"
    rf"(?:(?:以上|(?P<bare>上))[、，]?(?P<high>{_END})以下|[至到~～—－-](?P<to>{_END})|(?P<above>以上)|(?P<below>以下|以内))?"
)
_LOOKALIKE = re.compile(r"(?<![A-Za-z])[lI](?=倍|元|至|到|以上|[0-9])|(?<=[0-9])[lI](?![A-Za-z])")
"""A Latin l or I typed for the digit 1 (违法所得l倍以上3倍以下): read as 1, with a warning."""
_WORD_AFTER = re.compile(r"的?(?P<word>罚款|(?:行政)?拘留)(?P<noun>的(?!标准))?")
_CAPPED = re.compile(rf"[，、]?(?:(?:但|且)(?:最高)?|最高)不(?:得)?超过{_END}的?罚款")
_FLOORED = re.compile(rf"[，、]?(?:但|且)?(?:最低)?不(?:得)?低于{_END}的?罚款")
_AMOUNT_SET = re.compile(r"罚款[，,]?(?:的)?(?:数额|幅度|金额)为[^，；。：\n]{0,30}$")
"""A fine whose amount another sentence sets (处以罚款的，罚款数额为两万元以下; 规定的罚款，数额为200元以下)."""
_FINE_NEXT = re.compile(r"的?(?:标准)?(?:并|可以)?(?<!加)处以?罚款|的?标准罚款")
_FINE_LATER = re.compile(r"[^，；。：:\n]*?(?<!加)处以?罚款|的?(?:标准)?计算罚款")
_ALTERNATIVE = re.compile(r"或者|或(?![者是])")
_MULTIPLE = re.compile(r"倍|分之|[%％‰]|等额|等值")
_STATED = re.compile(rf"[元日]|{_MULTIPLE.pattern}")
_TRIGGER = re.compile(r"(?<![被加])处(?:以)?(?![理置于方长]|分(?!包)|罚(?!款))|按照?|依照|给予")
_PASSIVE = re.compile(r"被(?:处|罚)")
_EXCEEDING = re.compile(r"(?<!不)(?<!不得)超过$")
_COMPETENCE = re.compile(r"\s*[^，；。：的\s]+(?:部门|机关|政府|机构|局|委员会)(?:可以|可)处以?$")
"""A 款 that opens with a body and what it may fine (县级…部门可处以一万元以下的罚款，超过一万元的…报上级…批准): the
limit of that body's power to decide, not a range that a violation carries (the gold records none)."""
_COMPETENCE_NOTE = "a body's limit on the fines it may decide, not a range a violation carries: not recorded"
_OPEN_TOP = re.compile(r"[至到](?P<top>[^，；。：元倍\d零〇一二两三四五六七八九十百千万][^，；。：元倍]{0,13}?)的?罚款")
"""A range up to what is no amount (处100元至本人6个月收入的罚款): read from its lower end, open at the top."""
_RATE = re.compile(r"每|按日")
_RATE_WARNING = "a rate per unit (每… / 按日…): the range is read, but it applies per unit"
_RATE_CAP = re.compile(rf"[，,](?:但|且)?(?:罚款)?(?:最高|总额|累计)(?:不得|不)超过(?P<cap>{_END})(?=[；;。，,\n]|$)")
_BROKEN = re.compile(rf"{_NUMBER}[^，；。：\s]{{0,2}}(?:以上、?|至|到)$")
_COUNTERS = "年月天次人个件项条款名株头只台辆吨米"
_SUSPECT = re.compile(
    rf"(?P<number>{_NUMBER})[^\s，；。、：:（）(){_DIGIT}{_HAN}{_FINANCIAL}元倍日%％‰{_COUNTERS}]"
    r"(?=以上|以下|的?罚款|的?(?:行政)?拘留)"
)
_CLAUSE_MARKS = "，；。：:\n,;"
_FRACTIONS = {"百分之": 100, "千分之": 1000, "万分之": 10000}
_UNITS = {"罚款": ("元", "倍"), "拘留": ("日",), "行政拘留": ("日",)}
_KINDS = {"元": "fine", "倍": "fine_multiple", "日": "detention"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

_SENTENCE = re.compile(r"[^；;。：:\n]+")
_CLAUSE = re.compile(r"[^，,]+")
_ITEM = re.compile(r"\s*[（(][一二三四五六七八九十]+[）)]\s*")
_ADDRESSEE = re.compile(r"对[^对，；。：]+?(?=(?:分别)?，?(?:可以|可|并|单|还)?(?:处|给予|予以))")
_ACTION = re.compile(r"由|处|责令|给予|予以|没收|吊销|罚")
_PREMISE = re.compile(r"犯罪|刑事")
_ORDER_FAILURE = re.compile(r"拒不|逾期|不改正|未改正")
_SHARED_TERM = 4

_MEASURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "警告",
            r"(?:(?<=给予)|(?<=予以)|(?<=或者)|(?<=[处以并、，；：]))(?:口头)?警告"
            r"(?!标志|标识|信号|牌|后|性|语|装置|灯|区|线|等级)",
        ),
        ("通报批评", r"通报批评"),
        (
            "没收",
            r"没收(?!保证金|(?:个人)?(?:全部|部分)?财产)(?:(?!、(?:罚款|警告|吊销|暂扣|责令|通报))[^，；。：\n])+"
            r"|(?<!保证金)予以没收",
        ),
        ("暂扣许可证件", r"暂扣[^，；。：\n]{0,20}?(?:执照|证(?:书|件)?)"),
        ("吊销许可证件", r"吊销[^，；。：\n]{0,25}?(?:执照|证(?:书|件)?|(?:资格|资质)(?:证书)?)"),
        ("降低资质等级", r"降低(?:其)?资质等级"),
        ("责令停产停业", r"责令[^，；。：\n]{0,15}?(?:停产停业(?:整顿)?|停业整顿|关闭)|予以关闭"),
        (
            "限制从业",
            r"(?:[一二三四五六七八九十\d]+年内|终身)(?:禁止|不得)(?:其)?(?:从事|担任)[^，；。：\n]*"
            r"|(?:终身)?市场禁入|限制从业|禁止从业",
        ),
        (
            "行政拘留",
            r"(?:(?<=予以)|(?<=给予)|(?<=或者)|(?<=[处以]))(?:行政)?拘留"
            r"(?!处罚|决定|的|所|期|[零一二三四五六七八九十\d])",
        ),
        (
            "罚款",
            r"(?:(?<=予以)|(?<=单处)|(?<=[以并])|(?<!加处)(?<!被处)(?<=处))罚款(?![零一二三四五六七八九十\d]|数额|金额|额)",
        ),
    )
)
"""Sanctions of the guidelines' table that carry no range; 罚款 alone is a fine whose amount the unit does not state."""
_MEASURE_WORDS = {
    "警告": ("警告",),
    "通报批评": ("通报批评",),
    "没收": ("没收",),
    "暂扣许可证件": ("暂扣",),
    "吊销许可证件": ("吊销",),
    "降低资质等级": ("资质等级",),
    "责令停产停业": ("停业", "关闭"),
    "限制从业": ("从事", "担任", "禁入", "从业"),
    "行政拘留": ("拘留",),
    "罚款": ("罚款",),
}
"""A word each measure needs, so that most 款 skip its pattern: the pass stays fast enough for a corpus."""


def find_penalties(text: str) -> PenaltyFindings:
    """The ranges `text` (one 款) sets, the other sanctions it names, and the amounts it could not read."""
    typed = _LOOKALIKE.sub("1", text)  # one character for one: the offsets hold for `text`
    found = _find(typed)
    if typed == text:
        return found
    letters = [match.start() for match in _LOOKALIKE.finditer(text)]
    message = "a Latin letter typed for the digit 1 (l, I): read as 1, check it"
    return PenaltyFindings(
        tuple(replace(r, quote=text[r.start : r.end]) for r in found.ranges),
        tuple(replace(m, quote=text[m.start : m.end]) for m in found.measures),
        tuple(sorted(
            [replace(w, quote=text[w.start : w.end]) for w in found.warnings]
            + [PenaltyWarning(message, text[r.start : r.end], r.start, r.end) for r in found.ranges
               if any(r.start <= letter < r.end for letter in letters)],
            key=lambda w: (w.start, w.end, w.message),
        )),
    )


def _find(text: str) -> PenaltyFindings:
    ranges, warnings, covered = _ranges(text)
    warnings += _suspects(text, covered + [(w.start, w.end) for w in warnings])
    measures = _measures(text, any(r.penalty.kind != "detention" for r in ranges))
    if not (ranges or measures or warnings):
        return PenaltyFindings()
    layout = _Layout.of(text)
    first = layout.place(ranges[0].start)[0] if ranges else 0
    places = _situate(text, layout, [r.start for r in ranges] + [m.start for m in measures], first)
    return PenaltyFindings(
        tuple(_range_conditions(ranges, places[: len(ranges)])),
        tuple(replace(m, condition=_join(*place)) for m, place in zip(measures, places[len(ranges) :], strict=True)),
        tuple(sorted(warnings, key=lambda w: (w.start, w.end, w.message))),
    )


# ranges


def _ranges(text: str) -> tuple[list[FoundPenalty], list[PenaltyWarning], list[tuple[int, int]]]:
    """Every range in a sanction context, read or warned about, and the spans of text that sanction amounts cover."""
    ranges: list[FoundPenalty] = []
    warnings: list[PenaltyWarning] = []
    covered: list[tuple[int, int]] = []
    if "罚款" not in text and "拘留" not in text:
        return ranges, warnings, covered
    base: str | None = None
    waiting: re.Match[str] | None = None
    previous = 0
    for match in _RANGE.finditer(text):
        if match.start() < previous:
            continue  # the cap of a range read before
        context = _context(text, match)
        if context is None:
            if _ALTERNATIVE.match(text, match.end()):
                waiting = match
            elif _STATED.search(match[0]):  # a bare number is a word (上一年度营业额), no amount between the two
                waiting = None
            continue
        word, start, end, adjacent = context
        clause = _clause_start(text, match.start())
        spans = [(match, start, end)]
        if waiting and waiting.start() >= clause:  # 处违法经营额一倍以上三倍以下或者违法所得三倍以上五倍以下的罚款
            spans.insert(0, (waiting, waiting.start(), waiting.end()))
        waiting = None
        for one, start, end in spans:
            covered.append((start, end))
            prefix = _prefix(text, clause, one.start()) if adjacent else text[clause : one.start()]
            if clause == 0 and prefix is not None and _COMPETENCE.fullmatch(prefix):
                warnings.append(PenaltyWarning(_COMPETENCE_NOTE, text[start:end], start, end))
                continue
            if prefix is None or _PASSIVE.search(prefix) or _EXCEEDING.search(text, 0, one.start()):
                # 被处…罚款 / 五百元以下的罚款可以由…决定 / 超过一万元的罚款，报上级…批准: mentioned, not set here
                continue
            own = text[max(clause, previous) : one.start()]
            found = _read(text, one, word, (start, end), prefix, own, base, warnings)
            previous = one.end()
            if found is None:
                continue
            top = _OPEN_TOP.match(text, one.end())
            if top and found.penalty.min == found.penalty.max:  # 100元至本人6个月收入: no amount at the top
                found = replace(found, penalty=replace(found.penalty, max=None))
                message = f"the upper end is no amount ({top['top']}): left open, read it by hand"
                warnings.append(PenaltyWarning(message, text[found.start : end], found.start, end))
            ranges.append(found)
            base = found.penalty.base if found.penalty.kind == "fine_multiple" else base
            bound = _CAPPED.match(text, one.end()) or _FLOORED.match(text, one.end())
            if bound:  # 违法收入一倍至五倍，但最高不超过十万元的罚款; 货值十倍以上二十倍以下且不低于一万元的罚款
                what = "a cap on this range (最高不超过…)" if bound.re is _CAPPED else "a floor on this range (不低于…)"
                message = f"{what} is not part of the record: read it by hand"
                warnings.append(PenaltyWarning(message, text[found.start : end], found.start, end))
                previous = bound.end()
            elif warnings and warnings[-1].message == _RATE_WARNING and warnings[-1].end == end:
                total = _capped_rate(text, found, end)
                if total:  # 处以每处五百元罚款，罚款最高不超过一万元: the rate up to the cap, nothing left to guess
                    ranges[-1], previous = total, total.end
                    warnings.pop()
                elif found.penalty.min is not None and found.penalty.min == found.penalty.max:
                    # 每招用一名…处5000元罚款: at least the rate, no upper end (it grows with the count)
                    ranges[-1] = replace(found, penalty=replace(found.penalty, max=None))
                    warnings.pop()
    return ranges, warnings, covered


def _capped_rate(text: str, rate: FoundPenalty, end: int) -> FoundPenalty | None:
    """A rate per unit that the next clause caps (每处五百元罚款，罚款最高不超过一万元; 每处五十元以上二百元以下的罚款，
    最高不超过五千元) as the range from the lowest rate to the cap; None when no cap in the same unit follows."""
    total = _RATE_CAP.match(text, end)
    if total is None or rate.penalty.min is None or rate.penalty.max is None:
        return None
    try:
        cap, unit, _ = _end(total["cap"])
    except ValueError:
        return None
    if unit != rate.penalty.unit or cap is None or cap < rate.penalty.max:
        return None
    return FoundPenalty(replace(rate.penalty, max=cap), rate.start, total.end(), text[rate.start : total.end()])


def _prefix(text: str, clause: int, position: int) -> str | None:
    """The words before an amount that hold its 处: its clause, or with the clause before when that one is a
    sanction its clause continues (处每非法居留一日五百元，总额不超过一万元的罚款); None when there is no 处."""
    prefix = text[clause:position]
    if _TRIGGER.search(prefix):
        return prefix
    if clause and text[clause - 1] in "，,、":
        before = text[_clause_start(text, clause - 1) : clause - 1]
        if _TRIGGER.search(before) and not before.rstrip().endswith("的"):
            return text[clause - 1 - len(before) : position]
    return None


def _context(text: str, match: re.Match[str]) -> tuple[str, int, int, bool] | None:
    """The sanction word of an amount (罚款 or 拘留), the span to quote, and whether a 处 must come before it.

    Three forms: the word follows (处…罚款, 处…拘留, 处…但最高不超过…的罚款: a 处 must lead); 罚款 leads an
    amount with its unit (罚款一百元, not 罚款一律上缴国库); 处以罚款 follows (以每人五百元的标准处以罚款; for a
    multiple, later in its clause: 按照前款罚款数额的二倍以上五倍以下对…处以罚款); or the amount of a fine named
    before (处以罚款的，罚款数额为两万元以下). None when the amount is no sanction; one followed by 罚款的 is a
    threshold (处二千元以上罚款的决定).
    """
    after = _WORD_AFTER.match(text, match.end()) or _CAPPED.match(text, match.end()) or _FLOORED.match(
        text, match.end())
    if after and after.re is not _WORD_AFTER:
        return "罚款", match.start(), after.end(), True
    if after:
        return None if after["noun"] else (after["word"], match.start(), after.end("word"), True)
    stated = re.search("[元倍%％‰]|分之", match[0])  # not 日: 罚款 before days is no amount
    if stated and text.startswith("罚款", match.start() - 2) and not text.startswith("的", match.end()):
        return "罚款", match.start() - 2, match.end(), False
    later = _FINE_NEXT.match(text, match.end()) or (_MULTIPLE.search(match[0]) and _FINE_LATER.match(text, match.end()))
    if later:
        return "罚款", match.start(), later.end(), False
    if stated and not text.startswith("的", match.end()) and _AMOUNT_SET.search(text, 0, match.start()):
        return "罚款", match.start(), match.end(), False
    top = _OPEN_TOP.match(text, match.end())
    if top and stated:
        return "罚款", match.start(), top.end(), True
    return None


def _read(
    text: str,
    match: re.Match[str],
    word: str,
    span: tuple[int, int],
    prefix: str,
    own: str,
    base: str | None,
    warnings: list[PenaltyWarning],
) -> FoundPenalty | None:
    """The range of one match, or None with a warning that says why it cannot be read.

    `prefix` is its clause up to the amount, `own` the part of it after any earlier amount (where its base is).
    """
    start, end = span

    def warn(message: str, at: int = start) -> None:
        warnings.append(PenaltyWarning(message, text[at:end], at, end))

    broken = _BROKEN.search(text, max(0, match.start() - 20), match.start())
    if broken:
        warn("the start of this range cannot be read (a typo or an unknown unit?): not read", broken.start())
        return None
    try:
        low, high = _ends(match)
    except ValueError:
        warn("an amount that cannot be read as a number: not read")
        return None
    units = {unit for _, unit, _ in (low, high) if unit}
    if not units:
        warn(f"an amount with no unit before {word}: not read")
        return None
    if len(units) > 1 or not units <= set(_UNITS[word]):
        warn(f"units that do not fit {word} ({'、'.join(sorted(units))}): not read")
        return None
    unit = units.pop()
    if None not in (low[0], high[0]) and low[1] and not high[1]:
        warn(f"the upper end has no unit: read as {unit}")
    if low[2] or high[2]:
        warn("an amount written in financial numerals (大写): read by cn2an, check it")
    if match["bare"]:
        warn("以上 written as 上 (a typo?): read as a range, check it")
    if None not in (low[0], high[0]) and low[0] > high[0]:
        warn("the ends of this range are reversed (min > max): not read")
        return None
    leading = prefix.removesuffix("罚款")  # 每平方米罚款一百元: the words before a leading 罚款 are its own
    own_clause = len(leading) - len(re.split("罚款|或", leading)[-1])
    rate = _RATE.search(prefix, own_clause)
    if rate:
        at = match.start() - len(prefix) + rate.start()
        warn(_RATE_WARNING, at)
    kind = _KINDS[unit]
    written = _base(own) if kind == "fine_multiple" else None
    if written:
        start = match.start() - len(own) + own.rindex(written)
    penalty = Penalty(kind, low[0], high[0], unit, written or (base if kind == "fine_multiple" else None))
    return FoundPenalty(penalty, start, end, text[start:end])


_End = tuple[float | None, str | None, bool]


def _ends(match: re.Match[str]) -> tuple[_End, _End]:
    """(value, unit, written in financial numerals) of the lower and the upper end; a None value is an open end."""
    low = _end(match["low"])
    if match["high"] or match["to"]:
        return low, _end(match["high"] or match["to"])
    if match["above"]:
        return low, (None, None, False)
    if match["below"] or match["cap"]:
        return (None, None, False), low
    return low, low


def _end(written: str) -> _End:
    written = written.removeprefix("人民币").removesuffix("人民币")
    financial = any(character in _FINANCIAL for character in written)
    if written in ("等额", "等值"):
        return 1, "倍", False
    for prefix, scale in _FRACTIONS.items():
        if written.startswith(prefix):
            return _number(written.removeprefix(prefix)) / scale, "倍", financial
    if written[-1] in "%％‰":
        return _number(written[:-1]) / (1000 if written[-1] == "‰" else 100), "倍", financial
    if written[-1] in "元倍日":
        return _number(written[:-1]), written[-1], financial
    return _number(written), None, financial


@lru_cache(maxsize=4096)
def _number(numeral: str) -> float:
    """一万五千 / 15000 / １５０００ / 1.5万 / 壹万 / 百 as a number, through cn2an; ValueError when it is none."""
    cleaned = numeral.translate(_FULLWIDTH).replace(",", "")
    if cleaned[0] in "百千万亿佰仟萬億":
        cleaned = "一" + cleaned
    value = float(cn2an.cn2an(cleaned, "smart"))
    return int(value) if value.is_integer() else value


def _base(prefix: str) -> str | None:
    """The base of a multiple in the unit's words: what stands between 处 (or 按照) and the number, without 的."""
    triggers = list(_TRIGGER.finditer(prefix))
    base = prefix[triggers[-1].end() if triggers else 0 :]
    base = _ALTERNATIVE.sub("", base, count=1) if _ALTERNATIVE.match(base) else base
    base = base.removeprefix("相当于").removeprefix("相当").removesuffix("的").strip()
    return base or None


def _suspects(text: str, covered: list[tuple[int, int]]) -> list[PenaltyWarning]:
    """Numbers just before 以上 / 以下 / 罚款 / 拘留 with a stray character between (五万圆以上, 五万无以下)."""
    return [
        PenaltyWarning("an amount with an unknown unit or a typo: not read", match[0], match.start(), match.end())
        for match in _SUSPECT.finditer(text)
        if (len(match["number"]) > 1 or match["number"].isdigit())
        and not any(start <= match.start() < end for start, end in covered)
        and re.search("罚款|拘留", text[match.end() : _clause_end(text, match.end())])
    ]


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding `position` starts: after the last ，；。： outside brackets (（包括…，下同）)."""
    depth = 0
    for index in range(position - 1, -1, -1):
        character = text[index]
        depth += (character in "）)") - (character in "（(")
        if depth <= 0 and character in _CLAUSE_MARKS:
            return index + 1
    return 0


def _clause_end(text: str, position: int) -> int:
    depth = 0
    for index in range(position, len(text)):
        character = text[index]
        depth += (character in "（(") - (character in "）)")
        if depth <= 0 and character in _CLAUSE_MARKS:
            return index
    return len(text)


# measures


def _measures(text: str, fined: bool) -> list[Measure]:
    """The sanctions without a range that the unit imposes; one inside a 的-clause is a condition, not a sanction.

    罚款 is a measure only in a unit that states no fine (处以罚款 alone, 依照前款规定处以罚款).
    """
    found = []
    for name, pattern in _MEASURES:
        if (fined and name == "罚款") or not any(word in text for word in _MEASURE_WORDS[name]):
            continue
        for match in pattern.finditer(text):
            clause_start = _clause_start(text, match.start())
            clause = text[clause_start : _clause_end(text, match.end())]
            if clause.rstrip().endswith("的") or _PASSIVE.search(clause):
                continue
            found.append(Measure(_measure_name(name, match[0], text[:clause_start]), match[0], *match.span()))
    return sorted(found, key=lambda measure: (measure.start, measure.end))


def _measure_name(name: str, quote: str, before: str) -> str:
    """The guidelines' name of a measure: 没收 by what it takes (有违法所得的，予以没收 takes 违法所得)."""
    if name == "没收":
        taken = before[_clause_start(before, len(before) - 1) :] if quote == "予以没收" else quote
        return "没收违法所得" if re.search("违法所得|非法所得|违法收入", taken) else "没收非法财物"
    if name == "责令停产停业" and quote.endswith("关闭"):
        return "责令关闭"
    if name == "责令停产停业" and "停产" not in quote:
        return "责令停业整顿"
    if name == "限制从业" and ("终身" in quote or "禁入" in quote or quote == "禁止从业"):
        return "禁止从业"
    return name


# conditions


@dataclass(frozen=True)
class _Layout:
    """The sentences (cut at ；。：) of a unit and the clauses (cut at ，) of each, as (start, end) offsets."""

    sentences: tuple[tuple[int, int], ...]
    clauses: tuple[tuple[tuple[int, int], ...], ...]

    @classmethod
    def of(cls, text: str) -> _Layout:
        sentences = tuple(match.span() for match in _SENTENCE.finditer(text))
        clauses = tuple(tuple(m.span() for m in _CLAUSE.finditer(text, start, end)) for start, end in sentences)
        return cls(sentences, clauses)

    def place(self, position: int) -> tuple[int, int]:
        """The sentence and clause index of `position` (a sanction's first character, never a mark)."""
        sentence = max(bisect_right([start for start, _ in self.sentences], position) - 1, 0)
        clause = bisect_right([start for start, _ in self.clauses[sentence]], position) - 1
        return sentence, max(clause, 0)


_Words = tuple[int, str]
"""Words of the unit with their offset, so that parts of a condition join in the order of the text."""


def _situate(text: str, layout: _Layout, positions: list[int], first: int) -> list[tuple[list[_Words], _Words | None]]:
    """For each sanction, the 的-clauses that select it and whom it falls on (对单位 / 对个人).

    Left out as premises shared by every range: the 的-clause leading the unit's first sentence (the offence), one
    about crime (尚不构成犯罪的), and a failure to obey an order (拒不改正的) leading the sentence of the first range.
    An item's own words (（一）发生一般事故的，处…) always select. A condition holds for the later sanctions of its
    sentence; a later 的-clause adds to the sentence's leading one (情节严重的，广告费用无法计算的) unless both
    speak of one thing (违法所得在十万元以上的 / 违法所得不足十万元的): then it replaces it.
    """
    by_sentence: dict[int, list[int]] = {}
    for index in sorted(range(len(positions)), key=positions.__getitem__):
        by_sentence.setdefault(layout.place(positions[index])[0], []).append(index)
    result: list[tuple[list[_Words], _Words | None]] = [([], None)] * len(positions)
    for sentence, indices in by_sentence.items():
        clauses = layout.clauses[sentence]
        item = _ITEM.match(text, layout.sentences[sentence][0])
        leading = later = addressee = None
        previous = -1
        for index in indices:
            clause = layout.place(positions[index])[1]
            found = _condition(text, clauses, previous + 1, clause)
            if previous < 0:
                if item:
                    leading = _item_lead(text, clauses, clause, item.end())
                elif sentence and not (sentence == first and found and _ORDER_FAILURE.search(found[1])):
                    leading = found
            elif found:
                later = found
            addressee = _addressee(text, clauses, min(previous + 1, clause), positions[index]) or addressee
            situation = [part for part in (leading, later) if part]
            if leading and later and _shares_term(leading[1], later[1]):
                situation = [later]
            result[index] = (situation, addressee)
            previous = clause
    return result


def _condition(text: str, clauses: tuple[tuple[int, int], ...], low: int, high: int) -> _Words | None:
    """The last 的-clause in clauses[low:high], with the clauses of 情节 or of a citation that lead into it."""
    ends = [i for i in range(low, high) if _ends_in_de(text, clauses[i])]
    if not ends:
        return None
    first = ends[-1]
    while first > low and text[clauses[first - 1][0] : clauses[first - 1][1]].lstrip().startswith(("情节", "第")):
        first -= 1
    start = clauses[first][0]
    label = _ITEM.match(text, start)
    start = label.end() if label else start
    words = text[start : clauses[ends[-1]][1]].strip()
    return None if _PREMISE.search(words) else (start, words)


def _item_lead(text: str, clauses: tuple[tuple[int, int], ...], clause: int, start: int) -> _Words | None:
    """An item's words before its first sanction, through its last 的-clause (or its first clause when none)."""
    ends = [i for i in range(clause) if _ends_in_de(text, clauses[i])] or [0] * (clause > 0)
    words = text[start : clauses[ends[-1]][1]].strip() if ends else ""
    return (start, words) if words else None


def _ends_in_de(text: str, clause: tuple[int, int]) -> bool:
    return text[clause[0] : clause[1]].rstrip().endswith("的")


def _addressee(text: str, clauses: tuple[tuple[int, int], ...], low: int, position: int) -> _Words | None:
    """对X before 处 (对单位处…) or as a clause of its own (对广告经营者，由…处…), from clauses[low] to `position`."""
    start = clauses[low][0]
    found = [(m.start(), m[0]) for m in _ADDRESSEE.finditer(text, start, position)]
    found += [
        (clause_start, text[clause_start:clause_end].strip())
        for clause_start, clause_end in clauses
        if start <= clause_start
        and clause_end <= position
        and text[clause_start:clause_end].lstrip().startswith("对")
        and not _condition_or_action(text[clause_start:clause_end])
    ]
    return max(found) if found else None


def _condition_or_action(clause: str) -> bool:
    return clause.rstrip().endswith("的") or bool(_ACTION.search(clause))


def _shares_term(a: str, b: str) -> bool:
    return any(a[i : i + _SHARED_TERM] in b for i in range(len(a) - _SHARED_TERM + 1))


def _range_conditions(
    ranges: list[FoundPenalty], places: list[tuple[list[_Words], _Words | None]]
) -> list[FoundPenalty]:
    """annotations/README.md: a condition is filled only where it selects between the unit's ranges.

    An addressee selects only where another range falls on someone else (对单位 / 对个人) or an earlier range falls
    on the offender itself; a single range, or ranges that all share one condition, keep none.
    """
    addressees = [addressee[1] if addressee else None for _, addressee in places]
    conditions = []
    for index, (situation, addressee) in enumerate(places):
        mine = addressees[index]
        selects = any(other not in (None, mine) for other in addressees) or None in addressees[:index]
        conditions.append(_join(situation, addressee if selects else None))
    if len(ranges) < 2 or len(set(conditions)) == 1:
        conditions = [None] * len(ranges)
    return [
        replace(found, penalty=replace(found.penalty, condition=condition))
        for found, condition in zip(ranges, conditions, strict=True)
    ]


def _join(situation: list[_Words], addressee: _Words | None) -> str | None:
    """The words of a condition in the order of the text: 情节严重的，广告费用无法计算的；对单位."""
    parts = ["，".join(words for _, words in sorted(situation)), addressee[1] if addressee else ""]
    return "；".join(part for part in parts if part) or None
