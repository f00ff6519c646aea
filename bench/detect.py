"""Distress detection cost, in the Rasa environment, with the assistant's own trained model.

Prints one JSON line: ``detect_ms`` (the detector alone, per message),
``nlu_parse_ms`` (the whole NLU pipeline per message, detection included) and
``detect_per_second`` (the detector's throughput on a batch).
Every timing starts with the embedding cache cleared, so it counts the MiniLM
pass that the intent featurizer would otherwise have paid for: an upper bound.
Usage: ``python -m bench.detect [--quick] [--model PATH]`` (run by bench/run.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

REPO_ROOT = Path(__file__).resolve().parents[1]
MODEL = REPO_ROOT / "models" / "calor.tar.gz"
HELDOUT = REPO_ROOT / "tests" / "distress" / "heldout.yml"


def _texts(limit: int) -> list[str]:
    """Real, varied customer messages: the held-out distress set (distress and routine)."""
    data = yaml.safe_load(HELDOUT.read_text())
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for key in ("text", "message"):
                if isinstance(node.get(key), str):
                    texts.append(node[key])
                    return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    texts = [t for t in texts if len(t.split()) > 2]
    return texts[:limit]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1)]

    return {"p50": round(pick(50), 3), "p99": round(pick(99), 3),
            "mean": round(sum(ordered) / len(ordered), 3), "n": len(ordered)}


def main() -> int:
    """Measure and print one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--model", type=Path, default=MODEL, help="a trained model (models/calor.tar.gz)")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    from rasa.core.agent import Agent  # type: ignore[import-untyped]
    from rasa.shared.nlu.constants import TEXT  # type: ignore[import-untyped]
    from rasa.shared.nlu.training_data.message import Message  # type: ignore[import-untyped]

    from bot.nlu.distress import DistressDetector
    from bot.nlu.encoder import clear_cache

    agent = Agent.load(str(args.model))
    assert agent.processor is not None
    nodes = agent.processor.graph_runner._instantiated_nodes.values()  # noqa: SLF001
    detector = None
    for node in nodes:
        if node._component_class is DistressDetector:  # noqa: SLF001
            if node._component is None:  # noqa: SLF001
                node._load_component()  # noqa: SLF001
            detector = node._component  # noqa: SLF001
    if detector is None:
        raise SystemExit("the trained model has no DistressDetector")
    texts = _texts(40 if args.quick else 400)
    for text in texts[:10]:  # warm caches
        detector.process([Message(data={TEXT: text})])

    # Embeddings are cached per text (the featurizer and the detector share one);
    # every timing below starts cold, so it counts the encoding too: an upper bound.
    alone = []
    for text in texts:
        clear_cache()
        started = time.perf_counter()
        detector.process([Message(data={TEXT: text})])
        alone.append((time.perf_counter() - started) * 1000)

    clear_cache()
    batch = [Message(data={TEXT: t}) for t in texts]
    started = time.perf_counter()
    detector.process(batch)
    per_second = len(batch) / (time.perf_counter() - started)

    loop = asyncio.new_event_loop()
    parse = []
    for text in texts[: 20 if args.quick else 200]:
        clear_cache()
        started = time.perf_counter()
        loop.run_until_complete(agent.parse_message(text))
        parse.append((time.perf_counter() - started) * 1000)
    loop.close()
    print(json.dumps({"detect_ms": _percentiles(alone), "nlu_parse_ms": _percentiles(parse),
                      "detect_per_second": round(per_second, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
