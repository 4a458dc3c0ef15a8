"""Corpus runs of `powers propose`: cached by content, resumable after a kill, the same list however it is split."""

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE, statute

from pipeline import registry
from pipeline.batch import CACHE, DOCUMENTS, REGISTRY, corpus_registry
from pipeline.classify import Classifier, EnsembleScorer, gate_score, load_scorer
from pipeline.cli import main
from pipeline.registry import build_registry
from pipeline.segment import read_statute
from pipeline.write import held

SMALL = (
    "行政法规/安全生产许可证条例(2014-07-29).md",
    "行政法规/城市道路管理条例(2019-03-24).md",
    "DLC/浙江地方法规/地方性法规/浙江/浙江省水资源条例(2020-09-24).md",
)


@pytest.fixture
def statutes(tmp_path: Path) -> Path:
    """Three small statutes of the sample, copied so that a test may amend one."""
    folder = tmp_path / "statutes"
    folder.mkdir()
    for relative in SMALL:
        shutil.copy(statute(relative), folder / Path(relative).name)
    return folder


def propose(inputs: list[str], output: Path, *options: str) -> str:
    assert main(["propose", *inputs, "-o", str(output), *options]) == 0
    return (output / "entries.jsonl").read_text(encoding="utf-8")


def test_a_rerun_after_an_amendment_reads_only_the_amended_statute(statutes: Path, tmp_path: Path, capsys):
    first = propose([str(statutes)], tmp_path / "list")
    assert len(list((tmp_path / "list" / CACHE).glob("*.jsonl"))) == 3
    capsys.readouterr()
    amended = statutes / "城市道路管理条例(2019-03-24).md"
    text = amended.read_text(encoding="utf-8")
    assert "处以2万元以下的罚款" in text
    amended.write_text(text.replace("处以2万元以下的罚款", "处以5万元以下的罚款"), encoding="utf-8")
    again = propose([str(statutes)], tmp_path / "list")
    summary = capsys.readouterr().err
    assert "1 statute(s) read now" in summary and "2 from the cache" in summary
    assert again != first and '"max": 50000' in again
    assert again == propose([str(statutes)], tmp_path / "fresh")  # the cache gives what a fresh run gives
    assert len(list((tmp_path / "list" / CACHE).glob("*.jsonl"))) == 3  # the old text's entry was pruned


def test_a_watching_run_lists_an_amendment_and_stops_cleanly(statutes: Path, tmp_path: Path):
    """`--watch` keeps the models loaded and proposes again when a statute file changes (once the folder is free, if
    a review holds it); stopped (SIGTERM, as a service manager stops it, or Ctrl-C), it leaves the list of its last
    run, the same as a fresh run's."""
    output = tmp_path / "watched"
    command = [sys.executable, "-m", "pipeline.cli", "propose", str(statutes), "-o", str(output), "--model", "linear",
               "--formats", "jsonl", "--watch", "0.2"]
    watcher = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    said: list[str] = []

    def listen() -> None:
        for line in watcher.stderr or ():
            said.append(line)

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    listed = output / "entries.jsonl"

    def wait_for(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 120
        while not condition() and time.monotonic() < deadline and watcher.poll() is None:
            time.sleep(0.1)

    try:
        wait_for(lambda: any("watching" in line for line in said))
        assert '"max": 50000,' not in listed.read_text(encoding="utf-8")
        amended = statutes / "城市道路管理条例(2019-03-24).md"
        text = amended.read_text(encoding="utf-8").replace("处以2万元以下的罚款", "处以5万元以下的罚款")
        with held(output):  # a review is being imported: the change waits, and is proposed once the folder is free
            amended.write_text(text, encoding="utf-8")
            wait_for(lambda: any("trying again in 0.2 s" in line for line in said))
            assert '"max": 50000,' not in listed.read_text(encoding="utf-8")
        wait_for(lambda: '"max": 50000,' in listed.read_text(encoding="utf-8"))
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=60)
        reader.join(timeout=60)
    assert watcher.returncode == 0, "".join(said)
    assert any("1 file(s) changed; proposed again" in line for line in said)
    assert listed.read_text(encoding="utf-8") == propose([str(statutes)], tmp_path / "fresh", "--model", "linear")


def test_two_workers_write_the_same_list_as_one(statutes: Path, tmp_path: Path):
    assert propose([str(statutes)], tmp_path / "one", "--jobs", "1") == propose(
        [str(statutes)], tmp_path / "two", "--jobs", "2"
    )


def test_a_killed_run_continues_where_it_stopped_and_ends_with_the_same_list(tmp_path: Path):
    whole = propose([str(SAMPLE)], tmp_path / "uninterrupted")
    output = tmp_path / "killed"
    command = [sys.executable, "-m", "pipeline.cli", "propose", str(SAMPLE), "-o", str(output), "--jobs", "1"]
    run = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not list((output / CACHE).glob("*.jsonl")) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
    run.send_signal(signal.SIGKILL)
    run.wait()
    done = len(list((output / CACHE).glob("*.jsonl")))
    assert 0 < done < 42 and not (output / "entries.jsonl").exists()
    assert propose([str(SAMPLE)], output) == whole


def test_corpus_takes_only_the_versions_in_force(tmp_path: Path):
    text = propose(["--corpus", str(SAMPLE)], tmp_path / "list")
    sources = {json.loads(line)["source"] for line in text.splitlines()}
    assert any(source.endswith("道路运输条例(2023-07-20).md") for source in sources)
    older = ("道路运输条例(2019-03-02).md", "道路运输条例(2022-03-29).md")
    assert not any(source.endswith(older) for source in sources)
    assert not any(source.endswith("环境噪声污染防治法(2018-12-29).md") for source in sources)  # repealed


def test_the_corpus_registry_is_built_once_for_each_state_of_the_corpus(tmp_path: Path):
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    shutil.copytree(SAMPLE, corpus)
    first = corpus_registry(corpus, cache)
    assert first == build_registry(corpus, [])
    kept = list((cache / REGISTRY).glob("*.jsonl"))
    assert len(kept) == 1
    kept[0].write_text("", encoding="utf-8")  # what is kept is what is read: an emptied copy gives no statutes
    assert corpus_registry(corpus, cache) == []
    (corpus / "行政法规" / "道路运输条例(2023-07-20).md").unlink()  # the corpus changed: built again
    again = corpus_registry(corpus, cache)
    assert again == build_registry(corpus, []) and len(again) == len(first) - 1
    assert len(list((cache / REGISTRY).glob("*.jsonl"))) == 1  # the registry of the old corpus is gone


def test_an_amended_corpus_reads_only_the_changed_file_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    shutil.copytree(SAMPLE, corpus)
    corpus_registry(corpus, cache)
    read: list[str] = []
    original = registry._read_document

    def reading(root: Path, relative: str) -> object:
        read.append(relative)
        return original(root, relative)

    monkeypatch.setattr(registry, "_read_document", reading)
    amended = corpus / "行政法规" / "道路运输条例(2023-07-20).md"
    amended.write_text(amended.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = corpus_registry(corpus, cache)
    assert read == ["行政法规/道路运输条例(2023-07-20).md"]
    monkeypatch.undo()
    assert again == build_registry(corpus, [])
    for kept in (cache / REGISTRY / DOCUMENTS).glob("*.jsonl"):
        kept.write_text("{not json\n", encoding="utf-8")  # a damaged copy: every file is read again, nothing lost
    amended.write_text(amended.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert corpus_registry(corpus, cache) == build_registry(corpus, [])


def test_the_transformer_runs_only_where_it_can_change_a_decision():
    """An ensemble's decisions with its costly member held back are its decisions with that member everywhere; when
    a cheap member gates the subjects, the transformer is needed on fewer units still."""
    linear, transformer = load_scorer("linear"), load_scorer("transformer")
    scored: list[str] = []
    ensemble = EnsembleScorer({"linear": linear, "transformer": Recorder(transformer, scored)},
                              {"linear": 0.75, "transformer": 0.25})
    texts = [provision.text for relative in SMALL for provision in read_statute(statute(relative)).provisions]
    full = ensemble.scores(texts)
    assert len(scored) == len(texts)
    for gate, gating in ((None, full), ("linear", linear.scores(texts))):
        scored.clear()
        classifier = Classifier(ensemble, threshold=0.35, subject_threshold=0.3, subject_gate=gate)
        read = classifier.read(texts)
        assert 0 < len(scored) < len(texts) / 2
        for (row, acting), full_row, gate_row in zip(read, full, gating, strict=True):
            labels = [item["label"] for item in classifier.predicted(row)]
            assert labels == [item["label"] for item in classifier.predicted(full_row)]
            assert acting == (gate_score(gate_row) >= 0.3)


class Recorder:
    """A scorer that notes which texts it was asked to score."""

    def __init__(self, scorer, seen: list[str]) -> None:
        self.scorer, self.seen, self.name = scorer, seen, scorer.name

    def scores(self, texts):
        self.seen.extend(texts)
        return self.scorer.scores(texts)


def test_a_batch_may_write_only_the_jsonl_and_leaves_no_stale_spreadsheet(statutes: Path, tmp_path: Path, capsys):
    output = tmp_path / "list"
    everything = propose([str(statutes)], output)
    assert (output / "entries.xlsx").exists() and (output / "entries.csv").exists()
    assert propose([str(statutes)], output, "--formats", "jsonl") == everything
    assert not (output / "entries.xlsx").exists() and not (output / "entries.csv").exists()
    with pytest.raises(SystemExit):
        main(["propose", str(statutes), "-o", str(output), "--formats", "jsonl,pdf"])
    assert "unknown format pdf" in capsys.readouterr().err


def test_a_damaged_cache_file_is_redone_not_trusted(statutes: Path, tmp_path: Path, capsys):
    first = propose([str(statutes)], tmp_path / "list")
    damaged = sorted((tmp_path / "list" / CACHE).glob("*.jsonl"))[0]
    damaged.write_text("not json\n", encoding="utf-8")
    capsys.readouterr()
    assert propose([str(statutes)], tmp_path / "list") == first
    assert "1 statute(s) read now" in capsys.readouterr().err


def test_a_second_run_on_the_same_list_waits_its_turn(statutes: Path, tmp_path: Path, capsys):
    """A re-run reads the reviewers' decisions when it starts and rewrites the list when it ends: a second run (or a
    review pull) writing the same folder meanwhile would lose one of them, so it is refused, and nothing is written."""
    output = tmp_path / "list"
    with held(output):
        assert main(["propose", str(statutes), "-o", str(output)]) == 2
        assert main(["review", "import", str(tmp_path / "reviewed.json"), "-o", str(output)]) == 2
    assert "another powers run is writing this folder now" in capsys.readouterr().err
    assert not output.exists()  # nothing was written; the folder made only to hold the lock is gone again
    propose([str(statutes)], output)  # once the first run has finished
