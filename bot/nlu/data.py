"""Labelled examples for the distress detector.

The labels live in ``data/distress/*.yml`` (one file per category, see
data/distress/README.md), a schema Rasa's loaders skip. Every example of the
ordinary NLU data counts as ``none`` unless its example-level metadata says
``distress: <category>``, or its intent is ``crisis`` (then it is crisis) or
``share_distress`` (category unknown, so it is left out).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import yaml  # type: ignore[import-untyped]

CATEGORIES = ("none", "grief", "overwhelm", "loneliness", "crisis")
DISTRESSED = CATEGORIES[1:]

Example = tuple[str, str]


def distress_files(path: Path) -> list[Path]:
    """The labelled files under ``path`` (a file or a directory, searched to any depth), sorted."""
    if path.is_file():
        return [path]
    return sorted([*path.rglob("*.yml"), *path.rglob("*.yaml")])


def load_examples(path: Path) -> list[Example]:
    """Read ``(text, category)`` pairs from the distress data files.

    A file is either one category (``distress: <category>`` and
    ``examples:``) or several, each category a key with its list of
    messages (the layout of the held-out sets in tests/distress).

    Args:
        path: data/distress or a single file of that schema.

    Returns:
        The examples, in file order.

    Raises:
        ValueError: If a file names an unknown category or has no examples.
    """
    out: list[Example] = []
    for file in distress_files(path):
        for category, examples in _sections(file):
            out.extend((str(e).strip(), category) for e in examples if str(e).strip())
    return out


def _sections(file: Path) -> list[tuple[str, list[object]]]:
    doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise ValueError(f"{file}: needs a mapping")
    found = [(doc.get("distress"), doc.get("examples"))] if "distress" in doc else list(doc.items())
    sections: list[tuple[str, list[object]]] = []
    for category, examples in found:
        if category not in CATEGORIES or not isinstance(examples, list) or not examples:
            raise ValueError(f"{file}: needs `distress: <{'|'.join(CATEGORIES)}>` and `examples:`, "
                             "or a list of examples under each category")
        sections.append((str(category), examples))
    return sections


def label_from_nlu(intent: str | None, metadata: object) -> str | None:
    """The distress label of an ordinary NLU example, or None to skip it.

    Args:
        intent: The example's intent.
        metadata: The example's metadata (``{"distress": ...}`` overrides).

    Returns:
        A category, or None when the example's category is unknown.
    """
    if isinstance(metadata, dict):
        tagged = metadata.get("distress")
        if isinstance(tagged, str) and tagged in CATEGORIES:
            return tagged
    if intent == "crisis":
        return "crisis"
    # Distress of unknown category, and messages close to a crisis that are not
    # known to be one (check_in): neither is routine.
    if intent in ("share_distress", "check_in"):
        return None
    return "none"


def fingerprint(path: Path) -> str:
    """A hash of the labelled files' names and contents (changes retrain)."""
    digest = hashlib.sha256()
    for file in distress_files(path):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def dedupe(examples: Iterable[Example]) -> list[Example]:
    """Drop repeated texts (case-insensitive), keeping the first label."""
    seen: set[str] = set()
    out: list[Example] = []
    for text, label in examples:
        key = " ".join(text.lower().split())
        if key not in seen:
            seen.add(key)
            out.append((text, label))
    return out


def digest(examples: Iterable[Example]) -> str:
    """A hash of a training set's ``(text, label)`` pairs, whatever their order.

    Saved with a trained detector, so an evaluation can tell that the model it
    loaded was trained on exactly the data it has in hand.
    """
    hashed = hashlib.sha256()
    for text, label in sorted(set(examples)):
        hashed.update(f"{label}\t{text}\n".encode())
    return hashed.hexdigest()
