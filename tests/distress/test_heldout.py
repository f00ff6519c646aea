"""Evaluation on the held-out sets, never used in training or tuning.

- tests/distress/heldout.yml: written separately from the training data.
- tests/distress/fresh.yml: a second set, written by someone who had seen
  neither the training data nor the first set, and run once after the
  detector was final (docs/distress.md has its numbers and what it showed).
- tests/distress/third.yml: a third independent set, added unread and first
  run once after the indirect-crisis work was final.
- tests/distress/fourth.yml: a fourth, written while the training data was
  being doubled by someone else (neither saw the other's work), first run
  when that data was final.
- tests/distress/fifth.yml: a fifth, written while a crisis-only second
  opinion was tried (and not adopted), first run once that detector was final.
- tests/distress/sixth.yml: a sixth, written while word n-grams were added
  to the model, first run once that detector was final.

Writes per-category precision/recall for all three to tests/artifacts/distress_report.json.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bot.nlu import data
from tests.distress.conftest import REPO_ROOT

HERE = Path(__file__).parent
SETS = {"heldout": HERE / "heldout.yml", "fresh": HERE / "fresh.yml", "third": HERE / "third.yml",
        "fourth": HERE / "fourth.yml", "fifth": HERE / "fifth.yml", "sixth": HERE / "sixth.yml"}
REPORT = REPO_ROOT / "tests" / "artifacts" / "distress_report.json"
CATS = ("grief", "overwhelm", "loneliness", "crisis", "none")


def _load(path: Path) -> list[tuple[str, str]]:
    """``(text, category)`` rows; the routine messages are under ``routine`` or ``none``."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(text), "none" if cat in ("routine", "none") else cat)
            for cat, texts in doc.items() for text in texts]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _evaluate(detector: Any, rows: list[tuple[str, str]]) -> dict[str, Any]:
    truth = np.array([y for _, y in rows])
    started = time.perf_counter()
    pred = np.array([detector.predict(t)["category"] for t, _ in rows])
    ms = (time.perf_counter() - started) * 1000 / len(rows)
    per_category = {}
    for c in CATS:
        tp = int(((pred == c) & (truth == c)).sum())
        per_category[c] = {
            "precision": round(tp / max(1, int((pred == c).sum())), 4),
            "recall": round(tp / max(1, int((truth == c).sum())), 4),
            "support": int((truth == c).sum()),
        }
    distressed = truth != "none"
    return {
        "per_category": per_category,
        "crisis_recall": per_category["crisis"]["recall"],
        "any_distress_recall": round(float((pred[distressed] != "none").mean()), 4),
        "routine_flagged_rate": round(float((pred[~distressed] != "none").mean()), 4),
        "category_accuracy_on_distressed": round(float((pred[distressed] == truth[distressed]).mean()), 4),
        "mean_ms_per_message": round(ms, 2),
        "errors": [{"text": t, "truth": y, "predicted": p}
                   for (t, y), p in zip(rows, pred, strict=True) if y != p],
    }


@pytest.fixture(scope="module")
def report(detector) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Every set through the trained detector, written to the report file."""
    out: dict[str, Any] = {"thresholds": vars(detector.thresholds)}
    for name, path in SETS.items():
        out[name] = _evaluate(detector, _load(path))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    return out


@pytest.mark.parametrize("name", list(SETS))
def test_sets_are_disjoint_from_training(name: str) -> None:
    rows = _load(SETS[name])
    seen = {_key(t) for t, _ in data.load_examples(REPO_ROOT / "data" / "distress")}
    overlap = [t for t, _ in rows if _key(t) in seen]
    # The issue's own idioms and two very short crisis phrases are in both; nothing else.
    assert len(overlap) <= 5, overlap


def test_heldout_is_big_enough() -> None:
    rows = _load(SETS["heldout"])
    counts = {c: sum(1 for _, y in rows if y == c) for c in CATS}
    assert counts["crisis"] >= 60 and counts["none"] >= 200
    assert all(counts[c] >= 40 for c in ("grief", "overwhelm", "loneliness"))


@pytest.mark.parametrize("name", ["fresh", "third", "fourth", "fifth", "sixth"])
def test_independent_sets_cover_every_category(name: str) -> None:
    rows = _load(SETS[name])
    counts = {c: sum(1 for _, y in rows if y == c) for c in CATS}
    assert all(n >= 30 for n in counts.values()), counts


def test_heldout_targets(report: dict[str, Any]) -> None:
    r = report["heldout"]
    assert r["crisis_recall"] == 1.0, r["errors"]
    assert r["any_distress_recall"] >= 0.95, r
    assert r["routine_flagged_rate"] <= 0.03, r
    assert r["category_accuracy_on_distressed"] >= 0.90, r


@pytest.mark.parametrize("name", ["fresh", "fourth"])
def test_independent_false_alarms(report: dict[str, Any], name: str) -> None:
    # On the independent sets the detector meets only this target, and only on
    # these two; recall and category accuracy fall short everywhere, and
    # docs/distress.md says so with the numbers. Do not tune on these sets: they
    # are the only unbiased estimates there are.
    r = report[name]
    assert r["routine_flagged_rate"] <= 0.03, r


@pytest.mark.parametrize("name", ["third", "fifth", "sixth"])
def test_unmet_sets_are_reported(report: dict[str, Any], name: str) -> None:
    # These meet none of the targets (docs/distress.md has the numbers); only
    # that each was evaluated in full is asserted here.
    r = report[name]
    assert sum(v["support"] for v in r["per_category"].values()) == len(_load(SETS[name]))
