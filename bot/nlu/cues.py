"""Lexical cues for grief, overwhelm and loneliness, and the subject.

The model decides whether a message is distressed; these patterns say where
(the cue, verbatim) and about whom (the subject), and give the model a
second, lexical vote on short messages whose embedding sits near routine
ones ("nobody calls me anymore").
"""

# The lexicons are long regex alternations; breaking them mid-alternative hurts
# review more than a long line does.
# ruff: noqa: E501

from __future__ import annotations

import re

from bot.nlu.text import Clause, clauses, normalise

_F = re.IGNORECASE

_PEOPLE = (
    r"(?:late )?(?:wife|husband|partner|hubby|mum|mom|mother|mam|mummy|dad|father|daddy|son|daughter|boy|girl|"
    r"baby|child|kids?|children|brother|sister|twin(?: brother| sister)?|grandmother|grandma|gran|nan|nanna|"
    r"grandfather|grandad|granddad|grandpa|grandson|granddaughter|uncle|aunt|auntie|cousin|nephew|niece|"
    r"fianc[eé]e?|boyfriend|girlfriend|best friend|friend|best mate|mate|stepdad|stepmum|mother-in-law|"
    r"father-in-law|colleague|dog|cat|puppy|kitten|horse|pet|family|little (?:boy|girl)|ex|ex-husband|ex-wife)"
)
_SUBJECT = re.compile(rf"\b(?:my|our)\s+(?:(?:\d+ year old|beloved|dear|old|elderly|disabled|)\s*)?"
                      rf"({_PEOPLE})\b", _F)
_WORK = re.compile(r"\b(?:my|our)\s+(job|home|house|business|flat)\b", _F)
_NAMED_BY_ROLE = re.compile(rf"\b({_PEOPLE})(?:'s)?\s+(?:died|passed|is gone|has gone|funeral)", _F)

# A death long ago, or of a stranger, is administration, not grief.
_DISTANT = re.compile(r"\b(?:years|ages|decades|long) ago\b|\ba (?:long )?while (?:back|ago)\b|\blong time ago\b"
                      r"|\b(?:previous|old|former|last) (?:owners?|tenants?|occupants?|residents?)\b"
                      r"|\bperson who lived here\b", _F)

# Vetoes for cue words used about things or in jokes, checked per clause.
_NOT_DISTRESS = re.compile(
    r"\b(?:phone|battery|router|laptop|tablet|screen|line|sim|tv|modem|wifi|internet|charger|headphones|"
    r"plants?|app|box|signal|connection|deal|offer|sale|account) (?:has |had |just |is |was )?(?:died|dead|gone)\b"
    r"|\b(?:died|dying|crying|cry) (?:of |with )?(?:laugh\w*)"
    r"|\boverwhelmed by (?:all )?(?:the |your )?(?:\w+ )?(?:choices?|options|deals|range|models)"
    r"|\b(?:lol|haha\w*|lmao)\b"
    # Being alone somewhere or on something, or wanting to be left alone, is not loneliness.
    r"|\b(?:alone|on my own|by myself) (?:in|on|at|with) (?:the|this|my) (?:shop|store|queue|account|plan|contract"
    r"|bill|line|setup|set-up|counter|till)\b|\b(?:left|leave (?:me|us)|let me be) alone\b"
    # Nobody calling back is service, not isolation.
    r"|\b(?:no ?one|nobody) (?:has |ever )?(?:calls?|rings?|rang|called|gets?|got|comes?|came) (?:me )?back\b"
    r"|\b(?:no ?one|nobody) (?:has )?(?:replied|responded|answered|got in touch about)\b"
    # Drowning in or struggling with things on a screen, tired after work.
    r"|\bdrowning in (?:spam|notifications|e?mails|texts|junk|ads|adverts|marketing|messages|calls|offers)\b"
    r"|\bstruggl\w+ (?:a bit )?(?:to|with) (?:the |this |my |your )?(?:connect\w*|find\w*|log\w*|set\w*|install\w*"
    r"|pair\w*|download\w*|app|settings|menu|router|remote|website|instructions|password|printer|signal|wifi"
    r"|update|setup|set-up|login|sign\w*|work out|figure)"
    r"|\b(?:exhausted|tired|knackered|worn out) after (?:work|my shift|a long day|the gym|school)\b", _F)

_LEXICON: dict[str, re.Pattern[str]] = {
    "grief": re.compile(
        # "passed" as a death, not "passed his phone down to me" or "passed my test".
        r"\b(?:died|passed(?! (?:his|her|their|my|me|the|it|them|this|that|a|an|down|over|through|out|up"
        r"|on (?:his|her|their|my|the|it|them|this|that))\b)(?: away| on)?|passing|death|funeral|buried"
        r"|bereave\w*|widow\w*|grie(?:f|ving|ve)"
        r"|lost (?:my|our) (?!phone|sim|job|card|password|order|parcel|charger|keys|signal|connection)\w+"
        r"|lost (?:him|her)\b(?! (?:number|phone|contract|details|sim|charger|card|password|parcel|order))"
        r"|put (?:down|to sleep)|stillborn|stillbirth|born sleeping|miscarriage|is gone|'s gone|left me|walked out"
        r"|divorc\w+|separated|broke up with me|dumped me|marriage (?:has )?ended|killed in"
        # What follows a death: the body, the coroner, the ashes, condolences.
        rf"|my late {_PEOPLE}|no longer with us|didn'?t make it|life support|coroner|inquest|post[- ]?mortem"
        r"|autopsy|mortuary|morgue|undertakers?|funeral directors?|cremat\w+|(?:his|her|their|the) ashes"
        r"|graveside|headstone|memorial|condolences|(?:identif\w+|view\w*|saw|see|seeing|found|collect\w*|"
        r"release\w*|bring(?:ing)? home) (?:my \w+'s|his|her|their|the) body)\b", _F),
    "overwhelm": re.compile(
        r"\b(?:can'?t (?:cope|afford|pay|manage|deal|handle|keep up|think|breathe|face)|overwhelm\w*|struggl\w+"
        r"|too much|breaking point|end of my (?:tether|rope)|wits'? end|drowning|in tears|crying|exhausted"
        r"|redundan\w+|lost (?:my|his|her) job|laid off|made redundant|unemployed|debt\w*|bailiffs?|evict\w*"
        r"|behind on|desperate|panick?\w*|anxiety|anxious|stress(?:ed)?|burnt? out|falling apart|going under"
        r"|on top of me|diagnos\w+|cancer|chemo|dementia|carer|caring for|look(?:ing)? after my|skint|no money"
        r"|barely|terrified|frightened|sinking|exhausted|worn out|at my limit|pushed me over"
        r"|(?:choose|choosing|pick|picking) between|can'?t do (?:this|it) any ?more|(?:months|weeks) behind"
        r"|head (?:is |'s )?(?:spinning|all over)|food bank|up to my neck|losing it"
        r"|los(?:e|ing) (?:the|our|my) (?:house|home|flat)|repossess\w*|homeless|nowhere to (?:live|go|move|stay)"
        r"|don'?t know (?:where to (?:start|turn)|which (?:way to turn|one to pay|bill to pay))|stretched (?:to the limit|thin)"
        r"|frazzled|(?:haven'?t|can'?t|couldn'?t|not) slept|can'?t sleep|sleepless|worst (?:year|month|week)s? of my life"
        r"|(?:not|barely|hardly) coping|keep(?:ing)? my head above water)\b", _F),
    "loneliness": re.compile(
        r"\b(?:lonel\w+|alone|on my own|by myself|isolated|no ?one to (?:talk|chat|ask|turn)|nobody to"
        r"|(?:no ?one|nobody) (?:ever )?(?:calls|rings|visits|messages|talks|cares|comes)|no friends|no family"
        r"|only (?:one|person) (?:i'?ve|who|i have)|first person (?:i'?ve|to)|someone to (?:talk|chat|listen)"
        r"|haven'?t (?:spoken|talked) to anyone|don'?t (?:see|know) (?:anyone|a soul)|cut off from"
        r"|(?:my )?only (?:company|contact|link|lifeline)|friendly voice|nice to (?:talk|chat)|housebound"
        r"|no ?one (?:at all|else)|got (?:nobody|no one)|have (?:nobody|no one|no-one)"
        r"|(?:contact|touch) with anyone|don'?t (?:call|ring|visit) me|since anyone|talk with me"
        r"|(?:no ?one|nobody) (?:i can|to help|around)|no (?:contact|friends|visitors)|for company"
        r"|(?:no ?one|nobody) (?:has )?(?:remembered|bothers|comes|visits)|forgotten|rattle around"
        r"|(?:christmas|birthday|new year|weekends?|holidays?|evenings?|nights?) (?:on my own|alone|by myself)"
        r"|(?:anybody|anyone) (?:else )?to (?:ask|help|talk)|no ?one to see|never (?:visit|ring|call)s?"
        r"|not (?:one|a single) (?:person|soul)|hardly (?:hear from|see|speak to|talk to) (?:anyone|anybody|a soul)"
        r"|never (?:come|comes|came) (?:round|over|to see)|(?:a|any) (?:human|friendly) voice"
        r"|(?:days|evenings|nights) are (?:so )?long|(?:no ?one|nobody) would (?:even )?(?:notice|miss)"
        r"|don'?t get (?:many|any) (?:calls|visitors|visits)|my only (?:friend|company))\b", _F),
}


def lexical_category(text: str) -> dict[str, Clause]:
    """Which categories' cue words appear, with the first clause for each.

    Args:
        text: The message.

    Returns:
        Category → the clause holding its first cue (grief cues in a clause
        about a distant or stranger's death are ignored).
    """
    found: dict[str, Clause] = {}
    norm = normalise(text)
    for clause in clauses(text):
        ctext = norm[clause.start:clause.end]
        for category, pattern in _LEXICON.items():
            if category in found or not pattern.search(ctext):
                continue
            if category == "grief" and _DISTANT.search(norm):
                continue
            if _NOT_DISTRESS.search(ctext):
                continue
            found[category] = clause
    return found


def subject(text: str, cue: Clause | None) -> str | None:
    """Who or what the distress is about, in the second person.

    Args:
        text: The message.
        cue: The cue clause, searched first.

    Returns:
        E.g. "your wife", "your dog", "your job", or None.
    """
    spans = [cue.text] if cue else []
    spans.append(text)
    for span in spans:
        for pattern in (_SUBJECT, _NAMED_BY_ROLE, _WORK):
            match = pattern.search(span)
            if match:
                noun = " ".join(match.group(1).lower().split())
                noun = noun.removeprefix("late ")
                return f"your {noun}"
    return None
