"""A small character-level BERT, pretrained here on the corpus by masked-language modelling.

No weights can be downloaded, so the encoder learns the statutes' language from our own corpus first
and is then fine-tuned to classify 款 (see `classify_transformer`). Characters are the tokens: Chinese
statutes need no word segmentation at this level, and a character vocabulary covers the corpus with
a few thousand entries.
"""

from __future__ import annotations

import json
import math
import random
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
import transformers
from transformers import (
    BertConfig,
    BertForMaskedLM,
    BertForSequenceClassification,
    BertTokenizerFast,
    DataCollatorForLanguageModeling,
)

from pipeline.models import CATEGORIES

if TYPE_CHECKING:
    from datasets import Dataset

transformers.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def training_device() -> torch.device:
    """A GPU when there is one (pretraining takes minutes there, hours on two cores), else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def mixed_precision(device: torch.device) -> torch.autocast:
    """bf16 arithmetic on a GPU, where it is several times faster; full precision on the CPU."""
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda")


def build_tokenizer(texts: Iterable[str], vocab_size: int, directory: Path) -> BertTokenizerFast:
    """A WordPiece tokenizer whose pieces are single characters: the most frequent ones of `texts`.

    Latin letters and digits also get their `##` continuation form, so that 2021 or GB2760 split into
    characters instead of becoming [UNK].
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(char for char in text.lower() if not char.isspace())
    continuations = [f"##{char}" for char in "0123456789abcdefghijklmnopqrstuvwxyz"]
    room = vocab_size - len(SPECIAL_TOKENS) - len(continuations)
    characters = [char for char, _ in counts.most_common(room)]
    directory.mkdir(parents=True, exist_ok=True)
    pieces = [*SPECIAL_TOKENS, *characters, *continuations]
    tokenizer = BertTokenizerFast(vocab={piece: index for index, piece in enumerate(pieces)}, do_lower_case=True)
    tokenizer.save_pretrained(directory)
    return tokenizer


def encoder_config(settings: dict[str, Any], tokenizer: BertTokenizerFast) -> BertConfig:
    return BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=settings["hidden_size"],
        num_hidden_layers=settings["num_hidden_layers"],
        num_attention_heads=settings["num_attention_heads"],
        intermediate_size=settings["intermediate_size"],
        max_position_embeddings=settings["max_length"],
        pad_token_id=tokenizer.pad_token_id,
    )


def blocks(texts: Iterable[str], tokenizer: BertTokenizerFast, length: int) -> Iterator[list[int]]:
    """The corpus as a stream of [CLS] … [SEP] blocks of `length` tokens, units separated by [SEP]."""
    body = length - 2
    buffer: list[int] = []
    texts = list(texts)
    for start in range(0, len(texts), 1000):  # the fast tokenizer is quickest on batches
        for ids in tokenizer(texts[start : start + 1000], add_special_tokens=False)["input_ids"]:
            buffer.extend(ids)
            buffer.append(tokenizer.sep_token_id)
            while len(buffer) >= body:
                yield [tokenizer.cls_token_id, *buffer[:body], tokenizer.sep_token_id]
                buffer = buffer[body:]


def pretrain(
    texts: list[str], settings: dict[str, Any], training: dict[str, Any], directory: Path, seed: int
) -> dict[str, float]:
    """Masked-language-model pretraining; writes the tokenizer and the encoder to `directory`.

    A checkpoint is written every `checkpoint_every` steps with the number of steps done, and a run
    that finds one continues from it (the learning-rate schedule resumes where it stopped), so a
    killed run or a longer schedule costs only the steps not yet taken.
    """
    torch.manual_seed(seed)
    progress = directory / "progress.json"
    done = json.loads(progress.read_text(encoding="utf-8"))["steps"] if progress.is_file() else 0
    if done:
        tokenizer = BertTokenizerFast.from_pretrained(directory)
        model = BertForMaskedLM.from_pretrained(directory, dtype=torch.float32)
    else:
        tokenizer = build_tokenizer(texts, settings["vocab_size"], directory)
        model = BertForMaskedLM(encoder_config(settings, tokenizer))
    device = training_device()
    model.to(device)
    examples = torch.tensor(list(blocks(texts, tokenizer, settings["max_length"])))
    collate = DataCollatorForLanguageModeling(tokenizer, mlm_probability=training["mask_probability"])
    generator = torch.Generator().manual_seed(seed + done)  # a resumed run draws new batches, not the first ones again
    optimizer = torch.optim.AdamW(model.parameters(), lr=training["learning_rate"], weight_decay=0.01)
    schedule = warmup_then_decay(optimizer, training["warmup"], training["steps"])
    with warnings.catch_warnings():  # stepping the schedule to where it stopped, before any optimiser step
        warnings.simplefilter("ignore", UserWarning)
        for _ in range(done):
            schedule.step()
    model.train()
    started, losses = time.perf_counter(), []
    for step in range(done + 1, training["steps"] + 1):
        # Blocks are all full, so a batch is rows of one tensor, masked in one vectorised call; padding lists of
        # lists each step cost more than the step on a GPU (4 × 256 encoder on an H100: 61 → 36 ms a step).
        batch = examples[torch.randint(len(examples), (training["batch_size"],), generator=generator)]
        inputs, labels = collate.torch_mask_tokens(batch, special_tokens_mask=batch < len(SPECIAL_TOKENS))
        with mixed_precision(device):
            loss = model(input_ids=inputs.to(device), labels=labels.to(device)).loss
        optimise(loss, model, optimizer, schedule)
        losses.append(loss.item())
        if step % 50 == 0:
            elapsed = time.perf_counter() - started
            loss_now = sum(losses[-50:]) / 50
            print(f"pretrain step {step}/{training['steps']} loss {loss_now:.3f} {elapsed:.0f}s", flush=True)
        if step % training["checkpoint_every"] == 0 or step == training["steps"]:
            model.save_pretrained(directory)
            progress.write_text(json.dumps({"steps": step}), encoding="utf-8")
    return {"blocks": len(examples), "final_loss": sum(losses[-50:]) / max(1, min(50, len(losses))),
            "seconds": time.perf_counter() - started, "resumed_at": done}


def optimise(loss: torch.Tensor, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
             schedule: torch.optim.lr_scheduler.LRScheduler) -> None:
    """One training step of every model here: gradients clipped to norm 1, then the optimiser and the schedule."""
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad()


def warmup_then_decay(optimizer: torch.optim.Optimizer, warmup: int, total: int) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warm-up, then cosine decay to zero: the usual schedule for BERT-style training."""

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


class TransformerClassifier:
    """The fine-tuned encoder: a sigmoid per category over each window, the maximum over a unit's windows.

    A power stated anywhere in a long 款 counts, so a unit longer than the window is scored on every
    overlapping window and never truncated.
    """

    name = "transformer"

    def __init__(self, directory: Path, batch_size: int = 64) -> None:
        self.tokenizer = BertTokenizerFast.from_pretrained(directory)
        self.model = BertForSequenceClassification.from_pretrained(directory, dtype=torch.float32).eval()
        self.batch_size = batch_size
        self.max_length = self.model.config.max_position_embeddings
        self.stride = self.model.config.window_stride

    def windows(self, texts: Sequence[str]) -> tuple[dict[str, torch.Tensor], list[int]]:
        """Every window of every text, and the text each window came from."""
        encoded = self.tokenizer(
            list(texts), truncation=True, max_length=self.max_length, stride=self.stride,
            return_overflowing_tokens=True, padding=True, return_tensors="pt",
        )
        owners = encoded.pop("overflow_to_sample_mapping").tolist()
        return dict(encoded), owners

    @torch.inference_mode()
    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Texts are batched shortest first, so that a batch pads to a length its texts share (about twice as fast
        on a statute's mix of one-line and page-long 款 as batching them in order)."""
        best = torch.zeros(len(texts), len(CATEGORIES))
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            inputs, owners = self.windows([texts[index] or " " for index in chunk])
            probabilities = torch.sigmoid(self.model(**inputs).logits)
            for window, owner in enumerate(owners):
                best[chunk[owner]] = torch.maximum(best[chunk[owner]], probabilities[window])
        return [dict(zip(CATEGORIES, map(float, row), strict=True)) for row in best]


def finetune(
    pretrained: Path, data: Dataset, settings: dict[str, Any], training: dict[str, Any], directory: Path, seed: int
) -> dict[str, float]:
    """Fine-tune the pretrained encoder on labelled units (weighted BCE); writes a TransformerClassifier."""
    random.seed(seed)
    torch.manual_seed(seed)
    tokenizer = BertTokenizerFast.from_pretrained(pretrained)
    model = BertForSequenceClassification.from_pretrained(  # trained in full precision, whatever it was saved in
        pretrained, dtype=torch.float32, num_labels=len(CATEGORIES), problem_type="multi_label_classification"
    )
    model.config.window_stride = settings["stride"]
    model.config.id2label = dict(enumerate(CATEGORIES))
    model.config.label2id = {label: index for index, label in enumerate(CATEGORIES)}
    device = training_device()
    model.to(device)
    # The columns are read once: a `datasets` table and a plain dict of lists serve alike.
    input_ids = tokenizer(list(data["text"]), truncation=True, max_length=settings["max_length"])["input_ids"]
    labels = torch.tensor(list(data["labels"]))
    weights = torch.tensor(list(data["weight"]))
    order = list(range(len(input_ids)))
    steps = training["epochs"] * math.ceil(len(order) / training["batch_size"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=training["learning_rate"], weight_decay=0.01)
    schedule = warmup_then_decay(optimizer, max(1, steps // 10), steps)
    positives = labels.sum(dim=0).clamp(min=1)
    # Rare categories (行政裁决 has a handful of units) would otherwise never be predicted: weigh each
    # category's positives by the square root of its negative-to-positive ratio.
    balance = ((len(labels) - positives) / positives).sqrt().clamp(max=training["max_positive_weight"])
    loss_of = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=balance.to(device))
    model.train()
    started, step = time.perf_counter(), 0
    for epoch in range(training["epochs"]):
        random.shuffle(order)
        for start in range(0, len(order), training["batch_size"]):
            rows = order[start : start + training["batch_size"]]
            batch = tokenizer.pad({"input_ids": [input_ids[row] for row in rows]}, return_tensors="pt")
            with mixed_precision(device):
                logits = model(**batch.to(device)).logits
            loss = loss_of(logits.float(), labels[rows].to(device)).mean(dim=1)
            weight = weights[rows].to(device)
            loss = (loss * weight).sum() / weight.sum()
            optimise(loss, model, optimizer, schedule)
            step += 1
            if step % 50 == 0:
                print(f"finetune epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f}", flush=True)
    directory.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(directory)  # shipped in half precision: half the size, the same decisions
    tokenizer.save_pretrained(directory)
    return {"units": len(order), "steps": steps, "seconds": time.perf_counter() - started}
