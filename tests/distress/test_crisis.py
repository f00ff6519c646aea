"""The always-on crisis lexicon: explicit and indirect crisis, idioms, negation."""

from __future__ import annotations

import pytest

from bot.nlu.crisis import find_crisis, hyperbole
from bot.nlu.signs import farewell_only, find_warning

CRISIS = [
    "I want to kill myself",
    "i'm thinking about suicide",
    "I’m going to end it tonight",  # curly apostrophe
    "I don't want to be alive anymore",
    "everyone would be better off without me",
    "I've got a bottle of pills here and I'm going to take them all",
    "I've been self-harming again",
    "I keep cutting myself",
    "this is goodbye, thank you for everything",
    "I won't be around after this weekend, cancel it all",
    "there's no point in living",
    "my ex is outside and threatening me",
    "he said he'd kill me if I told anyone",
    "my husband hits me",
    "I'm scared to go home",
    "someone is stalking me",
    "he's got a knife",
    "I took an overdose",
    "I'm standing on the bridge",
    "Wife gone, job gone. I want to die.",
    "honestly I see no way out except dying",
    "I don't feel safe in my own home",
    "my partner will kill me if she finds out I called",
    "it will all be over soon, so the bill doesn't matter",
    "the news hit me hard and then he hit me",
    # Indirect: finality and goodbyes, plans described, other grammar, control.
    "if nobody hears from me tomorrow, the password is in the drawer",
    "after I'm gone can my brother take over the number",
    "you can cancel it all, I won't be needing a phone where I'm going",
    "I've written letters to my kids and put them on the table",
    "tell my sister it wasn't her fault",
    "sorry for everything, I won't bother anyone again",
    "how many of my mum's tablets would it take, asking for myself",
    "the engine's running and the garage door is shut",
    "I've been collecting my prescriptions for weeks and not taking them",
    "I'm sitting by the train tracks",
    "im so tired of living honestly",
    "i wish i could just not wake up tomorrow",
    "i not want live anymore, very tired of all",
    "thinking about unaliving myself tbh",
    "everyone will be happier when I'm not around",
    "my husband tracks my phone and I'm frightened to go home",
    "he checks every message and says I'll regret it if I talk to anyone",
    "my ex keeps texting that he knows where I live now",
    "she took my phone and won't let me leave the house",
    "can you change my address. also I have the rope ready",
    "my ex is stalking me with texts and I'm scared",
    "they are threatening me with court and I'm scared for my life",
    "this is my last message",
    "I won't be here for much longer",
    "I've overdosed on my pills",
    # Said plainly in other words.
    "thinking I might just end myself tbh",
    "can't be bothered with life any more, just cancel everything",
    "I've been typing goodbye texts to my friends all night",
    "i want to end it all tonight, the broadband doesn't matter",
    # Colleagues or students named beside a goodbye do not make it a farewell at work.
    "goodbye forever, my coworkers will manage without me",
    "I've written goodbye letters to my kids and my colleagues",
    "saying goodbye to everyone because I can't do this any more, my students deserve better",
    "the goodbye note is on my desk, today is my last day",
    # Self-harm told as a relapse, and wishing to vanish "for good".
    "been cutting again and there's blood on the screen, is that covered",
    "I've been cutting again since the bills started",
    "i keep wishing i could just disappear for good",
    # A move ruled out does not make "won't be here" a move.
    "Can you close the wifi? I'm not moving, I just won't be here.",
    # Reasons left to live, this earth, means counted out, marks on the skin.
    "the only reason I'm still here is my dog",
    "if they take the house I'm not staying on this earth",
    "I've got enough of my insulin to make it stop",
    "scratched my arms until they bled again last night",
    "I'm taking myself out of the picture, send the bill to my dad",
    # Danger as a refuge, papers taken, a phone kept from the customer.
    "we're in a refuge now and he can't know the new number",
    "he took my passport and I'm not allowed out",
    "my boyfriend won't give my phone back, I'm on a friend's laptop",
]

NOT_CRISIS = [
    "this plan is killing me",
    "my battery died",
    "I'm dying to get the new phone",
    "the wifi is dead",
    "I could kill for a faster connection",
    "this bill is murder",
    "my phone is suicidal lol it keeps restarting",
    "the router died in the storm",
    "I want to die of embarrassment, wrong colour again",
    "my wife will kill me if the wifi isn't back tonight",
    "kill the old contract please",
    "I want to end my contract",
    "I'd like to say goodbye to my old number and port a new one",
    "the courier is outside, can he leave it next door",
    "I'm not suicidal, just fed up with the buffering",
    "our son died by suicide last year and his line is still open",
    "I got killed in fortnite because of your lag",
    "my tablet is dead, can I take it to the store",
    "I'll take the tablets in the blue case, the 64GB ones",
    "there's no way out of this contract without a fee",
    "I'm thinking of dying my hair blue, does face id still work",
    "stop",
    "",
    "losing my mum has hit me hard, I need to close her account",
    "the price rise really hit me, can I downgrade",
    # Everyday finality, plans, tiredness and tracking.
    "cancel it please, I won't need it after I move to Canada",
    "after I'm gone on holiday who can reset the router",
    "I won't be around on Saturday, reschedule please",
    "if I'm not home tomorrow can the courier leave it with a neighbour",
    "this is the last time I'm calling about this broadband",
    "how many gigs would it take to stream the whole season",
    "I'm sitting in the car with the engine running waiting for the store to open",
    "I'm so tired of living with this slow wifi",
    "I bought a rope light with the order and it's missing",
    "take them all off the account except mine",
    "I want to end it, the contract, not renewing",
    "end it now please, cancel the roaming add-on",
    "I'm afraid to go home without the new charger, the kids will riot",
    "can my partner see my location on the shared plan",
    "he won't let me leave the shop without the cheaper plan haha",
    "you're threatening to cut me off over one late payment",
    "stop threatening me with debt collectors, I paid",
    "the sales team are basically stalking me with calls, make them stop",
    "I've overdosed on streaming this month, my data's gone lol",
    "this is my last message before I go to the shop, can you hold the phone for me",
    "I won't be here next month, I'm on a work placement in Dubai, can I pause the line",
    "I won't be around for a while, I'm travelling for six months, suspend my plan",
    # Everyday uses of the same words: a thing that "is suicide" or will "die
    # trying", ending every service, an app that locks me out, asking for an
    # offer, and goodbyes at work.
    "gaming on this connection is suicide, the ping is awful",
    "dropping the loyalty discount is commercial suicide if you ask me",
    "will the internet die trying to download a 120GB update",
    "end it all: the broadband, the TV and both mobiles, we're moving in with my daughter",
    "every time I try to pay the bill the app locks me out",
    "hit me with your cheapest broadband deal",
    "writing goodbye emails to my colleagues, last day Friday, can I keep the work number",
    "sending goodbye texts to everyone before moving abroad, can I pause my line",
    "writing goodbye messages to the team, leaving the company Friday, can the work number move to me",
    # A line that keeps cutting out, every service ended, a trip.
    "the signal keeps cutting out again, third time today",
    "my broadband has been cutting again all evening",
    "Switching provider. How do I end it all with you lot? Broadband, landline, the works.",
    "End it! End the contract! Three months of rubbish service.",
    "Please close my account, I'm going travelling for a year and won't be around.",
    "tonight's the night, the big match, please make sure the sports channel works",
    "I have enough tablets for the month, is there a pill reminder app?",
    "my son died of an overdose last year, please close his line",
    "scratched my phone screen again, is that covered",
    "the only thing keeping me going today is coffee and this chat",
    "we stayed in a refuge-style hostel on the trip, the wifi was awful",
]

# Warning signs of suicide that name nothing: they only lower the model's bar.
WARNING = [
    ("is it possible to give my phone to my best mate after im dead", "after_death"),
    ("I've given my dog to my neighbour and my bike to my nephew", "giving_away"),
    ("I'm putting my affairs in order. Please make my son the account holder.", "affairs"),
    ("Don't bother with the payment plan. After tonight it won't matter.", "wont_matter"),
    ("I have been unwell for a long time and I do not intend to continue.", "not_continue"),
    ("ive written the letters, now I just need to sort the line", "letters"),
    ("I've made arrangements. Please close the account on Friday.", "plan_made"),
    ("If something happens to me this week, will my wife keep the price?", "without_me"),
    ("got everything ready for tonight, just checking the payment cleared", "ready"),
    ("I'm writing my logins down so my sister can close my accounts", "someone_else_closes"),
]

NOT_WARNING = [
    "I'm giving away my old phone to my niece, how do I wipe it",
    "Putting my affairs in order before I retire, can I merge my three lines",
    "I've put all my affairs in order before the move: final bill to the new address please",
    "Sorry, don't mean to go on. Can you check my bill?",
    "I don't plan to go on holiday this year, cancel the roaming add-on",
    "it won't matter which plan I pick, will it?",
    "after Friday it won't matter what router I use, the fibre is coming",
    "I've made the arrangements for mum's funeral, now her phone",
    "got everything ready for the engineer on Tuesday",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_is_found(text: str) -> None:
    hit = find_crisis(text)
    assert hit is not None, text
    assert hit.cue in text
    assert text[hit.start:hit.start + len(hit.cue)] == hit.cue


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_idioms_and_routine_are_not_crisis(text: str) -> None:
    assert find_crisis(text) is None, find_crisis(text)


def test_cue_is_the_clause_not_the_request() -> None:
    hit = find_crisis("Please cancel my line. I don't want to live anymore")
    assert hit is not None
    assert hit.cue == "I don't want to live anymore"


HYPERBOLE = [
    "I'm gonna kill my husband, he's used the whole data allowance on football",
    "my daughter will murder me if her phone isn't fixed before the party",
    "I could throttle the engineer, he never turned up",
    "mum will skin me alive if the broadband is off again",
]

NOT_HYPERBOLE = [
    "my husband will kill me if he finds out I called",  # secrecy
    "I'm going to kill myself over this bill",  # the customer's own life
    "I'm scared my ex will kill me if he sees my new phone",  # fear, an ex
    "my dad will kill me, he hits me when the wifi is off",  # violence
    "my brother will kill me",  # no everyday stake
    "this plan is killing me",  # not a threat at all (and never crisis)
    "she said she'll kill herself and then me if I leave, she reads my phone",  # a life at stake
    "he says he'll kill us both if I take the baby, he tracks my phone",
]


@pytest.mark.parametrize("text", HYPERBOLE)
def test_everyday_hyperbole_is_recognised(text: str) -> None:
    assert hyperbole(text)
    assert find_crisis(text) is None


@pytest.mark.parametrize("text", NOT_HYPERBOLE)
def test_threats_with_fear_violence_or_self_are_not_hyperbole(text: str) -> None:
    assert not hyperbole(text)


def test_no_crisis_wording_reads_as_hyperbole() -> None:
    # hyperbole() only ever overrules the model, but it must not fit real crisis wording either.
    assert [t for t in CRISIS if hyperbole(t)] == []


@pytest.mark.parametrize(("text", "rule"), WARNING)
def test_warning_signs_are_found(text: str, rule: str) -> None:
    hit = find_warning(text)
    assert hit is not None and hit.rule == rule, text
    assert hit.cue in text
    # A sign alone is not the lexicon's verdict: the model must lean too.
    assert find_crisis(text) is None, text


@pytest.mark.parametrize("text", NOT_WARNING)
def test_ordinary_lives_are_not_warning_signs(text: str) -> None:
    assert find_warning(text) is None, text


def test_a_reason_ruled_out_does_not_veto_the_sign() -> None:
    assert find_warning("I've given my cat to my neighbour before the move") is None
    hit = find_warning("I've given my cat to my neighbour. No, I'm not moving.")
    assert hit is not None and hit.rule == "giving_away"


@pytest.mark.parametrize("text", ["night night", "ok thanks, bye x", "Night night, thanks for your help!",
                                  "cheers mate, see ya later", "thank you, goodbye"])
def test_a_plain_farewell_is_only_a_farewell(text: str) -> None:
    assert farewell_only(text)


@pytest.mark.parametrize("text", ["thank you for everything, goodbye", "goodbye forever", "bye world",
                                  "goodnight, I won't be here in the morning", "take care of my cat",
                                  "have a good life, bye", "thanks", "ok", ""])
def test_finality_or_no_farewell_at_all_is_not_a_plain_farewell(text: str) -> None:
    assert not farewell_only(text)


def test_training_crisis_examples_are_never_a_plain_farewell(training_examples) -> None:  # type: ignore[no-untyped-def]
    assert not [text for text, label in training_examples if label == "crisis" and farewell_only(text)]
