"""`powers extract` and `powers eval` as an evaluator runs them: classify a statute, then score it against gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, statute

from pipeline.classify import MODEL_NAMES, load_classifier
from pipeline.cli import main
from pipeline.extract import annotate, criminal_by_reference, read_powers
from pipeline.models import CATEGORIES, Annotation
from pipeline.refer import sanction_referents
from pipeline.segment import read_statute

FOOD_LAW = "行政法/食品安全法(2021-04-29).md"
CRIMINAL_LAW = "刑法/刑法.md"
FIRE_LAW = "行政法/消防法(2021-04-29).md"
FOOD_GOLD = REPO / "annotations" / "gold" / "食品安全法(2021-04-29).jsonl"
PENALTY_122 = "《中华人民共和国食品安全法》第一百二十二条第一款"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("extract") / "powers.jsonl"
    assert main(["extract", str(statute(FOOD_LAW)), "-o", str(out)]) == 0
    return out


def test_every_unit_keeps_its_segment_fields_and_gets_scored_categories(extracted: Path) -> None:
    records = read_jsonl(extracted)
    assert len(records) == 304
    by_citation = {record["citation"]: record for record in records}
    penalty = by_citation[PENALTY_122]
    assert penalty["text"].startswith("违反本法规定，未取得食品生产经营许可")
    assert "行政处罚" in [item["label"] for item in penalty["categories"]]
    assert by_citation["《中华人民共和国食品安全法》第一条"]["categories"] == []
    for record in records:
        labels = [item["label"] for item in record["categories"]]
        assert labels == [category for category in CATEGORIES if category in labels]
        assert all(0.0 <= item["score"] <= 1.0 for item in record["categories"])


def test_eval_scores_extract_output_against_gold_and_draws_the_plots(
    extracted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--gold", str(FOOD_GOLD), "--pred", str(extracted), "-o", str(tmp_path / "eval")]) == 0
    report = capsys.readouterr().out
    assert "category micro-F1" in report and "power-vs-none F1" in report and "penalty F1" in report
    scores = json.loads((tmp_path / "eval" / "scores.json").read_text(encoding="utf-8"))
    assert 0.5 < scores["categories"]["micro"]["f1"] <= 1.0
    for name in ("confusion.png", "reliability.png"):
        assert (tmp_path / "eval" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_shipped_model_loads_and_leaves_empty_and_foreign_units_alone(name: str) -> None:
    classifier = load_classifier(name)
    texts = ["", "   ", "2021-04-29", "The licensing authority may revoke the permit.", "处二千元以上一万元以下罚款。"]
    scores = classifier.classify(texts)
    for row in scores[:4]:
        assert classifier.predicted(row) == []
    assert set(scores[4]) == set(CATEGORIES)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_criminal_punishments_are_not_administrative_powers(name: str) -> None:
    classifier = load_classifier(name)
    theft = (  # 刑法第二百六十四条
        "盗窃公私财物，数额较大的，或者多次盗窃、入户盗窃、携带凶器盗窃、扒窃的，处三年以下有期徒刑、拘役或者管制，"
        "并处或者单处罚金"
    )
    fine = "违反本法规定，未取得许可从事经营的，处五万元以上十万元以下罚款；构成犯罪的，处三年以下有期徒刑。"
    theft_scores, fine_scores = classifier.classify([theft, fine])
    assert classifier.predicted(theft_scores) == []
    assert max(fine_scores.values()) > 0


def test_a_sanction_taken_from_a_prison_term_is_criminal_liability() -> None:
    """刑法第二百二十三条第二款 (…的，依照前款的规定处罚) takes its sanction from a prison term: it gets no category,
    in `powers extract` and `powers eval` alike, though its words alone read as a penalty by reference; 消防法第六十一条
    第二款 takes its own from a fine and stays an administrative penalty."""
    classifier = load_classifier()
    criminal_law, fire_law = read_statute(statute(CRIMINAL_LAW)), read_statute(statute(FIRE_LAW))
    referral = "《中华人民共和国刑法》第二百二十三条第二款"
    by_citation = {power.provision.citation: power for power in read_powers(criminal_law, classifier)}
    assert by_citation[referral].categories == () and by_citation[referral].subjects == ()
    assert "行政处罚" in [label["label"] for label in classifier.predicted(classifier.classify(
        [by_citation[referral].provision.text])[0])]
    fire = {power.provision.citation: power for power in read_powers(fire_law, classifier)}
    assert "行政处罚" in dict(fire["《中华人民共和国消防法》第六十一条第二款"].categories)

    units = [Annotation(citation=p.citation, text=p.text, file=CRIMINAL_LAW, article=p.article,
                        article_label=p.article_label, paragraph=p.paragraph)
             for p in criminal_law.provisions if p.article_label == "第二百二十三条"]
    assert [unit.categories for unit in annotate(units, classifier)] == [(), ()]


def test_a_paragraph_cited_by_number_is_one_of_the_same_article() -> None:
    """刑法第二百五十三条之一第三款 (…的，依照第一款的规定处罚) takes its sanction from 第二百五十三条之一第一款,
    not from 第二百五十三条第一款: a bare 第一款 is a 款 of the citing article, 之 ones included. That 款 sets a prison
    term, so the citing one is criminal liability and gets no category."""
    criminal_law = read_statute(statute(CRIMINAL_LAW))
    provisions = list(criminal_law.provisions)
    citing = next(index for index, p in enumerate(provisions)
                  if p.citation == "《中华人民共和国刑法》第二百五十三条之一第三款")
    cited = [p.citation for p in sanction_referents(provisions, citing)]
    assert cited == ["《中华人民共和国刑法》第二百五十三条之一第一款"]
    assert citing in criminal_by_reference(provisions)
    powers = read_powers(criminal_law, load_classifier(), [index == citing for index in range(len(provisions))])
    assert powers[citing].categories == ()


def test_a_unit_longer_than_the_window_is_scored_on_all_of_it() -> None:
    classifier = load_classifier("transformer")
    scorer = classifier.scorer
    filler = "县级以上人民政府应当加强对食品安全工作的领导，建立健全食品安全全程监督管理工作机制。" * 8
    penalty = "违反本法规定的，由县级以上人民政府食品安全监督管理部门没收违法所得，并处五万元以上十万元以下罚款。"
    inputs, owners = scorer.windows([filler + penalty])
    assert len(set(owners)) == 1 and len(owners) > 1  # one unit, several windows
    covered = {token for row in inputs["input_ids"].tolist() for token in row}
    assert set(scorer.tokenizer(penalty, add_special_tokens=False)["input_ids"]) <= covered
    assert classifier.classify([filler + penalty])[0]["行政处罚"] >= classifier.classify([filler])[0]["行政处罚"]


def test_eval_names_the_gold_file_and_line_of_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "gold.jsonl"
    lines = FOOD_GOLD.read_text(encoding="utf-8").splitlines()[:3]
    record = json.loads(lines[2])
    record["categories"] = ["行政罚款"]
    bad.write_text("\n".join([*lines[:2], json.dumps(record, ensure_ascii=False)]) + "\n", encoding="utf-8")
    assert main(["eval", "--gold", str(bad), "--model", "rules"]) == 2
    error = capsys.readouterr().err
    assert f"{bad}:3" in error and "行政罚款" in error


def test_a_paragraph_that_only_defines_terms_is_no_power() -> None:
    """海关法第一百条第六款 (保税货物，是指经海关批准未办理纳税手续进境…的货物) reads like a licence to every model, but
    it defines a term and confers nothing, as the list of definitions it belongs to; 洛阳市公路路政管理条例第二十三条
    defines 控制区 and then bans building in it, so the models still read it."""
    classifier = load_classifier()
    customs = read_statute(statute("行政法/海关法(2021-04-29).md"))
    bonded = next(p for p in customs.provisions if p.citation == "《中华人民共和国海关法》第一百条第六款")
    assert "行政许可" in [label["label"] for label in classifier.predicted(classifier.scorer.scores([bonded.text])[0])]
    powers = {power.provision.citation: power for power in read_powers(customs, classifier)}
    assert all(powers[p.citation].categories == () for p in customs.provisions if p.article == 100)

    roads = read_statute(statute("DLC/河南地方法规/地方性法规/河南/洛阳市公路路政管理条例.md"))
    control = next(p for p in roads.provisions if p.article_label == "第二十三条")
    assert classifier.predicted(classifier.classify([control.text])[0]) != []
