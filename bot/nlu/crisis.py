"""The always-on crisis layer: a curated lexicon that wins over everything.

A statistical model can miss a short or unusual message about suicide,
self-harm or danger from someone, and a miss there is the one error calor
cannot afford; so these patterns are OR'd with the model. Each pattern is a
first-person or clearly-about-the-customer phrasing. Everyday idioms ("this
plan is killing me", "the wifi is dead", "my phone is suicidal lol") either
never match, or are vetoed by :data:`_IDIOMS` (checked on the clause that
matched) or by a negation right before the match ("I'm not suicidal").
"""

# The lexicons are long regex alternations; breaking them mid-alternative hurts
# review more than a long line does.
# ruff: noqa: E501

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.text import Clause, clauses, normalise

_F = re.IGNORECASE

# (name, pattern). Names are for logs and tests; never log the message.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(n, re.compile(p, _F)) for n, p in [
    # Suicide, named.
    ("suicide", r"\bsuicid(?:e|al)\b|\btake (?:my|my own) life\b|\btaking my (?:own )?life\b"
                r"|\bend(?:ing)? my (?:own )?life\b|\bkill(?:ing)? my ?self\b|\bkms\b"),
    ("end_it", r"\b(?:end|ending|finish) (?:it all|things|everything|it)\b(?= ?(?:tonight|today|now|"
               r"for good|soon|this weekend|$|[.!,]))|\bend it all\b"
               r"|\b(?:it'?ll|it will|it'?s going to) all be over (?:soon|tonight|today|by tomorrow)\b"),
    ("not_alive", r"\b(?:don'?t|do not|no longer) (?:want|wish) to (?:live|be alive|exist|wake up|"
                  r"be here (?:any ?more|tomorrow)|go on|carry on)\b|\bwant to stop existing\b"
                  r"|\b(?:want|wish) (?:to|i could) (?:disappear|go to sleep) (?:forever|and never wake)"),
    ("want_die", r"\b(?:want|wanna|going) to die\b|\bwish i (?:was|were) dead\b|\brather be dead\b"
                 r"|\bbetter off dead\b|\bready to die\b"
                 r"|\b(?:only|no) way out\b.{0,20}\b(?:dying|death|die|dead|end it)\b"
                 r"|\b(?:think|thinking|thought) (?:about|of) (?:dying|being dead|death)\b"),
    ("burden", r"\bbetter (?:off )?without me\b|\bbetter off if i (?:was|were)n'?t\b"
               r"|\b(?:nobody|no one|no-one) would (?:care|notice|miss me)\b.{0,25}\b(?:died|dead|gone)\b"
               r"|\bnobody would miss me\b|\bif i (?:was|were) gone\b"),
    ("no_point", r"\bno (?:point|reason|purpose) (?:in |to |for me to )?(?:living|live|going on|carrying on|"
                 r"keep going|be alive|being alive|being here)\b"
                 r"|\b(?:life|living)(?: is|'s| isn'?t| is not)(?: not)? worth (?:living|it)\b|\bdone with life\b"
                 r"|\bhad enough of (?:life|living)\b|\bpain to stop for good\b"
                 r"|\b(?:don'?t|can'?t) see (?:the|any) point (?:in|of) (?:living|going on|carrying on|life)\b"
                 r"|\bwhat'?s the point (?:in|of) (?:living|going on|carrying on|life|being alive)\b"
                 r"|\bwant (?:it|this|everything) (?:all )?to (?:be over|stop|end) (?:permanently|for good|forever)\b"
                 r"|\bwant it all to be over\b|\bcan'?t go on (?:any ?more|any longer)\b"),
    # Means and plans.
    ("means", r"\b(?:overdos(?:e|ed|ing)|paracetamol|drank bleach|sleeping pills)\b"
              r"|\b(?:took|taken|take|swallow(?:ed)?) (?:all|too many|a (?:load|lot|handful|bottle) of)\b"
              r"|\b(?:stockpil|sav|hoard)(?:e|ed|ing)(?: up)? (?:my )?(?:pills|tablets|medication|meds)\b"
              r"|\b(?:bottle of|box of|handful of) (?:pills|tablets)\b|\bpills (?:in front|ready)\b"
              r"|\b(?:hang(?:ing)? my ?self|the rope|a rope)\b|\btake (?:them|it) all\b"
              r"|\b(?:i have|i'?ve got|got) a gun\b|\bmade (?:my|a) plan\b.{0,30}\b(?:tonight|today|doing it)\b"
              r"|\b(?:jump(?:ing)?|step(?:ping)?) (?:off|from|in front of)\b"
              r"|\b(?:standing|stood|sitting) on (?:the|a) (?:bridge|ledge|roof|edge)\b|\bcliff edge\b"
              r"|\bon the roof and\b|\b(?:crash|drive) (?:my|the) car (?:on purpose|into)\b|\bdrive into a\b"
              r"|\b(?:gun|knife|blade)\b.{0,40}\bmy ?self\b|\bmy ?self\b.{0,30}\b(?:gun|knife|blade)\b"),
    ("self_harm", r"\bself[- ]?harm|\b(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|injur(?:e|ing)) "
                  r"my ?self\b|\bkeep myself safe\b|\bdo something stupid\b"),
    ("goodbye", r"\bthis is (?:my )?(?:goodbye|last message)\b|\bgoodbye (?:everyone|forever|world|all)\b"
                r"|\bsaying goodbye (?:to everyone|to you all|because|for good)\b|\bmy last message\b"
                r"|\b(?:won'?t|will not|not going to|not gonna) be (?:here|around|alive)\b"
                r"(?! for (?:the|a) (?:delivery|engineer|parcel|appointment))"
                r"|\b(?:after|when|once) i'?m gone\b|\b(?:suicide|goodbye) note\b|\bwritten (?:my|a) note\b"
                r"|\bwon'?t need (?:any of )?(?:it|this|them) after (?:tonight|today|this)\b"
                r"|\btell (?:my|the) \w+ (?:that )?(?:i love (?:them|her|him|you)|i'?m sorry|goodbye)\b"
                r"|\bwritten letters? (?:for|to) my\b|\bgave (?:my \w+|everything) away\b.{0,30}\bgoodbye\b"),
    # Danger from someone.
    ("threat", r"\bthreat\w* (?:me|my life|my kids|my family)\b|\bthreat\w*\b.{0,30}\b(?:kill|hurt|harm|burn|stab|shoot)\b"
               r"|\b(?:said|says|told me|swore|threatened)\b.{0,25}\b(?:kill|hurt|harm|murder)\b.{0,6}\bme\b"
               r"|\b(?:he|she|they)(?:'ll| will|'d| would| is going to| is gonna)\s+(?:kill|hurt|harm) me\b"
               r"|\b(?:burn|set fire to) (?:my|the) (?:house|flat|home)\b"
               r"|\b(?:he|she|dad|father|husband|partner|boyfriend|girlfriend|ex|stepdad|mum|mother|wife) "
               r"(?:hurts|keeps hurting|is hurting) me\b"
               r"|\b(?:kill|hurt) me if i (?:leave|tell|call|go to|report)\b|\bburn\b.{0,25}\bwith me in\b"
               # Someone at home finding out: danger, whoever says it ("my partner will kill me if he finds out").
               r"|\b(?:kill|hurt|murder|beat) me (?:if|when|once) (?:he|she|they) (?:finds? out|found out|"
               r"catch(?:es)? me|sees? me|gets? (?:home|back|in)|comes? (?:home|back|round))\b"),
    ("violence", r"\b(?:hits|hit|beats|beat|beaten|strangled|choked|punched|kicked|slapped|attacked|assaulted|"
                 r"abuses|abused|raped) me\b|\bbeat me up\b|\b(?:being|been) (?:abused|beaten|hit)\b"
                 r"|\bdomestic (?:violence|abuse)\b|\b(?:violent|abusive) (?:partner|husband|wife|boyfriend|"
                 r"girlfriend|ex|dad|father|relationship)\b|\b(?:he|she|partner|husband|boyfriend) is violent\b"
                 r"|\b(?:hits|hit|beats) my (?:mum|mom|mother|sister|brother)\b|\blocked me in\b"),
    ("danger", r"\b(?:scared|afraid|frightened|terrified|fear) (?:for my (?:life|safety)|to go home|of (?:him|her|"
               r"my (?:husband|partner|ex|boyfriend|girlfriend|dad|father|stepdad)))\b"
               r"|\bnot safe (?:at home|here|tonight|with him|with her)\b|\bi'?m not safe\b|\bin danger\b"
               r"|\b(?:don'?t|do not|never) feel safe (?:at home|here|in my (?:own )?(?:home|house|flat)|with him|with her)\b"
               r"|\b(?:stalking|stalks|stalked) me\b|\b(?:following|followed) me\b.{0,40}\b(?:scared|afraid|"
               r"terrified|frightened)\b|\b(?:being|been) followed\b|\bhiding (?:from|in the)\b"
               r"|\b(?:broke|breaking|trying to (?:get|break)) in\b|\b(?:has|got) a (?:knife|gun|weapon)\b"
               r"|\bwith a (?:knife|gun|weapon)\b|\boutside\b.{0,40}\b(?:threaten\w*|won'?t leave|scared|"
               r"terrified|screaming|banging)\b"),
]]

# Vetoes, checked on the matched clause: the phrase is about a thing, a game
# or a joke, not the customer's life.
_IDIOMS = re.compile(
    r"\b(?:phone|router|battery|laptop|tablet|app|box|tv|wifi|modem|computer|device|screen|it)(?:'s| is| keeps"
    r"| was)? (?:\w+ )?(?:suicidal|killing (?:it|its)self)\b"
    r"|\b(?:dy(?:e|ing)|died) (?:my|her|his|their|the) hair\b"
    r"|\bdie (?:of|from) (?:embarrassment|shame|laughing|boredom|curiosity)\b|\b(?:died|dying) (?:of )?laughing\b"
    r"|\bsuicide (?:squad|doors?|run|mission|king)\b|\b(?:game|fortnite|raid|match|level|round)\b"
    r"|\b(?:app|phone|router|battery|line|sim|screen|wifi|contract|subscription|trial|call|plan)\b.{0,15}"
    r"\b(?:dead|died|die|dying)\b",
    _F,
)
# Someone else's suicide is grief, not the customer's crisis.
_THIRD_PARTY = re.compile(
    r"\b(?:died by|committed|death by|lost (?:him|her|them) to) suicide\b|\btook (?:his|her|their) own life\b", _F
)
# "My mum's passing has hit me hard": news or a loss hitting someone is not
# violence. Checked on the words right before the match.
_HIT_BY_NEWS = re.compile(
    r"(?:\b(?:it|this|that|news|loss|passing|death|grief|reality|diagnosis|bill|price|cost|rise|increase|hike"
    r"|everything|all)"
    r"|\blosing (?:my|our|him|her|them)(?: \w+)?)(?:'s| has| had| really| just)* $", _F)
_JOKE = re.compile(r"\b(?:lol|lmao|haha\w*|jk|rofl)\b|😂|🤣", _F)
# Patterns a joke marker may defuse ("I want to die lol, the match froze");
# the explicit ones (suicide, self-harm, means, danger) it never does.
_JOKE_SOFT = frozenset({"want_die", "end_it", "not_alive"})
_NEGATION = re.compile(r"\b(?:not|never|n'?t|no way i'?d|wouldn'?t|won'?t)\s+(?:\w+\s+){0,2}$", _F)


# Hyperbole: violent words used in jest about everyday trouble. The lexicon
# never matches these (threats from someone are matched with a pronoun, "he
# said he'd kill me"), but a model reads the words, not the joke, so
# :func:`hyperbole` overrules only the model's crisis vote, never a lexicon hit.
# Two shapes: the customer "threatening" someone ("I'm going to kill my
# brother"), and someone who will "kill me if" something trivial happens
# ("my teenager will murder me if the xbox is offline").
_AGGRESSOR = re.compile(
    r"\b(?:i'?m (?:going to|gonna)|i'?ll|i will|i could|i'?d|i (?:want|wanna) to|i'?m about to)\s+(?:\w+\s+)?"
    r"(?:kill|murder|strangle|throttle|slap|shoot|wring the neck of|wring)\s+"
    r"(?!my ?self\b|myself\b)(?:my|the|him|her|them|you|your|whoever|whoever's|someone|somebody|this|that|his|their)\b",
    _F,
)
_TROUBLE = re.compile(
    r"\b(?:will|'ll|is going to|'s going to|are going to|'re going to|is gonna|'s gonna|are gonna|"
    r"would|'d|gonna)\s+(?:\w+\s+)?(?:kill|murder|strangle|throttle|skin|have my head|have my guts)"
    r"(?: me| us)?\b",
    _F,
)
# The everyday stakes of a phone, internet and retail company's customers.
_TRIVIAL = re.compile(
    r"\b(?:data|wi-?fi|internet|broadband|xbox|playstation|ps[45]|switch|console|games?|gaming|netflix|tv|telly|"
    r"phone|mobile|bill|router|signal|contract|upgrade|order|parcel|delivery|password|app|match|football|"
    r"speed|buffering|minutes|roaming|charger|screen|sim|plan|offline|online|overcharged|charged|hotspot|"
    r"streaming|stream|laptop|tablet|ipad|headphones|allowance|top ?up|credit|engineer|appointment|courier|"
    r"hold music|on hold|queue|customer service|helpline|chatbot|bot)\b",
    _F,
)
# Any of these and it is not a joke to overrule: fear, violence, secrecy, an
# ex, or the customer's own life or death.
_SERIOUS = re.compile(
    r"\b(?:scared|afraid|terrified|frightened|fear\w*|safe|unsafe|danger\w*|hurt\w*|hit|hits|beat\w*|"
    r"violen\w+|abus\w+|police|threat\w*|weapon|knife|gun|hid(?:e|ing)|escap\w+|secret\w*|"
    r"finds? out|found out|catch(?:es)? me|bruis\w+|drunk|locked|attack\w*|means it|not joking|for real|"
    r"ex|ex-\w+|my ?self|suicid\w*|die|dying|dead|death|(?<!me )(?<!us )alive|life|end it|goodbye|pills|"
    r"overdose)\b",
    _F,
)


def hyperbole(text: str) -> bool:
    """Whether violent words in ``text`` are everyday exaggeration.

    True when the customer "threatens" someone, or someone will "kill" them
    if something goes wrong, about an everyday stake (data, the wifi, a
    bill, a game), with no word of fear, violence, secrecy, an ex, or the
    customer's own life or death anywhere in the message.

    Args:
        text: The customer's message.

    Returns:
        True if the message reads as hyperbole (the caller may then overrule
        a model's crisis vote; a lexicon hit is never overruled).
    """
    norm = normalise(text)
    if not (_AGGRESSOR.search(norm) or _TROUBLE.search(norm)):
        return False
    return bool(_TRIVIAL.search(norm)) and not _SERIOUS.search(norm)


@dataclass(frozen=True)
class CrisisHit:
    """A crisis-lexicon match.

    Attributes:
        rule: The pattern's name.
        cue: The customer's clause that matched, verbatim.
        start: Where the cue starts in the message.
    """

    rule: str
    cue: str
    start: int


def _negated(clause_text: str, match: re.Match[str]) -> bool:
    # "I'm not suicidal", "I'd never hurt myself"; but the "don't want to
    # live" pattern carries its own negation, so skip that one.
    before = clause_text[: match.start()]
    return bool(_NEGATION.search(before)) and not match.group(0).lower().startswith(("don", "do not", "no "))


def find_crisis(text: str) -> CrisisHit | None:
    """Look for an explicit crisis signal.

    Args:
        text: The customer's message.

    Returns:
        The first hit (its clause as cue), or None.
    """
    norm = normalise(text)
    joking = bool(_JOKE.search(norm))
    for clause in clauses(text):
        ctext = norm[clause.start:clause.end]
        for name, pattern in _PATTERNS:
            for match in pattern.finditer(ctext):
                if _IDIOMS.search(ctext) and name not in ("self_harm", "violence", "threat", "danger"):
                    continue
                if name == "violence" and _HIT_BY_NEWS.search(ctext[:match.start()]):
                    continue
                if name == "suicide" and _THIRD_PARTY.search(ctext):
                    continue
                if joking and name in _JOKE_SOFT:
                    continue
                if name in ("suicide", "self_harm", "want_die") and _negated(ctext, match):
                    continue
                return CrisisHit(rule=name, cue=clause.text, start=clause.start)
    return None


def crisis_clause(text: str) -> Clause | None:
    """The clause that carries the crisis signal, if the lexicon finds one."""
    hit = find_crisis(text)
    if hit is None:
        return None
    return Clause(text=hit.cue, start=hit.start, end=hit.start + len(hit.cue))
