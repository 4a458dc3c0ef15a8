"""Segmentation follows the guidelines' unit: 条 → 款 (each line of running text) → 项 （一） → 目 1."""

from __future__ import annotations

from pathlib import Path

from conftest import statute
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lines import to_chinese
from pipeline.models import Source
from pipeline.read import to_simplified
from pipeline.segment import read_statute, segment


def by_citation(relative: str) -> dict[str, object]:
    return {p.citation: p for p in read_statute(statute(relative)).provisions}


def test_items_and_sub_items_stay_in_their_paragraph() -> None:
    review = by_citation("诉讼与非诉讼程序法/行政复议法(2017-09-01).md")
    first = review["《中华人民共和国行政复议法》第二十八条第一款"]
    assert [item.label for item in first.items] == ["（一）", "（二）", "（三）", "（四）"]
    assert [sub.label for sub in first.items[2].subitems] == ["1.", "2.", "3.", "4.", "5."]
    assert first.items[2].subitems[1].text == "2.适用依据错误的；"
    second = review["《中华人民共和国行政复议法》第二十八条第二款"]
    assert second.text.startswith("行政复议机关责令被申请人重新作出具体行政行为的") and not second.items


def test_articles_with_zhiyi_keep_their_label_and_chapter_path() -> None:
    criminal = by_citation("刑法/刑法.md")
    article = criminal["《中华人民共和国刑法》第十七条之一"]
    assert (article.article, article.article_label, article.paragraph) == (17, "第十七条之一", 1)
    assert article.chapters == ("第一编 总则", "第二章 犯罪", "第一节 犯罪和刑事责任")
    assert sum("之" in citation for citation in criminal) >= 100


def test_subtitle_of_a_split_code_and_its_sub_book_headings() -> None:
    result = read_statute(statute("民法典/物权编.md"))
    assert (result.header.title, result.header.subtitle) == ("中华人民共和国民法典", "物权编")
    assert result.header.effective == "2021-01-01"
    assert result.provisions[0].citation == "《中华人民共和国民法典》第二百零五条"
    assert result.provisions[0].chapters == ("第一分编 通则", "第一章 一般规定")


def test_legislative_history_and_dates_from_the_header() -> None:
    land = read_statute(statute("行政法/土地管理法(2019-08-26).md")).header
    assert [(e.date, e.kind) for e in land.history] == [
        ("1986-06-25", "adopted"), ("1988-12-29", "amended"), ("1998-08-29", "revised"),
        ("2004-08-28", "amended"), ("2019-08-26", "amended"),
    ]
    assert land.history[-1].text.endswith("〈中华人民共和国城市房地产管理法〉的决定》第三次修正")  # a wrapped line
    assert land.published == "2019-08-26"


# A generated statute: articles of paragraphs, each a lead line with optional items and sub-items.
sentence = st.text(alphabet="行政机关应当依法处罚罚款许可证件检查查封扣押", min_size=1, max_size=30)
paragraph_text = sentence.map(lambda text: text + "。")
item_count = st.integers(min_value=0, max_value=3)
paragraph = st.tuples(paragraph_text, item_count, item_count)
article = st.lists(paragraph, min_size=1, max_size=4)
gap = st.sampled_from(["\n", "\n\n", "\n \n", "\r\n", "\n\u3000\u3000", "\n\u200b\n"])


@settings(max_examples=150, deadline=None)
@given(articles=st.lists(article, min_size=1, max_size=8), gaps=st.lists(gap, min_size=1), traditional=st.booleans())
def test_generated_statutes_round_trip(articles: list, gaps: list[str], traditional: bool) -> None:
    chunks = ["# 测试条例", "<!-- INFO END -->", "## 第一章 总则"]
    expected = []
    for number, paragraphs in enumerate(articles, start=1):
        for index, (lead, items, subitems) in enumerate(paragraphs):
            chunks.append((f"第{to_chinese(number)}條 " if traditional else f"第{to_chinese(number)}条 ") * (index == 0)
                          + lead)
            for item in range(1, items + 1):
                chunks.append(f"（{to_chinese(item)}）{lead}；")
                chunks += [f"{sub}.{lead}" for sub in range(1, subitems + 1)]
            expected.append((number, index + 1, len(paragraphs), items))
    text = "".join(chunk + gaps[i % len(gaps)] for i, chunk in enumerate(chunks))

    result = segment(Source("测试条例.md", text, to_simplified(text), "utf-8", "markdown"))

    assert [(p.article, p.paragraph, len(p.items)) for p in result.provisions] == [e[:2] + e[3:] for e in expected]
    for provision, (number, index, count, _) in zip(result.provisions, expected, strict=True):
        assert text[provision.start:provision.end] == provision.text
        paragraph_part = f"第{to_chinese(index)}款" if count > 1 else ""
        assert provision.citation == f"《测试条例》第{to_chinese(number)}条{paragraph_part}"
        assert provision.chapters == ("第一章 总则",)
        for item in provision.items:
            assert text[item.start:item.end] == item.text
            assert all(text[sub.start:sub.end] == sub.text for sub in item.subitems)


def test_sample_corpus_segments_whole() -> None:
    sample = Path(__file__).parents[1] / "corpus" / "lawrefbook"
    files = sorted(p for p in sample.rglob("*.md"))
    assert 30 <= len(files) <= 50
    for path in files:
        result = read_statute(path)
        assert result.provisions, path
        assert all(result.source.text[p.start:p.end] == p.text for p in result.provisions)


def test_a_long_chapter_title_without_its_number_is_a_heading_not_a_paragraph() -> None:
    """菏泽 titles two chapters on bare lines, without 第…章: after 第七条 (16 characters) and after 第二十一条 (21)."""
    heze = read_statute(statute("DLC/山东地方法规/地方性法规/山东/菏泽市制定地方性法规条例(2016-04-06).md"))
    texts = [provision.text for provision in heze.provisions]
    assert "市人民代表大会常务委员会制定地方性法规程序" not in texts
    assert "市人民代表大会制定地方性法规程序" not in texts
    chapters = {provision.article: provision.chapters for provision in heze.provisions}
    assert chapters[8][-1] == "市人民代表大会制定地方性法规程序"
    assert chapters[22][-1] == "市人民代表大会常务委员会制定地方性法规程序"
