"""Warning signs of suicide: what people do and say before one without naming it.

Arranging things for after their death, giving away pets and belongings,
putting affairs in order, "it won't matter soon". Each is also said in
ordinary lives (an executor's paperwork, giving away an old phone, a move),
so a sign decides nothing alone: it lowers the bar for the model's crisis
vote (bot.nlu.detector), which must still lean that way. The explicit
wordings are the crisis lexicon's (bot.nlu.crisis), which wins alone.
"""

# The patterns are long regex alternations; breaking them mid-alternative hurts
# review more than a long line does.
# ruff: noqa: E501

from __future__ import annotations

import re

from bot.nlu.crisis import CrisisHit, ordinary_reason
from bot.nlu.text import clauses, normalise

_F = re.IGNORECASE

_SIGNS: list[tuple[str, re.Pattern[str]]] = [(n, re.compile(p, _F)) for n, p in [
    ("after_death", r"\b(?:after|when|once|by the time) i(?:'?m| am) (?:dead|no longer (?:here|around|alive))\b"
                    r"|\b(?:after|when|once) i(?:'ve| have)? (?:die|died|pass away|passed away)\b"),
    ("giving_away", r"\b(?:giv\w*|gave|rehom\w*|found (?:a )?(?:new )?homes? for) (?:away )?(?:my|the|our) "
                    r"(?:cats?|dogs?|pets?|kitten|puppy|budgie|rabbit|hamster|parrot|bird|horse)\b"
                    r"|\b(?:giv\w*|gave|sold|sell\w*) (?:away )?(?:all|most|everything|the rest)(?: of)? (?:my )?"
                    r"(?:things|stuff|belongings|possessions|i own|i have)\b"),
    ("affairs", r"\b(?:put\w*|get\w*|got|sort\w*|tidy\w*|tidied|set\w*) (?:out |up )?(?:all )?my affairs\b"
                r"|\bmy affairs (?:are |in )(?:in )?order\b|\btying up (?:the )?loose ends\b"),
    # "It won't matter soon", not "it won't matter which plan I'm on".
    ("wont_matter", r"\bwon'?t matter (?:soon|much longer|for much longer|any ?more|after|by|to me|now|then)\b"
                    r"|\b(?:soon|after (?:that|this|tonight|today|\w+day|this weekend|the weekend)|by (?:then|tomorrow|"
                    r"tonight|the weekend))\W{0,2}(?:it |none of (?:it|this) )?(?:won'?t|will not|doesn'?t|does not) matter\b"
                    r"(?! (?:which|what|whether|if|how|who|when|where)\b)"
                    r"|\b(?:after|from|by) (?:tonight|today|tomorrow|this weekend|the weekend|\w+day)\b.{0,40}"
                    r"\b(?:won'?t|will not|not going to|isn'?t going to) be my (?:problem|worry|concern)\b"),
    ("last_ever", r"\blast (?:bill|payment|top ?up|direct debit)\b.{0,25}\bever\b"),
    ("spare_others", r"\bso (?:nobody|no one|no-one|my (?:family|kids|children|wife|husband|partner|mum|mom|dad|sister|"
                     r"brother|son|daughter|parents)) (?:has|have|doesn'?t have|don'?t have|won'?t have|isn'?t|aren'?t|"
                     r"won'?t be|is not) (?:to |left |stuck )(?:deal|sort|worry|bother|pay|clean|with)\b"),
    ("not_continue", r"\b(?:don'?t|do not|no longer) (?:intend|plan|expect) (?:to|on) (?:(?:continue|go on|carry on)"
                     r"(?= ?(?:living|with (?:life|it all)|much longer|any ?more|$|[.!,;]))|be(?:ing)? (?:here|around|alive)"
                     r"|live|living|stay(?:ing)? alive)\b"
                     r"|\bnot (?:planning|going) (?:on )?(?:being|to be) (?:here|around|alive) (?:much longer|for long|after|by|past)\b"),
    ("no_one_left", r"\b(?:no ?one|nobody|no-one)(?:'ll| will| is going to|'s going to) be (?:answering|using|picking up|"
                    r"needing|reading|checking)\b"),
    ("own_funeral", r"\b(?:plan|planning|arrange|arranging|pay(?:ing)? for|sort(?:ing)?(?: out)?) my (?:own )?funeral\b"),
    ("someone_else_closes", r"\bso (?:she|he|they|my \w+) (?:can|could|will be able to|is able to) (?:close|cancel|sort out|"
                            r"shut down|deal with|handle) (?:all )?my (?:accounts|things|stuff|affairs|bills|phone|number)\b"),
    ("without_me", r"\bif (?:something|anything) (?:happens|should happen|were to happen|was to happen) to me\b"
                   r"|\b(?:will|'ll|would|'d) be (?:ok|okay|alright|all right|fine) without me\b"),
    ("ready", r"\b(?:got|have|had|i'?ve|i have) everything (?:ready|planned|arranged|in place|sorted) for (?:tonight|today|"
              r"tomorrow|this weekend|the weekend|\w+day)\b"
              r"|\beverything(?:'s| is) (?:ready|planned|arranged|in place) for (?:tonight|today|tomorrow|this weekend|"
              r"the weekend|\w+day)\b"),
    ("plan_made", r"\b(?:got|have|made|i'?ve got|i have) a (?:plan and a date|date|plan for (?:tonight|tomorrow|\w+day|the \d+\w*))\b"
                  r"|\bplanned it for\b|\bmade (?:my |all the |the )?arrangements\b(?! for (?:the|mum|mom|dad|his|her|their|my (?:mum|mom|dad|wife|husband)))"
                  r"|\bgo(?:ing)? away (?:permanently|for good|forever)\b|\bnot turning it (?:back )?on\b"
                  r"|\bthere'?ll be (?:nobody|no one|no-one) (?:to answer|home|here|to pick up)\b"
                  r"|\b(?:world|everyone|everybody|family|kids|they)\b.{0,25}\b(?:quieter|happier|easier|lighter|calmer)\b.{0,15}\bwithout me\b"),
    ("letters", r"\b(?:written|wrote|writing|finished) (?:the|my|all the|all my|some|a few) (?:letters|notes)\b"),
    ("planned", r"\b(?:been )?planning (?:this|it) for (?:a while|a long time|weeks|months|ages|years)\b"
                r"|\b(?:leave|leaving) (?:a|any) mess (?:behind|for)\b"),
]]


def find_warning(text: str) -> CrisisHit | None:
    """Look for a warning sign of suicide (see :data:`_SIGNS`); it decides nothing alone.

    Args:
        text: The customer's message.

    Returns:
        The first sign (its clause as cue), or None.
    """
    norm = normalise(text)
    if ordinary_reason(norm):
        return None
    # Read across clause boundaries: a sign often spans one ("cancelling it so
    # nobody has to deal with it"); the cue is the clause where it starts.
    for name, pattern in _SIGNS:
        match = pattern.search(norm)
        if match is not None:
            parts = clauses(text)
            clause = next((c for c in parts if c.end > match.start()), parts[-1])
            return CrisisHit(rule=name, cue=clause.text, start=clause.start)
    return None


# A message made only of these words is a plain farewell or thanks ("night
# night", "thanks, bye x"). Words of finality ("forever", "everything",
# "world", "life", "all") are deliberately absent: "thank you for everything,
# goodbye" is read by the model as any message is.
_FAREWELL_CORE = frozenset({
    "bye", "byee", "byeee", "goodbye", "bye-bye", "night", "nite", "nighty", "goodnight",
    "gnight", "g'night", "cheers", "later", "laters"
})
_FAREWELL_WORDS = _FAREWELL_CORE | frozenset({
    "thanks", "thank", "you", "u", "thx", "ty", "ta", "tysm", "ok", "okay", "k", "kk", "see",
    "ya", "take", "care", "have", "a", "good", "great", "nice", "lovely", "day", "evening",
    "weekend", "one", "for", "now", "then", "x", "xx", "xxx", "mate", "love", "hun", "lol",
    "perfect", "brilliant", "sorted", "much", "so", "very", "your", "the", "help", "again",
    "anyway", "talk", "soon", "speak", "catch", "tomorrow", "and", "oh", "right"
})
_WORD = re.compile(r"[a-z][a-z'-]*")


def farewell_only(text: str) -> bool:
    """Whether ``text`` is nothing but an everyday farewell ("night night", "ok thanks, bye").

    The model's crisis vote is not taken on such a message: crisis examples
    end with goodbyes, and a bare "night night" sits near them without
    being one. The crisis lexicon still reads it ("goodbye forever").
    """
    words = _WORD.findall(normalise(text))
    return bool(words) and set(words) <= _FAREWELL_WORDS and not _FAREWELL_CORE.isdisjoint(words)
