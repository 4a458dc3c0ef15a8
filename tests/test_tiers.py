"""Discretion tiers: the guidelines' 30/40/30 scheme, the statute's own severity tiers first, open ends kept open."""

from pathlib import Path

import pytest

from pipeline.models import Penalty, StatuteError
from pipeline.tiers import describe, load_scheme, tiers

SCHEME = load_scheme()


def bounds(penalties: list[Penalty], scheme=SCHEME) -> list[tuple[str, float | None, float | None]]:
    return [(tier.name, tier.min, tier.max) for tier in tiers(penalties, scheme)]


def test_a_closed_range_splits_30_40_30():
    # 道路交通安全法第九十条: 处二十元以上二百元以下罚款
    assert bounds([Penalty("fine", 20, 200, "元")]) == [("从轻", 20, 74), ("一般", 74, 146), ("从重", 146, 200)]


def test_detention_days_are_whole_days():
    # 治安管理处罚法: 处五日以上十日以下拘留
    assert bounds([Penalty("detention", 5, 10, "日")]) == [("从轻", 5, 7), ("一般", 7, 9), ("从重", 9, 10)]


def test_the_statutes_own_severity_tier_takes_precedence():
    # 纳税人有下列行为之一的，…可以处二千元以下的罚款；情节严重的，处二千元以上一万元以下的罚款 (base closed here)
    base = Penalty("fine", 50000, 100000, "元")
    severe = Penalty("fine", 100000, 500000, "元", condition="情节严重的")
    found = tiers([base, severe], SCHEME)
    assert [(tier.name, tier.min, tier.max, tier.source) for tier in found] == [
        ("从轻", 50000, 65000, "scheme"),
        ("一般", 65000, 100000, "scheme"),
        ("从重", 100000, 500000, "text"),
    ]
    assert describe(found[2]) == "从重（情节严重的）：罚款10万元以上50万元以下"


def test_conditions_that_are_not_severity_keep_their_own_scheme():
    found = tiers([Penalty("fine", 200, 1000, "元", condition="对个人"), Penalty("fine", 1000, 5000, "元",
                                                                                 condition="对单位")], SCHEME)
    assert [tier.name for tier in found] == ["从轻", "一般", "从重"] * 2
    assert {tier.condition for tier in found[3:]} == {"对单位"}


def test_open_ends_stay_open_and_say_so():
    upto = tiers([Penalty("fine", None, 10000, "元")], SCHEME)
    assert [(tier.min, tier.max) for tier in upto] == [(None, None), (None, None), (None, 10000)]
    assert all("下限未规定" in tier.note for tier in upto)
    above = tiers([Penalty("fine", 5000, None, "元")], SCHEME)
    assert [(tier.min, tier.max) for tier in above] == [(5000, None), (None, None), (None, None)]
    assert all("上限未规定" in tier.note for tier in above)


def test_a_fixed_amount_is_one_tier():
    (only,) = tiers([Penalty("fine", 200, 200, "元")], SCHEME)
    assert (only.name, only.min, only.max) == ("法定数额", 200, 200)


def test_multiples_and_percentages_read_naturally():
    lines = [describe(tier) for tier in tiers([Penalty("fine_multiple", 0.01, 0.05, "倍", base="赔偿费")], SCHEME)]
    assert lines[0] == "从轻：罚款赔偿费的1%以上2.2%以下"


def test_a_department_scheme_from_its_own_file(tmp_path: Path):
    path = tmp_path / "department.toml"
    path.write_text(
        '[[tier]]\nname = "较轻"\nshare = 0.25\n[[tier]]\nname = "一般"\nshare = 0.25\n'
        '[[tier]]\nname = "较重"\nshare = 0.25\n[[tier]]\nname = "严重"\nshare = 0.25\n'
        '[options]\nmerge_into = "一般"\nopen_lower_from_zero = true\n',
        encoding="utf-8",
    )
    scheme = load_scheme(path)
    assert bounds([Penalty("fine", None, 10000, "元")], scheme) == [
        ("较轻", 0, 2500), ("一般", 2500, 5000), ("较重", 5000, 7500), ("严重", 7500, 10000)
    ]


def test_a_broken_scheme_names_the_file_and_the_problem(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text('[[tier]]\nname = "从轻"\nshare = 0.5\n[[tier]]\nname = "从重"\nshare = 0.4\n', encoding="utf-8")
    with pytest.raises(StatuteError, match=r"bad\.toml.*sum to 0\.9"):
        load_scheme(path)
