"""Acting bodies (实施主体) as character spans, tagged B/I/O by the project's small BERT.

The rule finder (`pipeline.subjects.find_subjects`) lists every body name it can delimit; which mention exercises
the power depends on the sentence around it, which a token classifier reads. The encoder is the shipped category
model's (`models/transformer`), so a fresh clone retrains the tagger with no pretraining run. Its tokens are single
characters, so a label per token is a label per character; long units are tagged on overlapping windows and every
character is scored. `compare` scores the rules, the tagger and the two combined; the model card says which wins
(so far the rules: the tagger misses names it never saw and cuts long ones short).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
import transformers
from transformers import BertForTokenClassification, BertTokenizerFast

from pipeline.models import Annotation, Span
from pipeline.subjects import find_subjects
from pipeline.transformer import optimise, warmup_then_decay
from pipeline.write import atomic_open

transformers.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()

LABELS = ("O", "B", "I")
OUTSIDE, BEGIN, INSIDE = range(len(LABELS))
IGNORED = -100  # the label of [CLS], [SEP] and padding: no loss
VETO = 0.9  # P(O) over a whole rule span that drops it; chosen on held-out train statutes (0.5 lost recall)


def character_labels(text: str, spans: Sequence[Span]) -> list[int]:
    """One B/I/O label per character of `text` from subject spans (gold offsets or the rules')."""
    labels = [OUTSIDE] * len(text)
    for span in spans:
        labels[span.start] = BEGIN
        labels[span.start + 1 : span.end] = [INSIDE] * (span.end - span.start - 1)
    return labels


@dataclass(frozen=True)
class Windows:
    """Every window of a batch of texts: token ids, character offsets and the text each window came from."""

    ids: list[list[int]]
    offsets: list[list[tuple[int, int]]]
    owners: list[int]

    def batch(self, tokenizer: BertTokenizerFast, rows: Sequence[int]) -> dict[str, torch.Tensor]:
        return tokenizer.pad({"input_ids": [self.ids[i] for i in rows]}, return_tensors="pt")


def windows(tokenizer: BertTokenizerFast, texts: Sequence[str], max_length: int, stride: int) -> Windows:
    """Overlapping windows of `max_length` tokens, `stride` of them shared by neighbours: no character is dropped."""
    encoded = tokenizer(
        list(texts),
        truncation=True,
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    return Windows(encoded["input_ids"], encoded["offset_mapping"], encoded["overflow_to_sample_mapping"])


def decode(text: str, probabilities: torch.Tensor) -> tuple[Span, ...]:
    """Spans from per-character B/I/O probabilities, read along the likeliest label path on which every I follows
    a B or an I (Viterbi): an unsure character then neither opens a name with an I nor ends it early.

    A body is listed once (the guidelines: where it acts), so of several spans with one name the most confident
    is kept.
    """
    best: dict[str, tuple[float, int, int]] = {}
    start: int | None = None
    for position, label in enumerate([*_best_path(probabilities), OUTSIDE]):
        if start is not None and label != INSIDE:
            name, confidence = text[start:position], support(probabilities, start, position)
            if name.strip() and (name not in best or confidence > best[name][0]):
                best[name] = (confidence, start, position)
            start = None
        if label == BEGIN:
            start = position
    return tuple(Span(name, begin, end) for name, (_, begin, end) in sorted(best.items(), key=lambda i: i[1][1]))


def _best_path(probabilities: torch.Tensor) -> list[int]:
    """The likeliest B/I/O sequence with no I at the start or after an O."""
    scores = probabilities.clamp(min=1e-9).log().tolist()
    if not scores:
        return []
    best = [scores[0][OUTSIDE], scores[0][BEGIN], -math.inf]
    back: list[tuple[int, int, int]] = []
    for row in scores[1:]:
        before_open = max(range(len(LABELS)), key=best.__getitem__)  # O or B may follow any label
        before_inside = BEGIN if best[BEGIN] >= best[INSIDE] else INSIDE
        back.append((before_open, before_open, before_inside))
        best = [best[before_open] + row[OUTSIDE], best[before_open] + row[BEGIN], best[before_inside] + row[INSIDE]]
    label = max(range(len(LABELS)), key=best.__getitem__)
    path = [label]
    for pointers in reversed(back):
        label = pointers[label]
        path.append(label)
    return path[::-1]


def support(probabilities: torch.Tensor, start: int, end: int) -> float:
    """How strongly the tagger puts the characters start..end inside a subject: the mean of 1 - P(O)."""
    return float(1 - probabilities[start:end, OUTSIDE].mean())


def confirmed(text: str, probabilities: torch.Tensor) -> tuple[Span, ...]:
    """The rule finder's spans, less those that the tagger is sure name no acting body (every character outside a
    subject at `VETO` or more): the rules' edges are exact where the tagger's are not, and the tagger overrules
    them only where it is confident.
    """
    return tuple(span for span in find_subjects(text) if probabilities[span.start : span.end, OUTSIDE].min() < VETO)


class SubjectTagger:
    """The trained tagger, loaded from a directory written by `fit` (weights, tokenizer, config)."""

    def __init__(self, directory: Path, batch_size: int = 64) -> None:
        self.tokenizer = BertTokenizerFast.from_pretrained(directory)
        self.model = BertForTokenClassification.from_pretrained(directory, dtype=torch.float32).eval()
        self.batch_size = batch_size
        self.max_length = self.model.config.max_position_embeddings
        self.stride = self.model.config.window_stride

    @torch.inference_mode()
    def probabilities(self, texts: Sequence[str]) -> list[torch.Tensor]:
        """P(O), P(B), P(I) for every character of every text, averaged over the windows that hold it.

        Characters that are no token (line breaks, spaces) are outside any subject.
        """
        totals = [torch.zeros(len(text), len(LABELS)) for text in texts]
        counts = [torch.zeros(len(text), 1) for text in texts]
        cut = windows(self.tokenizer, texts, self.max_length, self.stride)
        for first in range(0, len(cut.ids), self.batch_size):
            rows = range(first, min(first + self.batch_size, len(cut.ids)))
            scores = torch.softmax(self.model(**cut.batch(self.tokenizer, rows)).logits, dim=-1)
            for row, window in enumerate(rows):
                owner = cut.owners[window]
                for token, (start, end) in enumerate(cut.offsets[window]):
                    if end > start:
                        totals[owner][start:end] += scores[row, token]
                        counts[owner][start:end] += 1
        result = []
        for total, count in zip(totals, counts, strict=True):
            total[count[:, 0] == 0, OUTSIDE] = 1.0
            result.append(total / count.clamp(min=1))
        return result

    def spans(self, texts: Sequence[str]) -> list[tuple[Span, ...]]:
        """The subject spans of each text, as the tagger alone reads them."""
        return [decode(text, scores) for text, scores in zip(texts, self.probabilities(texts), strict=True)]

    def combined(self, texts: Sequence[str]) -> list[tuple[Span, ...]]:
        """The subject spans of each text: the rule finder's, kept where the tagger confirms them."""
        return [confirmed(text, scores) for text, scores in zip(texts, self.probabilities(texts), strict=True)]


def fit(
    encoder: Path,
    units: Sequence[tuple[str, Sequence[Span], float]],
    settings: dict[str, Any],
    training: dict[str, Any],
    directory: Path,
    seed: int,
) -> dict[str, Any]:
    """Fine-tune `encoder` (any saved BERT of ours) to tag (text, spans, weight) units; writes a SubjectTagger.

    The top `fresh_layers` encoder layers start afresh: fine-tuned to classify whole 款, the shipped encoder's last
    layer makes every character look alike (mean cosine 0.99 between positions), and tagging needs them apart.
    Every window of a unit is a training example with the unit's weight, so gold can outweigh weak labels.
    """
    random.seed(seed)
    torch.manual_seed(seed)
    tokenizer = BertTokenizerFast.from_pretrained(encoder)
    model = BertForTokenClassification.from_pretrained(
        encoder, num_labels=len(LABELS), ignore_mismatched_sizes=True, dtype=torch.float32
    )
    model.config.problem_type = None
    layers = model.bert.encoder.layer
    for layer in layers[len(layers) - training["fresh_layers"] :]:
        _reinitialise(layer)
    model.config.window_stride = settings["stride"]
    model.config.id2label = dict(enumerate(LABELS))
    model.config.label2id = {label: index for index, label in enumerate(LABELS)}
    texts = [text for text, _, _ in units]
    cut = windows(tokenizer, texts, settings["max_length"], settings["stride"])
    per_character = [character_labels(text, spans) for text, spans, _ in units]
    labels = [
        [per_character[owner][start] if end > start else IGNORED for start, end in window]
        for window, owner in zip(cut.offsets, cut.owners, strict=True)
    ]
    weights = [units[owner][2] for owner in cut.owners]
    order = list(range(len(cut.ids)))
    steps = training["epochs"] * math.ceil(len(order) / training["batch_size"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=training["learning_rate"], weight_decay=0.01)
    schedule = warmup_then_decay(optimizer, max(1, steps // 10), steps)
    loss_of = torch.nn.CrossEntropyLoss(reduction="none", ignore_index=IGNORED)
    model.train()
    started, step = time.perf_counter(), 0
    for epoch in range(training["epochs"]):
        random.shuffle(order)
        for first in range(0, len(order), training["batch_size"]):
            chosen = order[first : first + training["batch_size"]]
            batch = cut.batch(tokenizer, chosen)
            width = batch["input_ids"].shape[1]
            target = torch.tensor([labels[i] + [IGNORED] * (width - len(labels[i])) for i in chosen])
            logits = model(**batch).logits
            loss = loss_of(logits.transpose(1, 2), target)  # (windows, tokens); ignored tokens give 0
            weight = torch.tensor([weights[i] for i in chosen])
            loss = (loss.sum(dim=1) * weight).sum() / ((target != IGNORED).sum(dim=1) * weight).sum()
            optimise(loss, model, optimizer, schedule)
            step += 1
            if step % 50 == 0:
                print(f"tagger epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f}", flush=True)
    directory.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(directory)  # half precision: half the size, the same tags
    tokenizer.save_pretrained(directory)
    return {
        "units": len(units),
        "windows": len(cut.ids),
        "steps": steps,
        "seconds": round(time.perf_counter() - started),
    }


def _reinitialise(module: torch.nn.Module) -> None:
    """BERT's own initialisation: normal(0, 0.02) weights, zero biases, unit LayerNorm."""
    for part in module.modules():
        if isinstance(part, torch.nn.Linear):
            torch.nn.init.normal_(part.weight, std=0.02)
            torch.nn.init.zeros_(part.bias)
        elif isinstance(part, torch.nn.LayerNorm):
            torch.nn.init.ones_(part.weight)
            torch.nn.init.zeros_(part.bias)


SYSTEMS = ("rules", "tagger", "combined")


def compare(tagger: SubjectTagger, units: Sequence[Annotation]) -> dict[str, dict[str, float | None]]:
    """Subject overlap and exact scores of the rules, the tagger and the two combined, against gold `units`.

    Gold categories gate, as in the pipeline, which reads subjects of power-bearing units only: a unit with no
    gold category is predicted with no subject.
    """
    from pipeline.evaluate import evaluate  # matplotlib: only when scoring

    gated = [unit for unit in units if unit.categories]
    texts = [unit.text for unit in gated]
    probabilities = tagger.probabilities(texts)
    found = {
        "rules": [find_subjects(text) for text in texts],
        "tagger": [decode(text, scores) for text, scores in zip(texts, probabilities, strict=True)],
        "combined": [confirmed(text, scores) for text, scores in zip(texts, probabilities, strict=True)],
    }
    result = {}
    for system, spans in found.items():
        by_unit = {unit.key: unit_spans for unit, unit_spans in zip(gated, spans, strict=True)}
        evaluation = evaluate(units, [replace(unit, subjects=by_unit.get(unit.key, ())) for unit in units])
        overlap, exact = evaluation.subject_overlap, evaluation.subject_exact
        result[system] = {
            "overlap_precision": overlap.precision,
            "overlap_recall": overlap.recall,
            "overlap_f1": overlap.f1,
            "exact_precision": exact.precision,
            "exact_recall": exact.recall,
            "exact_f1": exact.f1,
        }
    return result


def weak_units(config: dict[str, Any], excluded: set[str]) -> list[tuple[str, tuple[Span, ...], float]]:
    """Corpus units that the rule layer calls power-bearing (a category at 0.5 or more), spans by the rule finder."""
    from pipeline.dataset import corpus_units
    from pipeline.rules import rule_scores

    units = list(corpus_units(config["data"]["corpus"], excluded))
    random.Random(config["data"]["seed"]).shuffle(units)
    chosen: list[tuple[str, tuple[Span, ...], float]] = []
    for unit in units:
        if len(chosen) == config["tagger"]["weak_units"]:
            break
        if max(rule_scores(unit["text"]).values()) >= 0.5:
            chosen.append((unit["text"], find_subjects(unit["text"]), 1.0))
    return chosen


def train_tagger(config: dict[str, Any]) -> dict[str, Any]:
    """`powers train tagger`: fine-tune on the gold train units that carry a category and on weak labels, compare
    with the rules on every split, and write meta.json and the model card beside the model.

    Weak labels come from statutes outside every gold split: dev and test never enter training (every version),
    and a train statute's other versions would put the rules' spans against the gold on the same sentences.
    """
    from pipeline.classify import MODELS
    from pipeline.dataset import statute_name
    from pipeline.train import gold_splits, held_out_names

    training = config["tagger"]
    torch.set_num_threads(training["threads"])
    splits = gold_splits(config)
    gold = [(unit.text, unit.subjects, training["gold_weight"]) for unit in splits["train"] if unit.categories]
    held_out = held_out_names(splits)
    weak = weak_units(config, held_out | {statute_name(unit.file or "") for unit in splits["train"]})
    directory = config["data"]["models"] / "tagger"
    result = fit(
        MODELS / "transformer", gold + weak, config["transformer"], training, directory, config["data"]["seed"]
    )
    meta: dict[str, Any] = {
        "model": "tagger",
        "settings": {
            **training,
            "max_length": config["transformer"]["max_length"],
            "stride": config["transformer"]["stride"],
        },
        "fit": {**result, "gold_units": len(gold), "weak_units": len(weak)},
        "excluded_statutes": sorted(held_out),
        "train_statutes": sorted({unit.file or "" for unit in splits["train"]}),
    }
    return describe(directory, splits, meta)


def describe(directory: Path, splits: dict[str, list[Annotation]], meta: dict[str, Any]) -> dict[str, Any]:
    """Score the tagger in `directory` and the rules on every split, time it, and write meta.json and the card.

    The rule finder keeps changing, so a card can be rescored without retraining (`python -m pipeline.tagger`).
    """
    tagger = SubjectTagger(directory)
    meta = {key: value for key, value in meta.items() if key not in ("train", "dev", "test")}
    for part in ("train", "dev", "test"):
        meta[part] = {"units": sum(1 for unit in splits[part] if unit.categories), **compare(tagger, splits[part])}
    texts = [unit.text for part in ("dev", "test") for unit in splits[part] if unit.categories]
    started = time.perf_counter()
    tagger.spans(texts)
    meta["units_per_second"] = round(len(texts) / (time.perf_counter() - started), 1)
    meta["size_bytes"] = sum(
        path.stat().st_size for path in directory.iterdir() if path.name not in ("meta.json", "README.md")
    )
    with atomic_open(directory / "meta.json") as handle:
        json.dump(meta, handle, ensure_ascii=False, indent=2)
    with atomic_open(directory / "README.md") as handle:
        handle.write(model_card(meta))
    return meta


def model_card(meta: dict[str, Any]) -> str:
    """The model card: what the tagger is, what it learnt from, how to remake it, how it compares with the rules."""
    rows = "\n".join(
        f"| {part} | {meta[part]['units']} | {system} | {_number(scores['overlap_precision'])} "
        f"| {_number(scores['overlap_recall'])} | {_number(scores['overlap_f1'])} | {_number(scores['exact_f1'])} |"
        for part in ("train", "dev", "test")
        for system, scores in meta[part].items()
        if system in SYSTEMS
    )
    statutes = "\n".join(f"- {statute}" for statute in meta["train_statutes"])
    best = max(SYSTEMS, key=lambda system: meta["dev"][system]["overlap_f1"] or 0.0)
    excluded = "、".join(meta["excluded_statutes"])
    settings = json.dumps({"settings": meta["settings"], "fit": meta["fit"]}, ensure_ascii=False, indent=2)
    return f"""# Model card: tagger

A character-level B/I/O tagger for the acting bodies (实施主体) of a power-bearing 款, as spans of its text
(guidelines section 2). The encoder of the shipped category model (`models/transformer`, a small BERT pretrained
here) with its top {meta["settings"]["fresh_layers"]} layer(s) re-initialised and a token-classification head;
long units are tagged on overlapping windows of {meta["settings"]["max_length"]} characters (stride
{meta["settings"]["stride"]}), every character scored. `pipeline/tagger.py`.

Three ways to read subjects are scored below: `rules` (`pipeline.subjects.find_subjects`), `tagger`
(`SubjectTagger.spans`: the likeliest B/I/O path) and `combined` (`SubjectTagger.combined`: the rules' spans, less
those where the tagger gives every character P(O) ≥ {VETO}). Best on dev by overlap F1: **{best}**.

## Data
- Gold: the {meta["fit"]["gold_units"]} units with a category of the train split of `annotations/splits.toml`
  ({len(meta["train_statutes"])} statutes), weighted {meta["settings"]["gold_weight"]}.
- Weak: {meta["fit"]["weak_units"]} corpus units that the rule layer calls power-bearing, spans by the rule
  finder. Every version of every gold statute is left out ({excluded}, and the train statutes).

{statutes}

## Retrain
`powers train tagger` (settings in `models/config.toml`, table `[tagger]`); the scores below are rewritten by
the run. Rescore the shipped model against the current rules: `python -m pipeline.tagger`.

## Scores
Subject character-overlap and exact-span scores of `pipeline/evaluate.py`; units with a gold category get
spans, the others none (the gold categories gate, as the pipeline's classifier would).

| split | units | system | overlap P | overlap R | overlap F1 | exact F1 |
| --- | --- | --- | --- | --- | --- | --- |
{rows}

## Size and speed
{meta["size_bytes"] / 1e6:.1f} MB on disk (half-precision weights); {meta["units_per_second"]:.0f} units/s on this
machine (2 CPU cores, no GPU), tagging the dev and test units with a category in one call; trained in
{meta["fit"]["seconds"] / 60:.0f} minutes on it.

## Settings
```json
{settings}
```
"""


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def main() -> None:
    """Rescore the shipped tagger against the current rules on the gold splits; rewrite its meta.json and card."""
    from pipeline.classify import MODELS
    from pipeline.gold import load_annotations, load_splits, split

    torch.set_num_threads(2)
    directory = MODELS / "tagger"
    splits = split(load_annotations(MODELS.parent / "annotations" / "gold"), load_splits())
    meta = describe(directory, splits, json.loads((directory / "meta.json").read_text(encoding="utf-8")))
    print("split  system    overlap P  overlap R  overlap F1  exact F1")
    for part in ("train", "dev", "test"):
        for system in SYSTEMS:
            scores = meta[part][system]
            print(
                f"{part:<6} {system:<9} {_number(scores['overlap_precision']):>9}  "
                f"{_number(scores['overlap_recall']):>9}  {_number(scores['overlap_f1']):>10}  "
                f"{_number(scores['exact_f1']):>8}"
            )


if __name__ == "__main__":
    main()
