"""Aligning two versions of a statute: hand-checked real pairs, and what `powers amend` writes beside its report."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import statute

from pipeline.align import agreement, align, align_articles, articles
from pipeline.alignments import checked_pairs, read_links
from pipeline.cli import main
from pipeline.link import MODEL, links, load_link_model
from pipeline.segment import read_statute

CHECKED = Path(__file__).resolve().parents[1] / "annotations" / "alignments"
PAIRS = {entry["file"]: (entry["old"], entry["new"]) for entry in checked_pairs(CHECKED)}
LEAST = {
    # the least accuracy the shipped aligner must keep on each hand-checked pair (it learnt from all of them: the
    # honest, left-out scores are in models/aligner/README.md)
    "野生动物保护法-2018-2022.csv": 0.93,
    "行政复议法-2017-2023.csv": 0.70,
    "农产品质量安全法-2018-2022.csv": 0.65,
    "反洗钱法-2006-2024.csv": 0.79,
    "妇女权益保障法-2018-2022.csv": 0.81,
    "职业教育法-1996-2022.csv": 0.63,
    "畜牧法-2015-2022.csv": 0.93,
    "科学技术普及法-2002-2024.csv": 0.70,
    "保守国家秘密法-2010-2024.csv": 0.79,
    "反间谍法-2014-2023.csv": 0.79,
    "国境卫生检疫法-2018-2024.csv": 0.54,
    "烈士褒扬条例-2019-2024.csv": 0.76,
    "国防教育法-2018-2024.csv": 0.91,
    "保障中小企业款项支付条例-2020-2025.csv": 0.88,
    "矿产资源法-2009-2024.csv": 0.42,
    "军人抚恤优待条例-2019-2024.csv": 0.65,
}


def test_every_checked_pair_has_a_floor() -> None:
    assert set(LEAST) == set(PAIRS)


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_alignment_reproduces_the_hand_checked_pairs(name: str) -> None:
    old, new = PAIRS[name]
    scores = agreement(align(read_statute(statute(old)), read_statute(statute(new))), read_links(CHECKED / name))
    print(name, scores)
    assert scores["accuracy"] >= LEAST[name]


def test_a_wholesale_renumbering_follows_the_text() -> None:
    """行政复议法 2023 inserted whole chapters: 2017's 第二十一条 (不停止执行) is 2023's 第四十二条."""
    pairs = align(read_statute(statute("诉讼与非诉讼程序法/行政复议法(2017-09-01).md")),
                  read_statute(statute("诉讼与非诉讼程序法/行政复议法(2023-09-01).md")))
    moved = next(pair for pair in pairs if pair.old_label == "第二十一条")
    assert (moved.new_label, moved.relation, moved.renumbered) == ("第四十二条", "modified", True)
    assert next(pair for pair in pairs if pair.old_label == "第四十一条").relation == "same"
    assert next(pair for pair in pairs if pair.old_label == "第四十二条").relation == "deleted"


def test_sentences_moved_into_a_new_article_make_it_a_piece_of_the_old_one() -> None:
    """行政复议法 2017 第十条 (申请人、第三人、代理人) is spread over 2023 第十四条 (申请人) and 第十六条 (第三人): the
    第三人 article is too rewritten to match as a whole, but its sentence still finds its old self."""
    pairs = align(read_statute(statute("诉讼与非诉讼程序法/行政复议法(2017-09-01).md")),
                  read_statute(statute("诉讼与非诉讼程序法/行政复议法(2023-09-01).md")))
    assert {(p.new_label, p.relation) for p in pairs if p.old_label == "第十条"} >= {
        ("第十四条", "split"), ("第十六条", "split")}


def test_an_article_whose_sentence_moved_into_a_matched_one_was_merged_into_it() -> None:
    """妇女权益保障法 2018 第五十四条 (妇女组织支持受害妇女诉讼) lives on as a sentence of 2022 第七十三条, which
    continues 第五十三条: both old articles were merged into it, none was deleted."""
    pairs = align(read_statute(statute("社会法/妇女权益保障法(2018-10-26).md")),
                  read_statute(statute("社会法/妇女权益保障法(2022-10-30).md")))
    assert {(p.old_label, p.relation) for p in pairs if p.new_label == "第七十三条"} == {
        ("第五十三条", "merged"), ("第五十四条", "merged")}


def test_a_sentence_moved_between_two_matched_articles_links_them() -> None:
    """妇女权益保障法 2018 第十三条 kept its first sentence as 2022 第十六条, and its second (妇女联合会…可以推荐女干部)
    went into 第十五条, which continues 第十二条: both articles were matched elsewhere, the moved sentence still
    links them."""
    pairs = align(read_statute(statute("社会法/妇女权益保障法(2018-10-26).md")),
                  read_statute(statute("社会法/妇女权益保障法(2022-10-30).md")))
    assert {(p.new_label, p.relation) for p in pairs if p.old_label == "第十三条"} == {
        ("第十五条", "split"), ("第十六条", "split")}
    assert {(p.old_label, p.relation) for p in pairs if p.new_label == "第十五条"} == {
        ("第十二条", "merged"), ("第十三条", "split")}


def test_a_formula_many_articles_repeat_moves_nothing() -> None:
    """野生动物保护法 2022 第五十条 and 第五十七条 are new penalty articles; that they repeat the old penalty
    articles' closing formulas (构成犯罪的，依法追究刑事责任) does not make them pieces of those."""
    pairs = align(read_statute(statute("经济法/野生动物保护法(2018-10-26).md")),
                  read_statute(statute("经济法/野生动物保护法(2022-12-30).md")))
    assert {p.relation for p in pairs if p.new_label in ("第五十条", "第五十七条")} == {"added"}


def test_an_article_rewritten_in_place_is_paired_by_where_it_stands() -> None:
    """职业教育法 1996 第十二条 (少数民族、边远贫困地区的职业教育) became 2022 第十四条, rewritten to Dice 0.28, under
    the match threshold; its neighbours were matched in order around it and it is the only article left over
    there on either side, so its place pairs it."""
    pairs = align(read_statute(statute("行政法/职业教育法(1996-05-15).md")),
                  read_statute(statute("行政法/职业教育法(2022-04-20).md")))
    moved = next(pair for pair in pairs if pair.old_label == "第十二条")
    assert (moved.new_label, moved.relation) == ("第十四条", "modified")
    assert moved.similarity < 0.3


def test_amend_writes_one_row_per_aligned_pair(tmp_path: Path) -> None:
    old = statute("行政法规/道路运输条例(2022-03-29).md")
    new = statute("行政法规/道路运输条例(2023-07-20).md")
    assert main(["amend", str(old), str(new), "-o", str(tmp_path), "--model", "rules"]) == 0
    with (tmp_path / "alignment.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:4] == ["old_article", "new_article", "relation", "similarity"]
    assert {row["relation"] for row in rows} <= {"same", "modified", "split", "merged", "deleted", "added"}
    for row in rows:
        assert (row["old_article"] == "") == (row["relation"] == "added")
        assert (row["new_article"] == "") == (row["relation"] == "deleted")
        assert all(value.isdigit() for value in (row["old_article"], row["new_article"]) if value)
    old_articles = {pair.old_label for pair in align(read_statute(old), read_statute(new))}
    assert len({row["old_label"] for row in rows if row["old_label"]}) == len(old_articles - {None})


def test_the_link_model_retrains_from_checked_pairs_and_scores_each_left_out(tmp_path: Path) -> None:
    """`powers train aligner` on three of the checked pairs: each is scored by a model trained on the other two, and
    the model written is the one `align` then uses."""
    corpus = statute("行政法/国防教育法(2018-04-27).md").parents[1]
    chosen = [entry for entry in checked_pairs(CHECKED)
              if entry["file"] in ("国防教育法-2018-2024.csv", "保障中小企业款项支付条例-2020-2025.csv",
                                   "反洗钱法-2006-2024.csv")]
    folder = tmp_path / "annotations" / "alignments"
    folder.mkdir(parents=True)
    lines = []
    for entry in chosen:
        shutil.copy(CHECKED / entry["file"], folder / entry["file"])
        lines += ["[[pair]]", *(f'{key} = "{value}"' for key, value in entry.items()), ""]
    (folder / "pairs.toml").write_text("\n".join(lines), encoding="utf-8")
    config = (Path(__file__).resolve().parents[1] / "models" / "config.toml").read_text(encoding="utf-8")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "config.toml").write_text(
        config.replace('corpus = "../shared/corpus/lawrefbook"', f'corpus = "{corpus}"'), encoding="utf-8")

    assert main(["train", "aligner", "--config", str(tmp_path / "models" / "config.toml"),
                 "--into", str(tmp_path / "out")]) == 0
    meta = json.loads((tmp_path / "out" / "aligner" / "meta.json").read_text(encoding="utf-8"))
    assert set(meta["pairs"]) == {entry["file"].removesuffix(".csv") for entry in chosen}
    assert all(pair["left_out"]["accuracy"] >= 0.6 for pair in meta["pairs"].values())
    assert "| **pooled** |" in (tmp_path / "out" / "aligner" / "README.md").read_text(encoding="utf-8")
    model = load_link_model(tmp_path / "out" / "aligner" / "model.json")
    old, new = PAIRS["国防教育法-2018-2024.csv"]
    scores = agreement(align_articles(articles(read_statute(statute(old))), articles(read_statute(statute(new))),
                                      model), read_links(CHECKED / "国防教育法-2018-2024.csv"))
    assert scores["accuracy"] == meta["pairs"]["国防教育法-2018-2024"]["shipped"]["accuracy"]


def test_a_link_model_trained_on_other_features_is_refused_by_name(tmp_path: Path) -> None:
    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps({**shipped, "features": shipped["features"][:-1]}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"model\.json: trained on other features.*powers train aligner"):
        load_link_model(stale)


def test_versions_whose_articles_have_no_term_at_all_align_to_nothing() -> None:
    """Articles of one character (略) give no bigram and no word: no link, and no error from an empty vocabulary."""
    assert links([["略"]], [["删"]], load_link_model())[0] == set()
    assert links([["本法自公布之日起施行。"]], [["本法自公布之日起施行。"]], load_link_model())[0] == {(0, 0)}
