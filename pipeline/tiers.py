"""Penalty ranges → discretion tiers (裁量阶次), by a department's scheme in a small TOML file.

A city that turned 4,112 penalty powers into 12,390 tiered standards did this split by hand. The guidelines' default
(from `tiers.toml` beside this module) gives 从轻 the first 30 % of [min, max], 一般 the next 40 %, 从重 the last 30 %.
A range that the statute itself conditions on severity (情节严重的，处…) is its own tier and takes precedence: the
base range of the same kind then leaves that level out. Open ends stay open, and the tier says so.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.models import Penalty, StatuteError, Tier

DEFAULT_SCHEME = Path(__file__).with_name("tiers.toml")
TOLERANCE = 1e-6
CONDITION_FILLER = re.compile(r"[的，,；;、\s]+")
OPEN_LOWER = "下限未规定（以下），阶次下限未定"
OPEN_UPPER = "上限未规定（以上），阶次上限未定"
FROM_ZERO = "下限未规定（以下），按部门标准自零起算"
FIXED = "法定固定数额，无裁量幅度"


@dataclass(frozen=True)
class Scheme:
    """A department's discretion standard: tier names with their shares, lightest first."""

    levels: tuple[tuple[str, float], ...]
    severity: dict[str, tuple[str, ...]]
    merge_into: str
    fixed: str
    open_lower_from_zero: bool = False

    def level_of(self, condition: str | None) -> str | None:
        """The tier a condition's wording names (情节严重的 → 从重), or None."""
        if not condition:
            return None
        for name, words in self.severity.items():
            if any(word in condition for word in words):
                return name
        return None


def load_scheme(path: str | Path = DEFAULT_SCHEME) -> Scheme:
    """Read and check a scheme file; every mistake names the file and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise StatuteError(f"{path}: cannot read the tier scheme: {error}") from error
    levels = tuple((str(tier.get("name", "")), float(tier.get("share", -1))) for tier in data.get("tier", []))
    names = [name for name, _ in levels]
    problems = []
    if not levels:
        problems.append("[[tier]]: no tiers")
    problems += [f"[[tier]] {name or '(no name)'}: share must be in (0, 1]" for name, share in levels
                 if not 0 < share <= 1 or not name]
    if abs(sum(share for _, share in levels) - 1) > TOLERANCE:
        problems.append(f"[[tier]]: the shares sum to {sum(share for _, share in levels):g}, not 1")
    if len(set(names)) != len(names):
        problems.append("[[tier]]: a name is used twice")
    severity = {str(name): tuple(words) for name, words in data.get("severity", {}).items()}
    problems += [f"[severity] {name}: not a tier name" for name in severity if name not in names]
    options = data.get("options", {})
    merge_into = str(options.get("merge_into", names[len(names) // 2] if names else ""))
    if merge_into not in names:
        problems.append(f"[options] merge_into = {merge_into!r}: not a tier name")
    if problems:
        raise StatuteError(f"{path}: " + "; ".join(problems))
    return Scheme(
        levels=levels,
        severity=severity,
        merge_into=merge_into,
        fixed=str(options.get("fixed", "法定数额")),
        open_lower_from_zero=bool(options.get("open_lower_from_zero", False)),
    )


def tiers(penalties: Sequence[Penalty], scheme: Scheme) -> tuple[Tier, ...]:
    """The tiers of every range of one unit, range by range in the unit's order."""
    supplied: dict[tuple[str, str | None, str | None], set[str]] = {}
    for penalty in penalties:
        level = scheme.level_of(penalty.condition)
        if level:
            supplied.setdefault(_group(penalty, scheme), set()).add(level)
    result: list[Tier] = []
    for penalty in penalties:
        level = scheme.level_of(penalty.condition)
        if level:
            result.append(_tier(penalty, level, penalty.min, penalty.max, source="text"))
        else:
            result += _split(penalty, scheme, supplied.get(_group(penalty, scheme), set()))
    return tuple(result)


def describe(tier: Tier) -> str:
    """One line of a 自由裁量基准 cell: 从重（情节严重的）：罚款10万元以上50万元以下."""
    kinds = {"fine": "罚款", "fine_multiple": f"罚款{tier.base or '基数'}的", "detention": "拘留"}
    what = kinds.get(tier.kind, tier.kind)
    low, high = _amount(tier.min, tier), _amount(tier.max, tier)
    if tier.min is not None and tier.max is not None:
        bounds = low if tier.min == tier.max else f"{low}以上{high}以下"
    elif tier.min is not None:
        bounds = f"{low}以上"
    elif tier.max is not None:
        bounds = f"{high}以下"
    else:
        bounds = "幅度未定"
    condition = f"（{tier.condition}）" if tier.condition else ""
    note = f"〔{tier.note}〕" if tier.note else ""
    return f"{tier.name}{condition}：{what}{bounds}{note}"


def _group(penalty: Penalty, scheme: Scheme) -> tuple[str, str | None, str | None]:
    """Ranges that tiers compete within: same kind and base, same condition once severity words are taken out."""
    rest = penalty.condition or ""
    for words in scheme.severity.values():
        for word in words:
            rest = rest.replace(word, "")
    return (penalty.kind, penalty.base, CONDITION_FILLER.sub("", rest) or None)


def _split(penalty: Penalty, scheme: Scheme, supplied: set[str]) -> list[Tier]:
    low, high, note = penalty.min, penalty.max, None
    if low is None and high is not None and scheme.open_lower_from_zero:
        low, note = 0.0, FROM_ZERO
    if low is not None and high is not None and abs(high - low) <= TOLERANCE * max(1.0, abs(high)):
        return [_tier(penalty, scheme.fixed, low, high, note=FIXED)]
    shares = _shares(scheme, supplied)
    if low is None or high is None:
        note = OPEN_LOWER if low is None else OPEN_UPPER
        return [
            _tier(penalty, name, low if index == 0 else None, high if index == len(shares) - 1 else None, note=note)
            for index, (name, _) in enumerate(shares)
        ]
    result, start, taken = [], low, 0.0
    for index, (name, share) in enumerate(shares):
        taken += share
        end = high if index == len(shares) - 1 else _rounded(low + (high - low) * taken, penalty.unit)
        result.append(_tier(penalty, name, start, end, note=note))
        start = end
    return result


def _shares(scheme: Scheme, supplied: set[str]) -> list[tuple[str, float]]:
    """The scheme less the levels the statute supplies; their share goes to `merge_into` (or is spread evenly)."""
    kept = [(name, share) for name, share in scheme.levels if name not in supplied]
    if not kept:
        return [(scheme.merge_into, 1.0)]
    freed = 1.0 - sum(share for _, share in kept)
    if any(name == scheme.merge_into for name, _ in kept):
        return [(name, share + freed if name == scheme.merge_into else share) for name, share in kept]
    total = sum(share for _, share in kept)
    return [(name, share / total) for name, share in kept]


def _tier(
    penalty: Penalty, name: str, low: float | None, high: float | None, source: str = "scheme", note: str | None = None
) -> Tier:
    return Tier(
        name=name,
        kind=penalty.kind,
        min=low,
        max=high,
        unit=penalty.unit,
        base=penalty.base,
        condition=penalty.condition,
        source=source,
        note=note,
    )


def _rounded(value: float, unit: str) -> float:
    """Whole days; whole yuan from ten yuan up; three significant figures for multiples and fractions. Halves up."""
    if unit == "日" or (unit == "元" and value >= 10):
        return float(math.floor(value + 0.5))
    return float(f"{value:.3g}")


def _amount(value: float | None, tier: Tier) -> str:
    if value is None:
        return ""
    if tier.unit == "元" and value >= 10000 and value % 100 == 0:
        return f"{value / 10000:g}万元"
    if tier.unit == "倍" and value < 1:
        return f"{value * 100:g}%"
    return f"{value:g}{tier.unit}"
