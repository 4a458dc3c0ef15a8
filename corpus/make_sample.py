"""Make the bundled sample corpus `corpus/lawrefbook` from the shared LawRefBook corpus, and its registry.

The sample keeps the shared corpus's layout and metadata (subset copies of its
db.sqlite3 files holding only the sampled rows and their categories), so that the
registry builds the same way on both.

Run from the repository root with the package importable:

    .venv/bin/python corpus/make_sample.py [SOURCE]

SOURCE defaults to ../shared/corpus/lawrefbook beside the repository.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from pipeline.models import Diagnostic
from pipeline.registry import LOCAL_DBS, NATIONAL_DB, build_registry, save_registry
from pipeline.write import atomic_open

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "corpus" / "lawrefbook"
SAMPLE = HERE / "lawrefbook"
REGISTRY = HERE / "registry.jsonl"
LOCAL = "DLC/{province}地方法规/地方性法规/{province}/"

CORE = [
    "行政法/行政处罚法(2021-01-22).md",
    "行政法/行政许可法(2019-04-23).md",
    "行政法/行政强制法(2011-06-30).md",
]
AMENDED_PAIRS = [
    "诉讼与非诉讼程序法/行政复议法(2017-09-01).md",
    "诉讼与非诉讼程序法/行政复议法(2023-09-01).md",
    "经济法/野生动物保护法(2018-10-26).md",
    "经济法/野生动物保护法(2022-12-30).md",
    "经济法/农产品质量安全法(2018-10-26).md",
    "经济法/农产品质量安全法(2022-09-02).md",
    "行政法规/道路运输条例(2019-03-02).md",
    "行政法规/道路运输条例(2022-03-29).md",
    "行政法规/道路运输条例(2023-07-20).md",
    LOCAL.format(province="北京") + "北京市安全生产条例.md",
    LOCAL.format(province="北京") + "北京市安全生产条例(2022-05-25).md",
]
REPEALED_WITH_SUCCESSOR = [
    "行政法/环境噪声污染防治法(2018-12-29).md",
    "行政法/噪声污染防治法(2021-12-24).md",
    LOCAL.format(province="浙江") + "浙江省水资源管理条例(2017-11-30).md",
    LOCAL.format(province="浙江") + "浙江省水资源条例(2020-09-24).md",
]
LAWS = [
    "行政法/消防法(2021-04-29).md",
    "行政法/食品安全法(2021-04-29).md",
    "社会法/安全生产法(2021-06-10).md",
    "行政法/道路交通安全法(2021-04-29).md",
    "行政法/治安管理处罚法(2012-10-26).md",
    "行政法/土地管理法(2019-08-26).md",
    "行政法/药品管理法(2019-08-26).md",
    "行政法/环境保护法(2014-04-24).md",
    "行政法/大气污染防治法(2018-10-26).md",
    "行政法/城乡规划法(2019-04-23).md",
    "社会法/特种设备安全法(2013-06-29).md",
]
REGULATIONS_AND_RULES = [
    "行政法规/食品安全法实施条例(2019-10-11).md",
    "行政法规/土地管理法实施条例(2021-07-02).md",
    "行政法规/城市道路管理条例(2019-03-24).md",
    "行政法规/安全生产许可证条例(2014-07-29).md",
    "部门规章/公安部/道路交通安全违法行为处理程序规定(2020-04-30).md",
]
LOCAL_REGULATIONS = [
    LOCAL.format(province="浙江") + "浙江省安全生产条例(2016-07-29).md",
    LOCAL.format(province="上海") + "上海市城市管理行政执法条例(2018-05-24).md",
    LOCAL.format(province="广东") + "广东省实施《消防法》办法(2022-03-29).md",
    LOCAL.format(province="山东") + "山东省消防条例(2015-07-24).md",
    LOCAL.format(province="河南") + "郑州市大气污染防治条例(2020-08-05).md",
    LOCAL.format(province="重庆") + "重庆市市容环境卫生管理条例(2018-07-26).md",
]
UNUSUAL_LAYOUTS = [
    "刑法/刑法.md",
    "民法典/物权编.md",
]
CHOSEN = (
    CORE
    + AMENDED_PAIRS
    + REPEALED_WITH_SUCCESSOR
    + LAWS
    + REGULATIONS_AND_RULES
    + LOCAL_REGULATIONS
    + UNUSUAL_LAYOUTS
)


def main(source: Path) -> None:
    ids = _chosen_ids(source)
    if SAMPLE.exists():
        shutil.rmtree(SAMPLE)
    for relative in CHOSEN:
        _copy(source / relative, SAMPLE / relative)
    for db in [source / NATIONAL_DB, *sorted(source.glob(LOCAL_DBS))]:
        relative = db.relative_to(source)
        rows = [row_id for path, row_id in ids.items() if _db_of(path) == relative]
        if rows:
            _write_subset_db(db, SAMPLE / relative, rows)
    problems: list[Diagnostic] = []
    count = save_registry(build_registry(SAMPLE, problems), REGISTRY)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(CHOSEN)} files copied to {SAMPLE}; {count} entries written to {REGISTRY}")


def _chosen_ids(source: Path) -> dict[str, str]:
    """The db row of each chosen file as the registry matches them, so the sample matches the same way."""
    by_path = {entry.path: entry.id for entry in build_registry(source, [])}
    missing = [relative for relative in CHOSEN if relative not in by_path]
    if missing:
        raise SystemExit(f"no registry entry in {source} for: {', '.join(missing)}")
    return {relative: by_path[relative] for relative in CHOSEN}


def _db_of(relative: str) -> Path:
    """The db that holds a file's row: its province's under DLC/, else the national one."""
    parts = Path(relative).parts
    return Path(*parts[:2], NATIONAL_DB) if parts[0] == "DLC" else Path(NATIONAL_DB)


def _copy(source: Path, target: Path) -> None:
    with atomic_open(target, "wb") as handle:
        handle.write(source.read_bytes())


def _write_subset_db(source: Path, target: Path, ids: list[str]) -> None:
    """A db with the source's schema, holding only the rows `ids` and the categories they use."""
    with tempfile.TemporaryDirectory() as scratch:
        subset = Path(scratch) / NATIONAL_DB
        with closing(sqlite3.connect(subset.as_uri(), uri=True)) as connection:
            connection.execute("ATTACH DATABASE ? AS source", (f"{source.resolve().as_uri()}?mode=ro",))
            schema = "SELECT sql FROM source.sqlite_master WHERE sql IS NOT NULL"
            for (statement,) in connection.execute(schema).fetchall():
                connection.execute(statement)
            marks = ",".join("?" * len(ids))
            connection.execute(f"INSERT INTO law SELECT * FROM source.law WHERE id IN ({marks})", ids)
            connection.execute(
                "INSERT INTO category SELECT * FROM source.category WHERE id IN (SELECT category_id FROM law)"
            )
            connection.commit()
            connection.execute("DETACH DATABASE source")
            connection.execute("VACUUM")
        _copy(subset, target)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED)
