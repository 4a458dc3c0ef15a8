"""Human review on a Label Studio server: push the proposed 款 as tasks, pull back what reviewers submitted.

A push never duplicates a task and never touches one a reviewer has annotated: tasks are keyed by their 款's
stable `unit` key, so pushing again after a re-run (or after a push that failed half-way) creates only the missing
tasks and replaces the data and prediction of unannotated tasks whose digest changed. Tasks are imported in
batches, least certain first, and the project samples by uncertainty, so reviewers see the least certain first.

The server's URL comes from `--url` or LABEL_STUDIO_URL; the token only from LABEL_STUDIO_API_KEY, and no
message of this module quotes it (nor the response headers, which carry a session cookie).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.write import atomic_open

if TYPE_CHECKING:  # label-studio-sdk takes seconds to import: only when a command talks to a server
    from label_studio_sdk import LabelStudio

URL_ENV, TOKEN_ENV = "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"
LABEL_CONFIG = Path(__file__).resolve().parents[1] / "annotations" / "labeling-config.xml"
DEFAULT_PROJECT = "权力清单审核"
BATCH = 100


class ReviewError(Exception):
    """The server could not be reached or refused a request; the message says which, never with the token."""


@dataclass(frozen=True)
class PushResult:
    """What one push did: tasks created, unannotated tasks updated or left as they were, annotated ones kept."""

    project: int
    created: int
    updated: int
    unchanged: int
    annotated: int


def connect(url: str | None) -> LabelStudio:
    """A client for the server at `url` (or LABEL_STUDIO_URL) with the token from LABEL_STUDIO_API_KEY."""
    url = url or os.environ.get(URL_ENV)
    token = os.environ.get(TOKEN_ENV)
    if not url:
        raise ReviewError(f"no server: pass --url or set {URL_ENV}")
    if not token:
        raise ReviewError(f"no token: set {TOKEN_ENV} to the API token of a Label Studio user (Account & Settings)")
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=url.rstrip("/"), api_key=token, timeout=120)


def project_id(client: LabelStudio, title: str, create: bool = True, label_config: Path = LABEL_CONFIG) -> int:
    """The project called `title`, its labelling config brought up to date; made when there is none and `create`.

    A project made here serves each reviewer the unannotated task whose prediction is least certain (Label Studio's
    uncertainty sampling, by the model `push` names), so that order holds after a re-push adds tasks at the end.
    """
    config = label_config.read_text(encoding="utf-8").strip()  # as the server stores it

    def find() -> int:
        for project in client.projects.list(title=title):
            if project.title == title:
                if project.label_config != config:
                    client.projects.update(project.id, label_config=config)
                return int(project.id)
        if not create:
            raise ReviewError(f"no project called {title!r} on the server")
        return int(client.projects.create(title=title, label_config=config, sampling="Uncertainty sampling").id)

    return _call("find or create the project", find)


def push(client: LabelStudio, project: int, tasks: Sequence[dict[str, Any]], batch: int = BATCH,
         progress: Callable[[int], None] = lambda count: None) -> PushResult:
    """Create the tasks the project lacks (in `tasks`' order), update unannotated ones that changed, keep the rest.

    `progress` is told how many tasks have been created so far, batch by batch.
    """
    existing = _call("list the project's tasks", lambda: _existing(client, project))
    missing, updated, unchanged, annotated = [], 0, 0, 0
    for task in tasks:
        found = existing.get(task["data"]["unit"])
        if found is None:
            missing.append(task)
        elif found["annotations"]:
            annotated += 1
        elif found["digest"] == task["data"]["digest"]:
            unchanged += 1
        else:
            _call(f"update task {found['id']}", lambda found=found, task=task: _replace(client, found, task))
            updated += 1
    created = 0
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        what = f"import tasks {created + 1}–{created + len(chunk)} of {len(missing)} new"
        _call(what, lambda chunk=chunk: client.projects.import_tasks(project, request=chunk))
        created += len(chunk)
        progress(created)
    if created + updated + unchanged:  # the server accepts only a model version that has predictions
        model_version = tasks[0]["predictions"][0].get("model_version")
        _call("sample by the model's certainty", lambda: client.projects.update(project, model_version=model_version))
    return PushResult(project, created, updated, unchanged, annotated)


def pull(client: LabelStudio, project: int, path: Path) -> int:
    """Write the project's annotated tasks as a Label Studio JSON export to `path`; returns how many."""

    def download() -> list[Any]:
        chunks = client.projects.exports.download_sync(project, export_type="JSON", download_all_tasks=False)
        return json.loads(b"".join(chunks))

    tasks = _call("export the annotations", download)
    with atomic_open(path) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
    return len(tasks)


def _existing(client: LabelStudio, project: int) -> dict[str, dict[str, Any]]:
    """The project's tasks by unit key: id, digest, and whether anyone annotated (or skipped) it."""
    found = {}
    fields = "id,data,total_annotations,cancelled_annotations"
    for task in client.tasks.list(project=project, fields="task_only", include=fields, page_size=1000):
        data = task.data or {}
        if "unit" in data:
            done = (task.total_annotations or 0) + (task.cancelled_annotations or 0)
            found[data["unit"]] = {"id": task.id, "digest": data.get("digest"), "annotations": done}
    return found


def _replace(client: LabelStudio, found: dict[str, Any], task: dict[str, Any]) -> None:
    """A re-run's data and prediction in place of an unannotated task's."""
    client.tasks.update(str(found["id"]), data=task["data"])
    for prediction in client.predictions.list(task=found["id"]):
        client.predictions.delete(prediction.id)
    for prediction in task["predictions"]:
        client.predictions.create(task=found["id"], result=prediction["result"], score=prediction.get("score"),
                                  model_version=prediction.get("model_version"))


def _call(what: str, request: Callable[[], Any]) -> Any:
    """Run one request; a refused or failed one as a ReviewError that names the step, never the token."""
    import httpx  # with the SDK: only when a command talks to a server
    from label_studio_sdk.core.api_error import ApiError

    try:
        return request()
    except ApiError as error:
        body = error.body if isinstance(error.body, dict) else {}
        detail = " ".join(str(body[key]) for key in ("detail", "validation_errors") if body.get(key))
        reason = f"HTTP {error.status_code}" + (f": {detail}" if detail else "")
        if error.status_code in (401, 403):
            reason += f" (is {TOKEN_ENV} the token of a user of this server?)"
        raise ReviewError(f"the server refused to {what}: {reason}") from None
    except httpx.HTTPError as error:
        raise ReviewError(f"the server did not answer when asked to {what} ({type(error).__name__})") from None
