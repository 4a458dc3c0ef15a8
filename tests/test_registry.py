"""The statute registry, on real statutes: the bundled sample always, the shared corpus when it is there."""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import NO_SHARED, SAMPLE, SHARED

from pipeline.models import Diagnostic, StatuteError
from pipeline.registry import Registry, build_registry, load_registry, save_registry

SHIPPED_REGISTRY = SAMPLE.parent / "registry.jsonl"


class Build(NamedTuple):
    """A registry, what its build reported, and how long the build took."""

    registry: Registry
    problems: list[Diagnostic]
    seconds: float


@pytest.fixture(scope="module")
def sample() -> Registry:
    return Registry(build_registry(SAMPLE, []))


@pytest.fixture(scope="module")
def shared() -> Build:
    if not SHARED.is_dir():
        pytest.skip(NO_SHARED)
    problems: list[Diagnostic] = []
    started = time.perf_counter()
    entries = build_registry(SHARED, problems)
    return Build(Registry(entries), problems, time.perf_counter() - started)


def test_shipped_registry_is_a_fresh_build_of_the_sample() -> None:
    problems: list[Diagnostic] = []
    assert load_registry(SHIPPED_REGISTRY) == build_registry(SAMPLE, problems)
    assert problems == []


def test_noise_law_was_repealed_by_the_noise_pollution_law(sample: Registry) -> None:
    (old,) = sample.find("环境噪声污染防治法")
    (new,) = sample.find("噪声污染防治法")
    assert (old.status, old.expired, old.published) == ("repealed", True, "2018-12-29")
    assert old.successor == new.id
    assert (new.status, new.published, new.effective) == ("in_force", "2021-12-24", "2022-06-05")
    assert sample.resolve("环境噪声污染防治法", "2022-06-04") == old
    assert sample.resolve("环境噪声污染防治法", "2022-06-05") is None
    assert sample.resolve("噪声污染防治法", "2022-06-05") == new


def test_a_local_repeal_links_the_local_successor(sample: Registry) -> None:
    (old,) = sample.find("浙江省水资源管理条例")
    assert old.status == "repealed"
    assert sample.get(old.successor).title == "浙江省水资源条例"


def test_wildlife_law_2018_was_amended_by_2022(sample: Registry) -> None:
    first, latest = sample.find("野生动物保护法")
    older, newer = sample.versions_of(latest)
    assert (older.published, newer.published) == ("2018-10-26", "2022-12-30")
    assert {first, latest} == {older, newer}
    assert older.versions == newer.versions == (older.id, newer.id)
    assert (older.status, older.successor) == ("amended", newer.id)
    assert (newer.status, newer.successor) == ("in_force", None)
    assert older.path == "经济法/野生动物保护法(2018-10-26).md"


def test_a_superseded_version_is_amended_even_where_the_db_says_not_expired(sample: Registry) -> None:
    versions = sample.versions_of(sample.find("道路运输条例")[0])
    assert [entry.published for entry in versions] == ["2019-03-02", "2022-03-29", "2023-07-20"]
    assert [entry.expired for entry in versions] == [True, False, False]
    assert [entry.status for entry in versions] == ["amended", "amended", "in_force"]
    assert [entry.successor for entry in versions] == [versions[1].id, versions[2].id, None]


def test_an_undated_original_comes_before_its_dated_revision(sample: Registry) -> None:
    original, revision = sample.versions_of(sample.find("北京市安全生产条例")[0])
    assert original.path == "DLC/北京地方法规/地方性法规/北京/北京市安全生产条例.md"
    assert original.published == "2016-11-25"  # the db has no date; the file's history has
    assert (original.status, revision.status) == ("amended", "in_force")


def test_titles_come_from_the_file_and_short_titles_drop_the_country(sample: Registry) -> None:
    (law,) = sample.find("行政处罚法")
    assert (law.title, law.short_title) == ("中华人民共和国行政处罚法", "行政处罚法")
    assert sample.find("中华人民共和国行政处罚法") == [law]
    (local,) = sample.find("浙江省安全生产条例")
    assert local.title == local.short_title
    (quoting,) = sample.find("消防法》", substring=True)
    assert quoting.short_title == "广东省实施《中华人民共和国消防法》办法"
    fire = {entry.short_title for entry in sample.find("消防", substring=True)}
    assert fire == {"消防法", "山东省消防条例", "广东省实施《中华人民共和国消防法》办法"}


def test_a_part_of_a_split_code_is_named_by_its_subtitle(sample: Registry) -> None:
    (part,) = sample.find("民法典 物权编")
    assert (part.title, part.subtitle, part.path) == ("中华人民共和国民法典", "物权编", "民法典/物权编.md")
    assert sample.find("民法典") == [part]


def test_issuers_of_laws_regulations_rules_and_local_regulations(sample: Registry) -> None:
    def issuer(title: str) -> str | None:
        (entry,) = {entry.issuer for entry in sample.find(title)}
        return entry

    assert issuer("消防法") == "全国人民代表大会常务委员会"
    assert issuer("行政处罚法") == "全国人民代表大会"
    assert issuer("道路运输条例") == "国务院"
    assert issuer("道路交通安全违法行为处理程序规定") == "公安部"
    assert issuer("浙江省安全生产条例") == "浙江省人民代表大会常务委员会"
    assert issuer("郑州市大气污染防治条例") == "郑州市人民代表大会常务委员会"


def test_find_by_level_and_status(sample: Registry) -> None:
    assert len(sample.find(level="行政法规")) == 7
    assert {entry.short_title for entry in sample.find(status="repealed")} == {
        "环境噪声污染防治法",
        "浙江省水资源管理条例",
    }
    assert [entry.published for entry in sample.find("行政复议法", status="in_force")] == ["2023-09-01"]


def test_resolve_follows_effective_dates(sample: Registry) -> None:
    old, new = sample.versions_of(sample.find("行政复议法")[0])
    assert (old.effective, new.effective) == ("2018-01-01", "2024-01-01")
    assert sample.resolve("行政复议法", "2017-12-31") is None
    assert sample.resolve("行政复议法", "2023-12-31") == old  # 2023 version adopted, not yet in force
    assert sample.resolve("行政复议法", "2024-01-01") == new
    assert sample.resolve("中华人民共和国行政复议法") == new
    assert sample.resolve("没有这部法") is None


def test_save_and_load_round_trip(sample: Registry, tmp_path: Path) -> None:
    path = tmp_path / "registry.jsonl"
    assert save_registry(sample.entries, path) == 42
    assert load_registry(path) == list(sample.entries)


def test_a_folder_without_db_is_an_error_naming_the_db(tmp_path: Path) -> None:
    with pytest.raises(StatuteError, match=r"db\.sqlite3: error: no such file"):
        build_registry(tmp_path)


def test_a_broken_db_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "db.sqlite3").write_text("not a database", encoding="utf-8")
    with pytest.raises(StatuteError, match=r"db\.sqlite3: error: cannot read corpus metadata"):
        build_registry(tmp_path)


def test_an_unreadable_statute_is_an_error_naming_it(tmp_path: Path) -> None:
    corpus = tmp_path / "lawrefbook"
    shutil.copytree(SAMPLE, corpus)
    (corpus / "行政法" / "消防法(2021-04-29).md").write_bytes(b"")
    with pytest.raises(StatuteError, match=r"消防法\(2021-04-29\)\.md: error: file is empty"):
        build_registry(corpus)


def test_a_bad_registry_line_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "registry.jsonl"
    path.write_text(SHIPPED_REGISTRY.read_text(encoding="utf-8").splitlines()[0] + "\n{\n", encoding="utf-8")
    with pytest.raises(StatuteError, match=r"registry\.jsonl:2: error: not a registry entry"):
        load_registry(path)


@pytest.mark.corpus
def test_every_db_row_with_a_file_is_an_entry(shared: Build) -> None:
    row_ids = set()
    for db in [SHARED / "db.sqlite3", *SHARED.glob("DLC/*/db.sqlite3")]:
        with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as connection:
            row_ids |= {row_id for (row_id,) in connection.execute("SELECT id FROM law")}
    assert len(row_ids) == 3471
    assert {entry.id for entry in shared.registry.entries} == row_ids
    assert len({entry.path for entry in shared.registry.entries}) == 3471


@pytest.mark.corpus
def test_what_did_not_match_is_reported(shared: Build) -> None:
    problems = shared.problems
    moved = [p for p in problems if p.path == "db.sqlite3"]
    unnamed = sorted(p.path for p in problems if p.path != "db.sqlite3")
    assert len(problems) == 6
    assert "taken from 经济法/农业技术推广法(2024-04-26).md" in moved[0].message
    assert unnamed == [
        "法律法规模版.md",
        "经济法/广告法(2021-04-29).md",
        "经济法/职业病防治法(2018-12-29).md",
        "行政法/反电信网络诈骗法(2022-09-02).md",
        "行政法/居民身份证法(2011-10-29).md",
    ]
    assert sum("a copy of" in p.message for p in problems) == 4


@pytest.mark.corpus
def test_shared_corpus_statuses_and_repeals(shared: Build) -> None:
    registry = shared.registry
    assert shared.seconds < 30
    (noise,) = registry.find("环境噪声污染防治法")
    assert registry.get(noise.successor).short_title == "噪声污染防治法"
    (company,) = registry.find("公司登记管理条例")
    assert registry.get(company.successor).short_title == "市场主体登记管理条例"
    counts = {status: len(registry.find(status=status)) for status in ("in_force", "amended", "repealed")}
    assert counts == {"in_force": 3277, "amended": 102, "repealed": 92}


@pytest.mark.corpus
def test_civil_code_parts_share_a_title(shared: Build) -> None:
    registry = shared.registry
    parts = registry.find("民法典")
    assert len(parts) == 8
    assert {part.title for part in parts} == {"中华人民共和国民法典"}
    with pytest.raises(ValueError, match="names 8 statutes"):
        registry.resolve("民法典")
    general = registry.resolve("民法典 总则", "2021-01-01")
    assert general is not None
    assert (general.subtitle, general.path, general.issuer) == ("总则", "民法典/总则.md", "全国人民代表大会")
