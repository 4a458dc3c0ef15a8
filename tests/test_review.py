"""`powers review` as legal staff use it, on a real Label Studio server: push a statute's proposals, review them
through the API as a person would, pull the reviewed list and the new gold; push again; survive a server that dies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import REPO, SAMPLE, statute
from label_studio_sdk import LabelStudio
from label_studio_server import Server

from pipeline.cli import main
from pipeline.gold import load_annotations
from pipeline.merge import BASIS_CHANGED, read_entries
from pipeline.review import LABEL_CONFIG

FIRE = SAMPLE / "行政法" / "消防法(2021-04-29).md"
FIRE_TITLE = "《中华人民共和国消防法》"


def client(server: Server) -> LabelStudio:
    return LabelStudio(base_url=server.url, api_key=server.token)


def tasks_by_citation(server: Server, project: int) -> dict[str, Any]:
    return {task.data["citation"]: task for task in client(server).tasks.list(project=project, fields="all")}


def project_named(server: Server, title: str) -> int:
    return next(project.id for project in client(server).projects.list() if project.title == title)


def submit(server: Server, task: Any, edit: Any = None) -> None:
    """What a reviewer does: start from the prediction shown, change what is wrong, submit."""
    result = json.loads(json.dumps(task.predictions[0].result))
    if edit is not None:
        result = edit(result)
    client(server).annotations.create(task.id, result=result, was_cancelled=False)


def next_for_reviewer(server: Server, project: int) -> int:
    """The id of the task Label Studio gives a reviewer who opens the project's labelling stream."""
    token = {"Authorization": f"Token {server.token}"}
    response = httpx.get(f"{server.url}/api/projects/{project}/next", headers=token)
    response.raise_for_status()
    return int(response.json()["id"])


def no_token_in(server: Server, *texts: str) -> None:
    for text in texts:
        assert server.token not in text
    assert server.token not in server.log.read_text(encoding="utf-8", errors="replace")


def test_a_statute_is_pushed_reviewed_and_pulled_into_a_list_and_gold(
    reviewer_env: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "消防法 review"
    assert main(["review", "push", str(FIRE), "--model", "linear", "--project", title]) == 0
    pushed = capsys.readouterr().err
    project = project_named(reviewer_env, title)
    assert client(reviewer_env).projects.get(project).label_config == LABEL_CONFIG.read_text(encoding="utf-8").strip()
    tasks = tasks_by_citation(reviewer_env, project)
    assert f"{len(tasks)} tasks created" in pushed

    # least certain first: ids follow the prediction score
    ordered = sorted(tasks.values(), key=lambda task: task.id)
    scores = [task.predictions[0].score for task in ordered]
    assert scores == sorted(scores)
    first = ordered[0]
    assert {"source", "citation", "article", "paragraph", "text", "chapters", "unit", "entries"} <= set(first.data)
    assert first.predictions[0].model_version == "linear"

    accepted = tasks[f"{FIRE_TITLE}第五十八条第三款"]
    corrected = tasks[f"{FIRE_TITLE}第五十八条第一款"]
    partly_rejected = tasks[f"{FIRE_TITLE}第六十九条第一款"]

    submit(reviewer_env, accepted)

    def correct(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Only 住房和城乡建设主管部门 acts here; the fine starts at 五万元 (a reviewer's correction)."""
        result = [item for item in result if item["value"].get("text") != "消防救援机构"]
        for item in result:
            if item["from_name"] == "min":
                item["value"]["number"] = 50000
            if item["from_name"] == "entry_name":
                names = item["value"]["text"][0].splitlines()
                item["value"]["text"] = ["\n".join(["对未经消防设计审查擅自施工的处罚", *names[1:]])]
        comment = {"text": ["主体更正"]}
        return [*result, {"id": "comment", "from_name": "comment", "to_name": "text", "type": "textarea",
                          "value": comment}]

    submit(reviewer_env, corrected, correct)
    wrong = next(entry["id"] for entry in partly_rejected.data["proposed"] if entry["subject"] == "相关部门")

    def reject_one(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for item in result:
            if item["from_name"] == "entries":
                item["value"]["choices"].remove(wrong)
        return result

    submit(reviewer_env, partly_rejected, reject_one)

    listing, gold = tmp_path / "list", tmp_path / "reviewed"
    assert main(["review", "pull", "--project", title, "-o", str(listing), "--gold", str(gold)]) == 0
    pulled = capsys.readouterr().err
    entries = {(entry.citation, entry.subject): entry for entry in read_entries(listing / "entries.jsonl")}

    ok = entries[(f"{FIRE_TITLE}第五十八条第三款", "住房和城乡建设主管部门")]
    assert ok.status == "accepted" and ok.changes == () and ok.penalties[0].max == 5000

    for item in (1, 2, 3, 4):  # 由住房和城乡建设主管部门、消防救援机构…: an entry each was proposed
        citation = f"{FIRE_TITLE}第五十八条第一款第{'一二三四'[item - 1]}项"
        fixed = entries[(citation, "住房和城乡建设主管部门")]
        assert fixed.status == "corrected" and fixed.comment == "主体更正"
        assert fixed.subject_rule == "named"
        assert (fixed.penalties[0].min, fixed.penalties[0].max) == (50000, 300000)
        assert fixed.tiers[0].min == 50000 and fixed.tiers[-1].max == 300000
        renamed = ("事项名称：" + corrected.data["proposed"][0]["name"] + " → 对未经消防设计审查擅自施工的处罚",)
        assert fixed.changes == (renamed if item == 1 else ()) + (
            "处罚幅度：罚款3万元以上30万元以下 → 罚款5万元以上30万元以下",
        )
        struck = entries[(citation, "消防救援机构")]
        assert struck.status == "rejected" and struck.changes == ("实施主体：审核人删除了消防救援机构",)
    assert entries[(f"{FIRE_TITLE}第六十九条第一款", "相关部门")].status == "rejected"
    assert entries[(f"{FIRE_TITLE}第六十九条第一款", "消防救援机构")].status == "accepted"
    assert "3 reviewed 款" in pulled and "5 rejected" in pulled
    csv = (listing / "entries.csv").read_text(encoding="utf-8-sig")
    assert "已修改" in csv and "已驳回" in csv and "主体更正" in csv

    [gold_file] = gold.iterdir()
    assert gold_file.name == "消防法(2021-04-29).jsonl"
    units = {unit.citation: unit for unit in load_annotations(gold_file)}
    assert set(units) == {accepted.data["citation"], corrected.data["citation"], partly_rejected.data["citation"]}
    fixed_unit = units[corrected.data["citation"]]
    assert fixed_unit.file == "消防法(2021-04-29).md" and fixed_unit.article == 58 and fixed_unit.paragraph == 1
    assert fixed_unit.categories == ("行政处罚",)
    assert [(span.text, span.start, span.end) for span in fixed_unit.subjects] == [("住房和城乡建设主管部门", 17, 28)]
    assert [(penalty.kind, penalty.min, penalty.max) for penalty in fixed_unit.penalties] == [("fine", 50000, 300000)]

    # a re-push after a re-run with another model: updates unannotated tasks, never the reviewed ones, no duplicates
    assert main(["review", "push", str(FIRE), "--model", "rules", "--project", title]) == 0
    repushed = capsys.readouterr().err
    after = tasks_by_citation(reviewer_env, project)
    units = [task.data["unit"] for task in client(reviewer_env).tasks.list(project=project, fields="all")]
    assert "3 already annotated and left alone" in repushed
    assert len(units) == len(set(units)) == len(after) and set(after) >= set(tasks)
    assert after[corrected.data["citation"]].data == corrected.data
    assert after[corrected.data["citation"]].predictions[0].model_version == "linear"
    assert main(["review", "export", str(FIRE), "--model", "rules", "-o", str(tmp_path / "rules.json")]) == 0
    rerun = {task["data"]["citation"] for task in json.loads((tmp_path / "rules.json").read_text(encoding="utf-8"))}
    unreviewed = (set(tasks) & rerun) - {task.data["citation"] for task in (accepted, corrected, partly_rejected)}
    assert unreviewed
    assert all([p.model_version for p in after[citation].predictions] == ["rules"] for citation in unreviewed)
    scores = {after[citation].id: after[citation].predictions[0].score for citation in unreviewed}
    assert scores[next_for_reviewer(reviewer_env, project)] == min(scores.values())
    assert "tasks created" in repushed and " updated" in repushed
    no_token_in(reviewer_env, pushed, pulled, repushed, *(path.read_text(encoding="utf-8", errors="replace")
                                                          for path in [*listing.iterdir(), gold_file]))

    # the offline path: the export file pulled above reads into the same list
    offline = tmp_path / "offline"
    assert main(["review", "import", str(listing / "label-studio-export.json"), "-o", str(offline),
                 "--gold", str(tmp_path / "offline-gold")]) == 0
    assert read_entries(offline / "entries.jsonl") == read_entries(listing / "entries.jsonl")


def test_the_interface_takes_gold_tasks_too(reviewer_env: Server) -> None:
    """The shipped gold export imports into a project with the same interface: one loader for gold and review."""
    project = client(reviewer_env).projects.create(title="gold check", label_config=LABEL_CONFIG.read_text("utf-8"))
    gold = json.loads((REPO / "annotations" / "label-studio" / "gold.json").read_text(encoding="utf-8"))[:50]
    client(reviewer_env).projects.import_tasks(project.id, request=gold)
    imported = list(client(reviewer_env).tasks.list(project=project.id, fields="all"))
    assert len(imported) == 50 and all(task.total_annotations == 1 for task in imported)


def test_a_reviewed_entry_whose_basis_changed_is_kept_and_flagged(reviewer_env: Server, tmp_path: Path) -> None:
    title = "消防法 amended"
    assert main(["review", "push", str(FIRE), "--model", "rules", "--project", title]) == 0
    task = tasks_by_citation(reviewer_env, project_named(reviewer_env, title))[f"{FIRE_TITLE}第五十八条第三款"]
    submit(reviewer_env, task)
    listing = tmp_path / "list"
    assert main(["propose", str(FIRE), "--model", "rules", "-o", str(listing)]) == 0
    amended = [
        json.dumps({**record, "quote": record["quote"] + "（已修改）"}, ensure_ascii=False)
        if record["citation"] == task.data["citation"] else json.dumps(record, ensure_ascii=False)
        for record in map(json.loads, (listing / "entries.jsonl").read_text(encoding="utf-8").splitlines())
    ]
    (listing / "entries.jsonl").write_text("\n".join(amended) + "\n", encoding="utf-8")

    assert main(["review", "pull", "--project", title, "-o", str(listing), "--gold", str(tmp_path / "g")]) == 0
    kept = [entry for entry in read_entries(listing / "entries.jsonl") if entry.citation == task.data["citation"]]
    assert len(kept) == len(task.data["proposed"])
    assert all(entry.status == "accepted" and any(BASIS_CHANGED in warning for warning in entry.warnings)
               for entry in kept)

    # and a re-run of the pipeline into the same folder keeps the decision
    assert main(["propose", str(FIRE), "--model", "rules", "-o", str(listing)]) == 0
    again = [entry for entry in read_entries(listing / "entries.jsonl") if entry.citation == task.data["citation"]]
    assert [entry.status for entry in again] == ["accepted"] * len(kept)


def test_a_push_cut_off_by_the_server_fails_clearly_and_the_next_push_completes(
    label_studio: Server, tmp_path: Path
) -> None:
    statutes, title = str(SAMPLE / "行政法"), "server stops"
    env = {**os.environ, "LABEL_STUDIO_URL": label_studio.url, "LABEL_STUDIO_API_KEY": label_studio.token}
    command = [sys.executable, "-m", "pipeline.cli", "review", "push", statutes, "--model", "rules",
               "--project", title, "--batch-size", "10"]
    pushing = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    project = None
    while pushing.poll() is None:
        try:
            project = project if project is not None else project_named(label_studio, title)
            if next(iter(client(label_studio).tasks.list(project=project, fields="task_only")), None):
                break
        except StopIteration:
            pass
        time.sleep(0.2)
    label_studio.stop(kill=True)
    _, failed = pushing.communicate(timeout=300)
    label_studio.start()

    assert pushing.returncode == 1, failed
    assert "the server did not answer" in failed and "run the same push again" in failed
    assert "Traceback" not in failed and label_studio.token not in failed
    before = len(list(client(label_studio).tasks.list(project=project, fields="task_only")))

    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    units = [task.data["unit"] for task in client(label_studio).tasks.list(project=project, fields="all")]
    assert 0 < before < len(units) and len(units) == len(set(units))
    assert f"{len(units) - before} tasks created" in done.stderr


def test_offline_export_carries_the_unit_and_bad_export_files_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks_file = tmp_path / "tasks.json"
    assert main(["review", "export", str(FIRE), "--model", "rules", "-o", str(tasks_file)]) == 0
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    assert all({"source", "citation", "article", "paragraph", "text"} <= set(task["data"]) for task in tasks)
    assert tasks[0]["data"]["source"] == "消防法(2021-04-29).md"

    assert main(["review", "import", str(tasks_file), "-o", str(tmp_path / "list")]) == 1
    assert f"no reviewed task in {tasks_file}" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text('[{"data": {"text": "x"}, "annotations": [{"result": "not a list"}]}]', encoding="utf-8")
    assert main(["review", "import", str(broken), "-o", str(tmp_path / "list")]) == 2
    assert f"{broken}: error: task #1: result is not of type list" in capsys.readouterr().err
    assert not (tmp_path / "list").exists()


def test_without_a_token_push_says_where_to_put_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    assert main(["review", "push", str(FIRE), "--model", "rules", "--url", "http://127.0.0.1:9"]) == 2
    assert "set LABEL_STUDIO_API_KEY" in capsys.readouterr().err


def test_reviews_that_do_not_pair_up_with_the_proposal_are_kept_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An office without a server: the export file comes back from Label Studio's export dialog. A reviewer who
    writes one name for two entries, adds a range to a 款 with several penalty entries, or takes a category away."""
    tasks_file = tmp_path / "tasks.json"
    assert main(["review", "export", str(FIRE), "--model", "rules", "-o", str(tasks_file)]) == 0
    tasks = {task["data"]["citation"]: task for task in json.loads(tasks_file.read_text(encoding="utf-8"))}
    items = tasks[f"{FIRE_TITLE}第五十八条第一款"]  # eight penalty entries, one per 项 and body, one range
    result = items["predictions"][0]["result"]
    for item in result:
        if item["from_name"] == "entry_name":
            item["value"]["text"] = ["责令停止施工"]
    region = {"start": 0, "end": 2, "text": items["data"]["text"][:2], "labels": ["罚款"]}
    result += [{"id": "added", "from_name": "spans", "to_name": "text", "type": "labels", "value": region},
               {"id": "added", "from_name": "max", "to_name": "text", "type": "number",
                "value": {"start": 0, "end": 2, "number": 1000}}]
    single = tasks[f"{FIRE_TITLE}第五十八条第三款"]
    single_result = [item for item in single["predictions"][0]["result"] if item["from_name"] != "categories"]
    export = [
        {"id": 1, "data": items["data"], "annotations": [{"result": result}]},
        {"id": 2, "data": single["data"], "annotations": [{"result": single_result}]},
    ]
    (tmp_path / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")

    listing = tmp_path / "list"
    assert main(["review", "import", str(tmp_path / "export.json"), "-o", str(listing),
                 "--gold", str(tmp_path / "gold")]) == 0
    entries = read_entries(listing / "entries.jsonl")
    by_item = [entry for entry in entries if entry.item is not None]
    assert len(by_item) == 8 and all(entry.status == "accepted" for entry in by_item)
    for entry in by_item:
        assert entry.name != "责令停止施工" and entry.penalties[0].min == 30000
        assert any(warning.startswith("审核人填写的事项名称行数与事项数不符") and "责令停止施工" in warning
                   for warning in entry.warnings)
        assert any(warning.startswith("审核人增删了处罚幅度") and "1000元以下" in warning for warning in entry.warnings)
    taken = [entry for entry in entries if entry.citation == single["data"]["citation"]]
    assert taken and all(entry.status == "rejected" and entry.changes[0].startswith("职权类型：审核人取消了")
                         for entry in taken)
    assert "0 corrected" in capsys.readouterr().err


WILDLIFE = "《中华人民共和国野生动物保护法》"


def test_an_amendment_s_adjustments_are_reviewed_and_taken_into_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The office that keeps the 2018 野生动物保护法's list reviews what the 2022 revision changes in it: each
    adjustment is a choice to adopt or not, on the new version's 款 (the old one's for a 取消)."""
    old, new = (str(statute(f"经济法/野生动物保护法({date}).md")) for date in ("2018-10-26", "2022-12-30"))
    listing, tasks_file = tmp_path / "list", tmp_path / "tasks.json"
    assert main(["propose", old, "--model", "rules", "-o", str(listing)]) == 0
    listed = {entry.id: entry for entry in read_entries(listing / "entries.jsonl")}
    assert main(["review", "export", "--amend", old, new, "--model", "rules", "-o", str(tasks_file)]) == 0
    tasks = {(task["data"]["source"][:-15], task["data"]["citation"].removeprefix(WILDLIFE)): task
             for task in json.loads(tasks_file.read_text(encoding="utf-8"))}
    assert main(["review", "export", new, "--model", "rules", "-o", str(tmp_path / "plain.json")]) == 0
    plain = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    assert not {task["data"]["unit"] for task in plain} & {task["data"]["unit"] for task in tasks.values()}

    cancel = tasks[("野生动物保护法", "第十六条第一款")]  # 2022 no longer has the plan 报同级人民政府批准或者备案
    assert cancel["data"]["source"] == "野生动物保护法(2018-10-26).md"
    assert cancel["data"]["text"].endswith("并按照规定制定野生动物疫情应急预案，报同级人民政府批准或者备案。")
    assert [item["action"] for item in cancel["data"]["adjustments"]] == ["取消"]
    moved = tasks[("野生动物保护法", "第四十七条")]  # 2018 第四十四条, the same penalty with new amounts
    assert moved["data"]["source"] == "野生动物保护法(2022-12-30).md"
    label = moved["data"]["entries"][0]["html"]
    assert label.startswith("变更（依据条文序号变更：第四十四条→第四十七条；处罚幅度变更）")
    assert f"原依据：{WILDLIFE}第四十四条：" in label
    rebodied = tasks[("野生动物保护法", "第三十五条第二款")]  # a new body (市场监督管理、海关): the entry's id changes
    added = tasks[("野生动物保护法", "第六十二条")]  # a 新增 the reviewer finds wrong
    reworded = tasks[("野生动物保护法", "第九条")]  # a 变更 the reviewer does not adopt

    def reviewed(task: dict[str, Any], adopt: bool) -> dict[str, Any]:
        result = json.loads(json.dumps(task["predictions"][0]["result"]))
        for item in result:
            if item["from_name"] == "entries" and not adopt:
                item["value"]["choices"] = []
        return {"id": len(task["data"]["text"]), "data": task["data"], "annotations": [{"result": result}]}

    export = [reviewed(cancel, True), reviewed(moved, True), reviewed(rebodied, True), reviewed(added, False),
              reviewed(reworded, False)]
    (tmp_path / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    gold = tmp_path / "gold"
    assert main(["review", "import", str(tmp_path / "export.json"), "-o", str(listing), "--gold", str(gold)]) == 0
    pulled = capsys.readouterr().err
    assert "(2 accepted, 0 corrected, 2 rejected, 2 cancelled)" in pulled
    entries = {entry.id: entry for entry in read_entries(listing / "entries.jsonl")}

    [cancelled] = [entries[entry["id"]] for entry in cancel["data"]["proposed"]]
    assert cancelled.status == "cancelled" and cancelled.changes == ("采纳修订调整：取消",)
    assert cancelled.citation == f"{WILDLIFE}第十六条第一款" and cancelled.quote == listed[cancelled.id].quote
    [renumbered] = [entries[entry["id"]] for entry in moved["data"]["proposed"]]
    assert renumbered.id in listed and renumbered.citation == f"{WILDLIFE}第四十七条"
    assert renumbered.status == "accepted" and not any(BASIS_CHANGED in warning for warning in renumbered.warnings)
    assert renumbered.changes[0].startswith("采纳修订调整：变更（依据条文序号变更：第四十四条→第四十七条")
    [change] = rebodied["data"]["adjustments"]
    [successor] = [entries[entry["id"]] for entry in rebodied["data"]["proposed"]]
    assert successor.status == "accepted" and successor.id not in listed
    assert entries[change["old"]["id"]].status == "cancelled"
    assert entries[change["old"]["id"]].changes == (f"采纳修订调整：变更，由编号{successor.id}的事项替代",)
    assert all(entries[entry["id"]].status == "rejected" for entry in added["data"]["proposed"])
    [not_adopted] = reworded["data"]["adjustments"]
    assert entries[not_adopted["old"]["id"]] == listed[not_adopted["old"]["id"]]  # left as it was
    assert entries[reworded["data"]["proposed"][0]["id"]].status == "rejected"
    assert set(listed) <= set(entries)  # nothing of the list is lost
    assert "已取消" in (listing / "entries.csv").read_text(encoding="utf-8-sig")
    assert sorted(path.name for path in gold.iterdir()) == ["野生动物保护法(2018-10-26).jsonl",
                                                             "野生动物保护法(2022-12-30).jsonl"]

    # the list moves on to the 2022 version: every decision is kept, a cancelled entry is not flagged as missing
    assert main(["propose", new, "--model", "rules", "-o", str(listing)]) == 0
    again = {entry.id: entry for entry in read_entries(listing / "entries.jsonl")}
    assert again[cancelled.id].status == "cancelled" and again[cancelled.id].warnings == cancelled.warnings
    assert again[renumbered.id].status == "accepted" and again[successor.id].status == "accepted"

    assert main(["review", "export", "--model", "rules", "-o", str(tasks_file)]) == 2
    assert "give statutes (PATH...), --amend OLD NEW, or both" in capsys.readouterr().err


def test_an_amendment_s_adjustments_go_to_the_server_beside_the_new_version_s_tasks(
    reviewer_env: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = (str(statute(f"经济法/野生动物保护法({date}).md")) for date in ("2018-10-26", "2022-12-30"))
    title = "野生动物保护法 2022"
    assert main(["review", "push", new, "--amend", old, new, "--model", "rules", "--project", title]) == 0
    pushed = capsys.readouterr().err
    project = project_named(reviewer_env, title)
    tasks = list(client(reviewer_env).tasks.list(project=project, fields="all"))
    amending = [task for task in tasks if "adjustments" in task.data]
    assert f"{len(tasks)} tasks created" in pushed and 0 < len(amending) < len(tasks)
    [cancel] = [task for task in amending if task.data["source"] == "野生动物保护法(2018-10-26).md"
                and task.data["citation"] == f"{WILDLIFE}第十六条第一款"]
    submit(reviewer_env, cancel)

    assert main(["review", "push", new, "--amend", old, new, "--model", "rules", "--project", title]) == 0
    assert f"0 tasks created, 0 updated, {len(tasks) - 1} unchanged, 1 already annotated" in capsys.readouterr().err
    listing = tmp_path / "list"
    assert main(["propose", old, "--model", "rules", "-o", str(listing)]) == 0
    assert main(["review", "pull", "--project", title, "-o", str(listing), "--gold", str(tmp_path / "gold")]) == 0
    [cancelled] = [entry for entry in read_entries(listing / "entries.jsonl") if entry.status != "proposed"]
    assert cancelled.status == "cancelled" and cancelled.citation == f"{WILDLIFE}第十六条第一款"


def test_a_power_cancelled_at_its_old_article_and_added_at_a_new_one_stays_listed(tmp_path: Path) -> None:
    """反间谍法 2014 → 2023: the penalty for 泄露有关反间谍工作的国家秘密 left 第三十一条 for 第六十条第一项, too
    rewritten for the alignment to link them, so it is offered as a 取消 and a 新增 of one entry (one id). A reviewer
    who adopts both keeps the power, at its new basis, whichever way the two decisions come back."""
    old, new = (str(statute(f"行政法/反间谍法({date}).md")) for date in ("2014-11-01", "2023-04-26"))
    listing, tasks_file = tmp_path / "list", tmp_path / "tasks.json"
    assert main(["propose", old, "--model", "rules", "-o", str(listing)]) == 0
    assert main(["review", "export", "--amend", old, new, "--model", "rules", "-o", str(tasks_file)]) == 0
    leaked = "对泄露有关反间谍工作的国家秘密的处罚"
    tasks = [task for task in json.loads(tasks_file.read_text(encoding="utf-8"))
             if any(entry["name"] == leaked for entry in task["data"]["proposed"])]
    [action] = {entry["id"] for task in tasks for entry in task["data"]["proposed"] if entry["name"] == leaked}
    cancel = next(task for task in tasks if task["data"]["adjustments"][0]["action"] == "取消")

    def export(*chosen: dict[str, Any]) -> str:
        path = tmp_path / f"export-{len(chosen)}.json"
        path.write_text(json.dumps([{"id": number, "data": task["data"], "annotations": [
            {"result": task["predictions"][0]["result"]}]} for number, task in enumerate(chosen)], ensure_ascii=False),
            encoding="utf-8")
        return str(path)

    for pulled in (export(*tasks), export(cancel)):  # both adopted at once, then the cancellation alone again
        assert main(["review", "import", pulled, "-o", str(listing), "--gold", str(tmp_path / "gold")]) == 0
        [kept] = [entry for entry in read_entries(listing / "entries.jsonl") if entry.id == action]
        assert kept.status == "accepted" and kept.citation == "《中华人民共和国反间谍法》第六十条第一项"


def test_a_review_pulled_after_a_rerun_renamed_its_entries_takes_their_place(tmp_path: Path) -> None:
    """Tasks pushed, then the list re-proposed with better names (new ids): the decisions come back onto the renamed
    entries of the same 款, category and body, not beside them."""
    listing, tasks_file = tmp_path / "list", tmp_path / "tasks.json"
    assert main(["propose", str(FIRE), "--model", "rules", "-o", str(listing)]) == 0
    assert main(["review", "export", str(FIRE), "--model", "rules", "-o", str(tasks_file)]) == 0
    task = next(task for task in json.loads(tasks_file.read_text(encoding="utf-8"))
                if task["data"]["citation"] == f"{FIRE_TITLE}第五十八条第一款")
    records = [json.loads(line) for line in (listing / "entries.jsonl").read_text(encoding="utf-8").splitlines()]
    renamed = {entry["id"] for entry in task["data"]["proposed"]}
    for record in records:
        if record["id"] in renamed:
            record |= {"id": record["id"][::-1], "name": record["name"] + "（新名称）"}
    (listing / "entries.jsonl").write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
                                           encoding="utf-8")
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"id": 1, "data": task["data"], "annotations": [
        {"result": task["predictions"][0]["result"]}]}], ensure_ascii=False), encoding="utf-8")

    assert main(["review", "import", str(export), "-o", str(listing), "--gold", str(tmp_path / "gold")]) == 0
    merged = read_entries(listing / "entries.jsonl")
    assert [entry.citation for entry in merged] == [record["citation"] for record in records]
    decided = [entry for entry in merged if entry.status != "proposed"]
    assert len(decided) == len(renamed) > 0
    assert {entry.id for entry in decided} == renamed and all(entry.status == "accepted" for entry in decided)
