"""`make detect`: one JSON line of distress per input line, through the trained model.

Reads messages from stdin, one per line, and writes to stdout exactly one
``{"category": ..., "confidence": ..., "cue": ...}`` per line and nothing
else: Rasa, TensorFlow and warnings are silenced (stderr stays quiet unless
something fails). The model is the assistant's own (models/calor.tar.gz by
default), loaded with Rasa's Agent, so this is exactly what the bot sees.

Usage: ``python -m bot.nlu.detect [--model PATH] < messages.txt``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_EMPTY = {"category": "none", "confidence": 1.0, "cue": None}


@contextmanager
def _quiet_fds() -> Iterator[TextIO]:
    """Send fd 1 and 2 to /dev/null; yield a stream on the real stdout.

    TensorFlow's C++ runtime and some Rasa paths print straight to the file
    descriptors, which ``logging`` cannot stop.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    real_out = os.dup(1)
    real_err = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    out = os.fdopen(real_out, "w", buffering=1, encoding="utf-8")
    try:
        yield out
    finally:
        out.flush()
        os.dup2(real_err, 2)
        os.close(devnull)


def _row(parse: dict[str, Any]) -> dict[str, Any]:
    distress = parse.get("distress")
    if not isinstance(distress, dict):
        raise RuntimeError("the model has no DistressDetector in its pipeline")
    return {"category": distress["category"], "confidence": distress["confidence"], "cue": distress["cue"]}


def main(argv: list[str] | None = None) -> int:
    """Run the filter.

    Args:
        argv: Command-line arguments (``--model``).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/calor.tar.gz")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    err_fd = os.dup(2)
    try:
        with _quiet_fds() as out:
            # Imported here, while muted: importing Rasa and TensorFlow is noisy.
            from rasa.core.agent import Agent  # type: ignore[import-untyped]

            agent = Agent.load(args.model)
            loop = asyncio.new_event_loop()
            for raw in sys.stdin:
                text = raw.rstrip("\r\n")
                row = _EMPTY if not text.strip() else _row(loop.run_until_complete(agent.parse_message(text)))
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            loop.close()
    except Exception as exc:  # noqa: BLE001 - report any failure on the real stderr, then fail
        os.write(err_fd, f"detect: {type(exc).__name__}: {exc}\n".encode())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
