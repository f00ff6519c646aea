"""Evaluation on the held-out sets, never used in training or tuning.

- tests/distress/heldout.yml: written separately from the training data.
- tests/distress/fresh.yml: a second set, written by someone who had seen
  neither the training data nor the first set, and run once after the
  detector was final (docs/distress.md has its numbers and what it showed).
- tests/distress/sixth.yml: written while word n-grams were added to the
  model, first run once that detector was final.
- tests/distress/seventh.yml and eighth.yml: written by two more people who
  saw no data, no other set and no results, first run on the detector as it
  stood, then three more times while the training data written by others
  was added (their summary numbers only).
- tests/distress/ninth.yml and tenth.yml: written by two more people, the
  same way, first run on the detector as it stood before the training files
  of the same day were added, then after each batch of them (summary
  numbers only).
- tests/distress/eleventh.yml and twelfth.yml: written by two more people,
  the same way, a day later, first run on the detector as it stood, then
  after each batch of that day's training files (summary numbers only).
- tests/distress/seventeenth.yml and eighteenth.yml: written by two more
  people, the same way, each about 45 % veiled in its crisis messages; run
  on the detector as it stood, then once on the detector trained with that
  day's data (summary numbers only).

The third, fourth and fifth sets, and thirteenth to sixteenth, were moved
into the training data (data/distress/by_others) after their last
evaluation; docs/distress.md has their numbers from when they were held out.
Nobody has read the errors of the sets here other than heldout.yml,
fresh.yml, seventh.yml and eighth.yml (their crisis misses and routine
flags, to find where the crisis lexicon failed; docs/distress.md says what
changed).

Writes per-category precision/recall for every set to tests/artifacts/distress_report.json.
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
INDEPENDENT = ["fresh", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
               "seventeenth", "eighteenth"]
SETS = {name: HERE / f"{name}.yml" for name in ("heldout", *INDEPENDENT)}
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


@pytest.mark.parametrize("name", INDEPENDENT)
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


# What each independent set meets, asserted so that a change cannot lose it
# unnoticed; docs/distress.md has every number, including what is not met
# (crisis recall is below 1.0 on all but tenth, routine flags above 3 % on two).
# Do not tune on these sets: they are the only unbiased estimates there are.
# (Seventh's and eighth's crisis misses and routine flags were read, to find
# where the crisis lexicon failed; they are dev sets since.)
MET = {
    "fresh": ("any", "flagged", "category"),
    "sixth": ("any", "flagged", "category"),
    "seventh": ("any", "flagged", "category"),
    "eighth": ("any", "category"),
    "ninth": ("any", "category"),
    "tenth": ("any", "flagged", "category"),
    "eleventh": ("any", "flagged", "category"),
    "twelfth": ("any", "flagged", "category"),
    "seventeenth": ("any", "category"),
    "eighteenth": ("any", "category"),
}


@pytest.mark.parametrize("name", INDEPENDENT)
def test_independent_sets_keep_what_they_meet(report: dict[str, Any], name: str) -> None:
    # Failures show the summary only: nobody is to read these sets' errors.
    r = {k: v for k, v in report[name].items() if k != "errors"}
    assert sum(v["support"] for v in r["per_category"].values()) == len(_load(SETS[name]))
    met = MET[name]
    if "any" in met:
        assert r["any_distress_recall"] >= 0.95, r
    if "flagged" in met:
        assert r["routine_flagged_rate"] <= 0.03, r
    if "category" in met:
        assert r["category_accuracy_on_distressed"] >= 0.90, r
