from __future__ import annotations

import pytest

from actions.needs import short_cue, situation, unstated_needs


@pytest.mark.parametrize(
    ("category", "cue", "subject", "expected"),
    [
        ("grief", "my wife died", "your wife", "bereavement"),
        ("grief", "my husband wants a divorce and I have to move out", "your marriage",
         "separation"),
        ("overwhelm", "my partner left me and the bills are in his name", None, "separation"),
        ("overwhelm", "I just lost my job", "your job", "job_loss"),
        ("overwhelm", "we lost my dad last month", None, "bereavement"),
        ("loneliness", "I've no one to talk to", None, "loneliness"),
        ("crisis", "I want to end it", None, "crisis"),
        ("overwhelm", "it's all too much", None, "other"),
        (None, None, None, None),
    ],
)
def test_situation(category: str | None, cue: str | None, subject: str | None,
                   expected: str | None) -> None:
    assert situation(category, cue, subject) == expected


def test_bereavement_needs_cover_card_mail_discount_and_transfer() -> None:
    needs = " | ".join(unstated_needs("grief", "my wife died", "your wife")).lower()
    for word in ("card", "mail", "bereavement discount", "name"):
        assert word in needs


def test_divorce_needs() -> None:
    needs = " | ".join(unstated_needs("grief", "my husband wants a divorce", None)).lower()
    assert "separate the accounts" in needs and "address" in needs and "authorised user" in needs


def test_job_loss_needs_payment_plan() -> None:
    assert any("payment plan" in n.lower()
               for n in unstated_needs("overwhelm", "I got laid off", None))


def test_lonely_and_grieving_gets_time_first() -> None:
    needs = unstated_needs("loneliness", "so lonely since my husband died", None)
    assert needs[0].startswith("Time to talk")
    assert any("bereavement" in n.lower() for n in needs)


def test_no_distress_no_needs() -> None:
    assert unstated_needs(None, None, None) == []


def test_short_cue() -> None:
    assert short_cue("my wife died.") == "wife died"
    assert short_cue("") is None
    long = short_cue("I have had the most terrible month of my whole life so far")
    assert long is not None and len(long) <= 40 and long.endswith("…")
