"""DistressDetector and DistressRouter as Rasa graph components, on real Messages."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture()
def components(detector, tmp_path):  # type: ignore[no-untyped-def]
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.nlu.distress import DistressDetector, DistressRouter

    storage = LocalModelStorage(tmp_path)
    resource = Resource("distress")
    with storage.write_to(resource) as directory:
        detector.save(directory)
    loaded = DistressDetector.load(DistressDetector.get_default_config(), storage, resource, None)  # type: ignore[arg-type]
    return loaded, DistressRouter(DistressRouter.get_default_config())


def _run(components: Any, text: str, intent: str, confidence: float = 0.8) -> Any:
    from rasa.shared.nlu.training_data.message import Message

    det, router = components
    message = Message(data={"text": text})
    det.process([message])
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence},
                                   {"name": "greet", "confidence": 1 - confidence}])
    router.process([message])
    return message


def _entities(message: Any) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get("entities")}


def test_grief_with_task_keeps_the_task(components) -> None:  # type: ignore[no-untyped-def]
    text = "My wife died, I need to take her off the plan"
    m = _run(components, text, "remove_line")
    confidence = m.get("distress")["confidence"]
    assert m.get("intent") == {"name": "share_distress", "confidence": pytest.approx(confidence)}
    assert m.get("intent_ranking")[0]["name"] == "share_distress"
    assert [r["name"] for r in m.get("intent_ranking")][1:] == ["remove_line", "greet"]
    assert m.get("distress")["task_intent"] == "remove_line"
    ents = _entities(m)
    assert ents == {"distress_category": "grief", "distress_cue": "My wife died",
                    "distress_subject": "your wife", "task_intent": "remove_line"}
    for e in m.get("entities"):
        assert text[e["start"]:e["end"]] in text and e["end"] > e["start"]


def test_crisis_wins(components) -> None:  # type: ignore[no-untyped-def]
    m = _run(components, "where is my order, I won't be around after tonight anyway", "order_status", 0.99)
    assert m.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert "task_intent" not in m.get("distress")
    assert _entities(m)["distress_category"] == "crisis"
    assert m.as_dict(only_output_properties=True)["distress"]["category"] == "crisis"


def test_greeting_is_not_a_task(components) -> None:  # type: ignore[no-untyped-def]
    m = _run(components, "hi, I'm so lonely, nobody has called me in weeks", "greet")
    assert m.get("intent")["name"] == "share_distress"
    assert "task_intent" not in _entities(m)


def test_routine_message_is_untouched(components) -> None:  # type: ignore[no-untyped-def]
    m = _run(components, "where is my order A1001", "order_status", 0.97)
    assert m.get("intent") == {"name": "order_status", "confidence": 0.97}
    assert m.get("distress")["category"] == "none"
    assert _entities(m) == {}


def _route(distress: dict[str, Any], intent: str) -> Any:
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.distress import DistressRouter

    message = Message(data={"text": "I won't be needing the big plan after sunday, change it"})
    message.set("distress", distress)
    message.set("intent", {"name": intent, "confidence": 0.9})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.9}])
    DistressRouter(DistressRouter.get_default_config()).process([message])
    return message


CLAUSE = "I won't be needing the big plan after sunday"


@pytest.mark.parametrize("category", ["none", "grief"])
def test_a_check_in_is_its_own_intent_and_keeps_the_task(category: str) -> None:
    m = _route({"category": category, "confidence": 0.7, "cue": None, "subject": None,
                "check_in": CLAUSE}, "change_plan")
    assert m.get("intent") == {"name": "check_in", "confidence": 1.0}
    assert [r["name"] for r in m.get("intent_ranking")] == ["check_in", "change_plan"]
    assert _entities(m) == {"task_intent": "change_plan"}


def test_crisis_and_a_request_for_a_person_are_never_turned_into_a_check_in() -> None:
    crisis = _route({"category": "crisis", "confidence": 1.0, "cue": "x", "subject": None,
                     "check_in": None}, "change_plan")
    assert crisis.get("intent")["name"] == "crisis"
    person = _route({"category": "none", "confidence": 0.7, "cue": None, "subject": None,
                     "check_in": CLAUSE}, "request_human")
    assert person.get("intent") == {"name": "request_human", "confidence": 0.9}
    plain = _route({"category": "none", "confidence": 0.9, "cue": None, "subject": None,
                    "check_in": None}, "change_plan")
    assert plain.get("intent") == {"name": "change_plan", "confidence": 0.9}


def test_fingerprint_follows_the_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.nlu.distress import DistressDetector

    (tmp_path / "grief.yml").write_text("distress: grief\nexamples:\n  - my dad died\n")
    before = DistressDetector.fingerprint_addon({"data_path": str(tmp_path)})
    (tmp_path / "grief.yml").write_text("distress: grief\nexamples:\n  - my mum died\n")
    assert DistressDetector.fingerprint_addon({"data_path": str(tmp_path)}) != before
