from bot.bridge.summary import build_summary

TRANSCRIPT = [
    {"from": "customer", "text": "hi"},
    {"from": "bot", "text": "Hello! How can I help?"},
    {"from": "customer", "text": "Where is my order A1001?   It is   late"},
    {"from": "customer", "text": "/request_human"},
]


def test_summary_without_bot_input_is_complete_and_quotes_the_customer() -> None:
    summary = build_summary("bot_unavailable", TRANSCRIPT)
    assert summary["reason"] == "bot_unavailable"
    assert summary["category"] is None
    assert summary["cue"] is None
    assert summary["task"] is None
    assert summary["headline"] == (
        'The assistant was unavailable, last saying "Where is my order A1001? It is late".'
    )
    assert summary["suggested_opening"]
    assert summary["unstated_needs"] == []


def test_summary_keeps_what_the_bot_sent() -> None:
    summary = build_summary("customer_request", TRANSCRIPT, {
        "reason": "customer_request",
        "headline": "Customer asked for a person while checking order A1001.",
        "task": {"intent": "order_status", "slots": {"order_id": "A1001", "bad": {"x": 1}},
                 "active_form": "order_status_form", "progress": "order number given"},
        "suggested_opening": "Hi, I can see order A1001 here.",
        "unstated_needs": ["a delivery update by text", "", 5],
    })
    assert summary["headline"] == "Customer asked for a person while checking order A1001."
    assert summary["task"] == {"intent": "order_status", "slots": {"order_id": "A1001"},
                               "active_form": "order_status_form", "progress": "order number given"}
    assert summary["suggested_opening"] == "Hi, I can see order A1001 here."
    assert summary["unstated_needs"] == ["a delivery update by text"]


def test_summary_rejects_bad_shapes_from_the_bot() -> None:
    summary = build_summary("customer_request", [], {
        "reason": "world_domination", "category": "boredom", "cue": 42,
        "headline": "   ", "task": {"slots": {}}, "unstated_needs": "not a list",
    })
    assert summary["reason"] == "customer_request"
    assert summary["category"] is None
    assert summary["cue"] is None
    assert summary["headline"] == "The customer asked for a person."
    assert summary["task"] is None
    assert summary["unstated_needs"] == []


def test_distress_category_makes_the_reason_distress() -> None:
    summary = build_summary("customer_request", [], {
        "reason": "customer_request", "category": "grief",
        "cue": "my wife died last week",
    })
    assert summary["reason"] == "distress"
    assert summary["category"] == "grief"
    assert summary["cue"] == "my wife died last week"


def test_long_fields_are_trimmed() -> None:
    summary = build_summary("bot_stuck", [{"from": "customer", "text": "x" * 5000}],
                            {"cue": "y" * 1000})
    assert len(summary["cue"]) == 300
    assert summary["cue"].endswith("…")
    assert len(summary["headline"]) < 200


def test_history_lines_tell_the_story_so_far() -> None:
    import datetime as dt

    from bot.bridge.summary import history_lines

    day = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.timezone.utc).timestamp()
    lines = history_lines([
        {"queued_at": day, "agent_name": "Maria", "headline": "Order A1001 is late.",
         "outcome": "closed", "next_steps": "Courier calls tomorrow.", "handback_note": None,
         "felt_heard": True},
        {"queued_at": day + 86400, "agent_name": None, "headline": "Asked for a person.",
         "outcome": None, "next_steps": None, "handback_note": None, "felt_heard": None},
        {"queued_at": day + 2 * 86400, "agent_name": "Tom", "headline": "Plan question.",
         "outcome": "handback", "next_steps": None, "handback_note": "Wants roaming next.",
         "felt_heard": False},
    ], dt.timezone.utc)
    assert lines == [
        "20 Nov 2026 · Maria · Order A1001 is late. → Courier calls tomorrow. · felt heard",
        "21 Nov 2026 · nobody (left in the queue) · Asked for a person.",
        "22 Nov 2026 · Tom · Plan question. → Wants roaming next. · did not feel heard",
    ]
