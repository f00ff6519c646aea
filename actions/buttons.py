"""Quick-reply buttons shared by several actions.

Payloads are intents ("/request_human"), so a tap skips NLU and can never be
misunderstood.
"""

from __future__ import annotations

from typing import Final

TALK_TO_A_PERSON: Final = {"title": "Talk to a person", "payload": "/request_human"}
NEVER_MIND: Final = {"title": "Never mind", "payload": "/stop"}
