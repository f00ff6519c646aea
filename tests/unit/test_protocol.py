import pytest

from bot.bridge import protocol
from bot.bridge.errors import ClientError


def _code(fn, data) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ClientError) as info:
        fn(data)
    return info.value.code


def test_customer_text_message() -> None:
    msg = protocol.customer_message({"id": "m1", "text": "hello"})
    assert (msg.id, msg.text, msg.is_payload) == ("m1", "hello", False)


def test_customer_button_payload() -> None:
    msg = protocol.customer_message({"id": "m2", "payload": "/request_human"})
    assert (msg.text, msg.is_payload) == ("/request_human", True)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (None, "invalid"),
        ("hello", "invalid"),
        ([1, 2], "invalid"),
        ({"text": "no id"}, "invalid"),
        ({"id": "", "text": "x"}, "invalid"),
        ({"id": "x" * 65, "text": "x"}, "invalid"),
        ({"id": 5, "text": "x"}, "invalid"),
        ({"id": "m", "text": 5}, "invalid"),
        ({"id": "m"}, "invalid"),
        ({"id": "m", "text": ""}, "empty"),
        ({"id": "m", "text": " \n\t "}, "empty"),
        ({"id": "m", "text": "x" * 4001}, "too_long"),
    ],
)
def test_bad_customer_messages(data: object, code: str) -> None:
    assert _code(protocol.customer_message, data) == code


def test_exactly_4000_characters_is_fine() -> None:
    assert len(protocol.customer_message({"id": "m", "text": "é" * 4000}).text) == 4000


def test_agent_events() -> None:
    msg = protocol.agent_message({"conversation_id": "c", "id": "a1", "text": "hi"})
    assert (msg.conversation_id, msg.id, msg.text) == ("c", "a1", "hi")
    assert protocol.close_request({"conversation_id": "c", "next_steps": "We'll call."}) == (
        "c", "We'll call.")
    assert _code(protocol.conversation_id, {"conversation_id": 7}) == "unknown_conversation"
    assert _code(protocol.close_request, {"conversation_id": "c", "next_steps": ""}) == "empty"


def test_customer_auth_ignores_garbage() -> None:
    assert protocol.customer_auth(None) == protocol.CustomerAuth(None, None)
    assert protocol.customer_auth({"token": 5, "last_seq": "3"}) == protocol.CustomerAuth(None, None)
    assert protocol.customer_auth({"token": "t", "last_seq": -1}) == protocol.CustomerAuth("t", None)
    assert protocol.customer_auth({"token": "t", "last_seq": True}).last_seq is None
    assert protocol.customer_auth({"token": "t" * 300}).token is None
    assert protocol.customer_auth({"token": "t", "last_seq": 4}) == protocol.CustomerAuth("t", 4)
    assert protocol.agent_token({"token": "abc"}) == "abc"
    assert protocol.agent_token({"token": ""}) is None
    assert protocol.agent_token("abc") is None
