"""The distress data loader: both file layouts, nested folders, and refusing bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu import data


def test_both_layouts_and_nested_folders_are_read(tmp_path: Path) -> None:
    (tmp_path / "grief.yml").write_text('distress: grief\nexamples:\n  - "my wife died"\n  - "  "\n')
    (tmp_path / "by_others").mkdir()
    (tmp_path / "by_others" / "set.yml").write_text(
        'crisis:\n  - "I have saved my tablets"\nnone:\n  - "my phone died"\n')
    assert data.load_examples(tmp_path) == [
        ("I have saved my tablets", "crisis"), ("my phone died", "none"), ("my wife died", "grief")]
    before = data.fingerprint(tmp_path)
    (tmp_path / "by_others" / "set.yml").write_text('crisis:\n  - "goodbye everyone"\n')
    assert data.fingerprint(tmp_path) != before


@pytest.mark.parametrize("text", [
    "distress: sadness\nexamples:\n  - hi\n",  # unknown category
    "distress: grief\n",  # no examples
    "grief: []\n",  # an empty section
    "happy:\n  - hi\n",  # unknown category in the sectioned layout
    "- just a list\n",  # not a mapping
])
def test_bad_files_are_refused_with_their_name(tmp_path: Path, text: str) -> None:
    (tmp_path / "bad.yml").write_text(text)
    with pytest.raises(ValueError, match="bad.yml"):
        data.load_examples(tmp_path)


def test_digest_names_the_examples_not_their_order() -> None:
    examples = [("my wife died", "grief"), ("where is my order", "none")]
    assert data.digest(examples) == data.digest(list(reversed(examples)))
    assert data.digest(examples) != data.digest([("my wife died", "none"), examples[1]])
    assert data.digest(examples) != data.digest(examples[:1])
