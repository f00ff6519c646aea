"""Evaluation on the held-out set (tests/distress/heldout.yml), never used in training or tuning.

Writes a per-category precision/recall report to tests/artifacts/distress_report.json.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import yaml

from bot.nlu import data
from tests.distress.conftest import REPO_ROOT

HELDOUT = Path(__file__).with_name("heldout.yml")
REPORT = REPO_ROOT / "tests" / "artifacts" / "distress_report.json"
CATS = ("grief", "overwhelm", "loneliness", "crisis", "none")


def _heldout() -> list[tuple[str, str]]:
    doc = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    return [(text, "none" if cat == "routine" else cat) for cat, texts in doc.items() for text in texts]


def test_heldout_is_big_enough_and_disjoint_from_training() -> None:
    rows = _heldout()
    counts = {c: sum(1 for _, y in rows if y == c) for c in CATS}
    assert counts["crisis"] >= 60 and counts["none"] >= 200
    assert all(counts[c] >= 40 for c in ("grief", "overwhelm", "loneliness"))
    seen = {" ".join(t.lower().split()) for t, _ in data.load_examples(REPO_ROOT / "data" / "distress")}
    overlap = [t for t, _ in rows if " ".join(t.lower().split()) in seen]
    # The issue's own idioms and two very short crisis phrases are in both; nothing else.
    assert len(overlap) <= 5, overlap


def test_heldout_targets(detector) -> None:  # type: ignore[no-untyped-def]
    rows = _heldout()
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
    report = {
        "per_category": per_category,
        "crisis_recall": per_category["crisis"]["recall"],
        "any_distress_recall": round(float((pred[distressed] != "none").mean()), 4),
        "routine_flagged_rate": round(float((pred[~distressed] != "none").mean()), 4),
        "category_accuracy_on_distressed": round(float((pred[distressed] == truth[distressed]).mean()), 4),
        "thresholds": vars(detector.thresholds),
        "mean_ms_per_message": round(ms, 2),
        "errors": [{"text": t, "truth": y, "predicted": p}
                   for (t, y), p in zip(rows, pred, strict=True) if y != p],
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    assert report["crisis_recall"] == 1.0, report["errors"]
    assert report["any_distress_recall"] >= 0.95, report
    assert report["routine_flagged_rate"] <= 0.03, report
    assert report["category_accuracy_on_distressed"] >= 0.90, report
