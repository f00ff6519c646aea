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
                r"|\bend(?:ing)? my (?:own )?life\b|\bkill(?:ing)? my ?self\b|\bkms\b"
                r"|\bunaliv\w*|\bsewer ?slide\b|\bsuicidle\b|\bkil+ my ?self\b|\bk\*ll my ?self\b"
                r"|\b(?:finish|finishing|stop|stopping) my (?:own )?life\b|\bend(?:ing)? my ?self\b"),
    ("end_it", r"\b(?:end|ending|finish) (?:it all|things|everything|it)\b(?= ?(?:tonight|today|now|"
               r"for good|soon|this weekend|$|[.!,]))|\bend it all\b"
               r"|\b(?:it'?ll|it will|it'?s going to) all be over (?:soon|tonight|today|by tomorrow)\b"),
    ("not_alive", r"\b(?:don'?t|do not|no longer) (?:want|wish) to (?:live|be alive|exist|wake up|"
                  r"be here (?:any ?more|tomorrow)|go on|carry on)\b|\bwant to stop existing\b"
                  r"|\b(?:want|wanna|wish|wishing|wished)(?: (?:to|i could|i can|i would))? (?:just )?(?:disappear|vanish|go to sleep) (?:forever|for good|and never (?:wake|come back))"
                  r"|\b(?:dont|don'?t|do not|not|no) (?:want|wanna|wanting)(?: to)? (?:live|be alive|exist)\b"
                  r"|\b(?:dont|don'?t|do not) (?:want|wanna) (?:to )?be here (?:any ?more|no more|any longer)\b"
                  r"|\b(?:tired|sick|exhausted) of (?:living|being alive|life|existing)\b(?! (?:with|in|on|at|under|without)\b)"
                  r"|\bhate being alive\b|\bwish i (?:didn'?t|did not) exist\b|\bwant to not exist\b"
                  r"|\b(?:sleep|go to sleep) and (?:never|not) wake(?: up)?\b|\b(?:hope|wish) i (?:don'?t|never|do not|won'?t) wake up\b"
                  r"|\b(?:wish i could|want to|wanna) (?:just )?(?:not|never) wake up\b"
                  r"|\bnothing (?:left )?to live for\b|\bno reason to (?:live|be alive|keep living)\b"
                  r"|\b(?:only|sole) reason (?:why )?(?:i'?m|i am) still (?:here|alive|around)\b"
                  r"|\bnot (?:staying|stay|be|going to be|gonna be) on this earth\b|\blast day on earth\b|\bon earth i mean\b"
                  r"|\btak\w* myself out of the picture\b|\bnot (?:sure|certain) i'?ll (?:still )?be alive\b"
                  r"|\bwant (?:to )?out of (?:life|this life|living)\b|\bgiven up on life\b"
                  r"|\bcan'?t be bothered (?:any ?more )?(?:with (?:life|living|being alive)|(?:to )?(?:live|living|be alive|exist))\b"),
    ("want_die", r"\b(?:want|wanna|going) to die\b|\bwish i (?:was|were) dead\b|\brather be dead\b"
                 r"|\bbetter off dead\b|\bready to die\b"
                 r"|\b(?:only|no) way out\b.{0,20}\b(?:dying|death|die|dead|end it)\b"
                 r"|\b(?:think|thinking|thought) (?:about|of) (?:dying|being dead|death)\b"),
    ("burden", r"\bbetter (?:off )?without me\b|\bbetter off if i (?:was|were)n'?t\b"
               r"|\b(?:nobody|no one|no-one) would (?:care|notice|miss me)\b.{0,25}\b(?:died|dead|gone)\b"
               r"|\bnobody would miss me\b|\bif i (?:was|were) gone\b"
               r"|\b(?:happier|relieved|better|easier)\b.{0,20}\b(?:if|when|once) i(?:'?m| am| was| were)? (?:just )?"
               r"(?:not (?:here|around|alive)|gone|dead|disappeared|died|wasn'?t (?:here|around))\b"
               r"|\bwon'?t (?:bother|trouble|burden) (?:anyone|anybody|you|people|my family) (?:again|any ?more|much longer|for much longer)\b"
               r"|\bwon'?t be a (?:burden|problem|bother) (?:to anyone )?(?:for )?(?:much|any) longer\b"
               r"|\bno one will miss me\b|\bnobody will (?:miss|notice) (?:me|when i'?m gone)\b"),
    ("no_point", r"\bno (?:point|reason|purpose) (?:in |to |for me to )?(?:living|live|going on|carrying on|"
                 r"keep going|be alive|being alive|being here)\b"
                 r"|\b(?:life|living)(?: is|'s| isn'?t| is not)(?: not)? worth (?:living|it)\b|\bdone with life\b"
                 r"|\bhad enough of (?:life|living)\b|\bpain to stop for good\b"
                 r"|\b(?:don'?t|can'?t) see (?:the|any) point (?:in|of) (?:living|going on|carrying on|life)\b"
                 r"|\bwhat'?s the point (?:in|of) (?:living|going on|carrying on|life|being alive)\b"
                 r"|\bwant (?:it|this|everything) (?:all )?to (?:be over|stop|end) (?:permanently|for good|forever)\b"
                 r"|\bwant it all to be over\b|\bcan'?t go on (?:any ?more|any longer)\b"
                 r"|\bwant everything to (?:stop|end)$|\bcan'?t keep living (?:like this|this way)\b"
                 r"|\b(?:death|dying) (?:seems|is|feels like) (?:like )?the only (?:way out|answer|option)\b"),
    # Means and plans.
    ("means", r"\b(?:overdos(?:e|ed|ing)|paracetamol|drank bleach|sleeping pills)\b"
              r"|\b(?:took|taken|take|swallow(?:ed)?) (?:all|too many|a (?:load|lot|handful|bottle) of)\b"
              r"|\b(?:stockpil|sav|hoard)(?:e|ed|ing)(?: up)? (?:my )?(?:pills|tablets|medication|meds)\b"
              r"|\b(?:bottle of|box of|handful of) (?:pills|tablets)\b|\bpills (?:in front|ready)\b"
              r"|\benough (?:of )?(?:my |the |his |her )?(?:\w+ )?(?:pills|tablets|meds|medication|insulin|paracetamol)\b(?= to (?:make it stop|end|do it|not wake|die|finish))"
              r"|\b(?:hang(?:ing)? my ?self|the rope|a rope)\b(?! lights?)|\btake (?:them|it) all\b(?! (?:off|out|back|away|to|in)\b)"
              r"|\b(?:i have|i'?ve got|got) a gun\b|\bmade (?:my|a) plan\b.{0,30}\b(?:tonight|today|doing it)\b"
              r"|\b(?:jump(?:ing)?|step(?:ping)?) (?:off|from|in front of)\b"
              r"|\b(?:standing|stood|sitting) on (?:the|a) (?:bridge|ledge|roof|edge)\b|\bcliff edge\b"
              r"|\bon the roof and\b|\b(?:crash|drive) (?:my|the) car (?:on purpose|into)\b|\bdrive into a\b"
              r"|\b(?:gun|knife|blade)\b.{0,40}\bmy ?self\b|\bmy ?self\b.{0,30}\b(?:gun|knife|blade)\b"
              r"|\bhow many (?:of )?(?:[\w']+ ){0,3}(?:pills|tablets|paracetamol|painkillers|meds|sleeping \w+)\b.{0,30}\b(?:take|need|too many|kill|die)\b"
              r"|\bhow (?:many|much)\b.{0,40}\b(?:to (?:die|not wake|never wake|be fatal|be lethal|kill (?:me|someone|a person))|lethal|fatal dose)\b"
              r"|\b(?:look(?:ing|ed)? up|googl\w+|research\w*|read(?:ing)? (?:up )?(?:on |about )?)\b.{0,40}"
              r"\b(?:ways? to (?:die|kill)|painless|how to (?:die|end it|kill)|not wake up|overdose|lethal)\b"
              r"|\b(?:engine|car)(?:'s| is)? running\b.{0,40}\b(?:garage|doors? (?:is |are )?(?:shut|closed))\b"
              r"|\bgarage\b.{0,40}\b(?:engine|car)(?:'s| is)? running\b|\bhose\b.{0,20}\bexhaust\b"
              r"|\b(?:sitting|standing|waiting|lying|sat|stood) (?:on|by|near|at|next to|beside) (?:the )?(?:train |railway |rail )?(?:tracks|railway line|rail line)\b"
              r"|\b(?:collect|sav|hoard|stockpil|keep)\w* (?:up )?(?:all )?(?:my )?(?:pills|medication|meds|prescriptions?)\b.{0,30}\b(?:instead|not taking|weeks|months|enough|lot)\b"
              r"|\b(?:walk|walking|go|going) (?:out )?into the (?:sea|river|lake|ocean|water)\b|\bswim out\b.{0,20}\b(?:can'?t|never|not) come back\b"
              r"|\b(?:tied|tie|got) (?:the|a) (?:rope|noose)\b|\bnoose\b|\brope (?:ready|is ready|up)\b"
              r"|\b(?:bought|got|have) (?:the |some |a )?(?:rope|razor blades?|paracetamol)\b.{0,40}\b(?:tonight|ready|do it|going to do|end)\b"),
    ("self_harm", r"\bself[- ]?harm|\b(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|injur(?:e|ing)) "
                  r"my ?self\b|\bkeep myself safe\b|\bdo something stupid\b"
                  # The customer cutting, not a line that keeps cutting out.
                  r"|\b(?:i'?ve|i have|i|i'?m|i am|started|start|keep)\s+(?:been\s+|started\s+)?cutting again\b|^(?:been|started) cutting again\b"
                  r"|\b(?:scratch\w*|cut|cutting|burn\w*|scrap\w*) (?:up )?my (?:arms?|wrists?|legs?|thighs?|skin)\b.{0,30}\b(?:until|till|again|bleed\w*|deeper)\b"
                  r"|\b(?:scratched|cut|scraped) my (?:arms?|wrists?|legs?) up again\b|\bcut deeper\b|^sh again\b|\bsh again last night\b"),
    ("goodbye", r"\bthis is (?:my )?goodbye\b|\bgoodbye (?:everyone|forever|world|all)\b"
                r"|\bsaying goodbye (?:to everyone|to you all|because|for good)\b|\b(?:this is |my )last message\b(?! (?:before|for (?:today|now|tonight)|today|until|till|of the day|on (?:this|the) (?:topic|subject|matter))\b)"
                r"|\b(?:won'?t|will not|not going to|not gonna) be (?:here|around|alive)\b"
                r"(?! (?:for|on|at|in|when|this|next|between|until|till|from|to|during|over|all|that) ?(?:the|a|my|your)?\s*(?:delivery|engineer|parcel|appointment|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week|fortnight|month|year|day|morning|afternoon|evening|holiday|home|house|summer|christmas|installation|visit|time|slot|while|bit|few|couple|\d))"
                r"|\b(?:after|when|once) i'?m gone\b(?! (?:on|to|for|away|abroad|travelling|back|out|at|in)\b)|\b(?:suicide|goodbye) note\b|\bwritten (?:my|a) note\b"
                r"|\bwon'?t need (?:any of )?(?:it|this|them) after (?:tonight|today|this)\b"
                r"|\btell (?:my|the) \w+ (?:that )?(?:i love (?:them|her|him|you)|i'?m sorry|goodbye)\b"
                r"|\bwritten letters? (?:for|to) my\b|\bgave (?:my \w+|everything) away\b.{0,30}\bgoodbye\b"
                r"|\b(?:written|wrote|left) (?:a |my )?(?:letters?|notes?) (?:for|to) (?:everyone|everybody|each of|my (?:kids|children|family|mum|mom|dad|wife|husband|partner|son|daughter|sister|brother|parents))\b"
                r"|\btell (?:my|the) [\w']+ (?:that )?(?:it wasn'?t|it'?s not|it is not|it was not) (?:her|his|their|your) fault\b"
                r"|\bthe last time (?:you'?ll|you will|anyone will|anyone'?ll) (?:ever )?(?:hear from|see|talk to|speak to) me\b"
                r"|\blast time i(?:'ll| will)? (?:ever )?(?:contact|message|talk to|speak to|write to) (?:you|anyone)\b(?! (?:about|regarding|re|over|for)\b)"
                r"|\bif (?:nobody|no one|no-one|you don'?t|anyone doesn'?t) hears? from me\b"
                r"|\bif i'?m not (?:here|around|alive) (?:tomorrow|tonight|next week|by|after|in the morning)\b"
                r"|\bby the time you read this\b|\bbefore i go for good\b|\bwon'?t be calling (?:again|anyone again)\b.{0,20}\bsorry\b"
                r"|\bwon'?t (?:be )?need(?:ing)? (?:a |my |the |any )?[\w']+ where i'?m going\b"
                r"|\bwon'?t (?:be )?need(?:ing)? (?:any of )?(?:it|this|them|the contract|a phone|my phone|the line) after (?:tonight|today|this weekend|tomorrow)\b"
                r"|\b(?:gave|given|giving) (?:away )?(?:all )?my (?:things|stuff|belongings|possessions)\b"
                r"|\bsorry for everything\b.{0,40}\b(?:goodbye|won'?t|gone|anymore|any more|again)\b"
                r"|\btonight is the night\b|\bmade (?:my )?peace\b.{0,30}\b(?:goodbye|go|ready|it)\b"
                r"|\b(?:writ\w*|wrote|sen[dt]\w*|typ\w*|record\w*|left) (?:my |some |the |a few )?goodbye (?:messages?|letters?|notes?|texts?|videos?|emails?)\b"),
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
                 r"abuses|abused|raped|pushed|shoved|grabbed|threw \w+ at|throws \w+ at|kicks|punches|slaps|strangles|chokes) me\b|\bby the throat\b|\bbeat me up\b|\b(?:being|been) (?:abused|beaten|hit)\b"
                 r"|\bdomestic (?:violence|abuse)\b|\b(?:violent|abusive) (?:partner|husband|wife|boyfriend|"
                 r"girlfriend|ex|dad|father|relationship)\b|\b(?:he|she|partner|husband|boyfriend) is violent\b"
                 r"|\b(?:hits|hit|beats) my (?:mum|mom|mother|sister|brother)\b|\blocked me in\b"),
    ("danger", r"\b(?:scared|afraid|frightened|terrified|fear) (?:for my (?:life|safety)|to go home(?! without)|of (?:him|her|"
               r"my (?:husband|partner|ex|boyfriend|girlfriend|dad|father|stepdad)))\b"
               r"|\bnot safe (?:at home|here|tonight|with him|with her)\b|\bi'?m not safe\b|\bin danger\b"
               r"|\b(?:don'?t|do not|never) feel safe (?:at home|here|in my (?:own )?(?:home|house|flat)|with him|with her)\b"
               r"|\b(?:stalking|stalks|stalked) me\b|\b(?:following|followed) me\b.{0,40}\b(?:scared|afraid|"
               r"terrified|frightened)\b|\b(?:being|been) followed\b|\bhiding (?:from|in the)\b"
               r"|\b(?:broke|breaking|trying to (?:get|break)) in\b|\b(?:has|got) a (?:knife|gun|weapon)\b"
               r"|\bwith a (?:knife|gun|weapon)\b|\boutside\b.{0,40}\b(?:threaten\w*|won'?t leave|scared|"
               r"terrified|screaming|banging)\b"
               r"|\b(?:scared|afraid|frightened|terrified) to (?:go back|go home|return)\b(?! without)"
               r"|\b(?:scared|afraid|frightened|terrified) (?:to be|of being) (?:at home|home|alone with (?:him|her))\b"
               r"|\b(?:track|tracks|tracking|tracked|monitors?|monitoring|checks?|checking|reads?|reading|watches|watching|controls?|controlling)\b"
               r".{0,50}\b(?:scared|afraid|frightened|terrified|threaten\w*|regret|be sorry|pay for (?:it|this))\b"
               r"|\b(?:scared|afraid|frightened|terrified)\b.{0,50}\b(?:tracks|tracking|tracker|reads (?:all|every)|checks (?:all|every)|monitors|controls)\b"
               r"|\b(?:says?|said|told me|texts?|texted|warned|threatens?)\b.{0,40}\b(?:i'?ll|i will|i'?d|i would) (?:regret it|be sorry|pay for (?:it|this))\b"
               r"|\b(?:knows?|found out|find out) where i (?:live|am staying|'?m staying|sleep|am)\b"
               r"|\bwon'?t let me (?:leave|out of|go out|go outside)\b(?! (?:the )?(?:shop|store|queue|call|chat|contract))"
               r"|\b(?:locks?|locked|locking) me (?:in|out)\b|\b(?:take|takes|took|taken) my phone (?:so|away so|and won'?t)\b"
               r"|\bwill find me\b|\b(?:he|she)(?:'ll| will) find me\b"
               r"|\b(?:in|at|to|from) a (?:women'?s )?refuge\b(?![-\w])|\bescaped (?:a|an|my|from (?:a|an|my)) (?:\w+ )?(?:dangerous|abusive|violent|controlling)\b"
               r"|\b(?:takes|took|keeps|kept|has|have|taken) my (?:passport|documents|papers)\b|\btook my (?:id|documents) and\b"
               r"|\b(?:won'?t|wouldn'?t|will not|refuses to) give (?:me )?my phone back\b|\b(?:shoves|pushes|shouts and pushes) me\b"
               r"|\b(?:he|she|they) gets? violent\b|\blocked in (?:a|the|my|this) (?:flat|room|house|apartment)\b"),
]]

# An ordinary reason ("putting my affairs in order before the move", "won't
# be around, I'm going travelling") vetoes a warning sign (bot.nlu.signs) and
# "won't be here/around".
_ORDINARY_REASON = re.compile(
    r"\b(?:before|for|after) (?:the|my|our) (?:move|retirement|trip|holiday|expedition|operation|surgery|wedding)\b"
    r"|\b(?:before|once|when|while|because) (?:i|we)(?:'m| am|'re| are)? (?:move|moving|retire|retiring|emigrate|"
    r"emigrating|relocate|relocating|away|abroad|travelling|traveling)\b|\btax year\b"
    r"|\bmoving (?:abroad|away|overseas|house|out|in with|to)\b|\bemigrat\w+"
    r"|\bgoing (?:travelling|traveling|abroad|overseas|away)\b|\bgap year\b", _F)
# "Not moving house before you ask": a reason the customer rules out counts for nothing.
_REASON_DENIED = re.compile(r"\b(?:not|n'?t|never|no)\W+(?:\w+\W+)?(?:moving|move|going|retiring|relocating|"
                            r"emigrating|travelling|traveling|a move|a holiday|a trip)\b", _F)


def ordinary_reason(norm: str) -> bool:
    """Whether ``norm`` (normalised) gives an everyday reason (a move, a trip, retiring) it does not rule out."""
    return bool(_ORDINARY_REASON.search(norm)) and not _REASON_DENIED.search(norm)

# Vetoes, checked on the matched clause: the phrase is about a thing, a game
# or a joke, not the customer's life.
_IDIOMS = re.compile(
    r"\b(?:phone|router|battery|laptop|tablet|app|box|tv|wifi|modem|computer|device|screen|it)(?:'s| is| keeps"
    r"| was)? (?:\w+ )?(?:suicidal|killing (?:it|its)self)\b"
    r"|\b(?:dy(?:e|ing)|died) (?:my|her|his|their|the) hair\b"
    r"|\bdie (?:of|from) (?:embarrassment|shame|laughing|boredom|curiosity)\b|\b(?:died|dying) (?:of )?laughing\b"
    r"|\bdie trying\b|\b(?:commercial|financial|career|social|political|professional|corporate|brand) suicide\b"
    # Something everyday that "is suicide" (streaming on this router); not "the only way out is suicide".
    r"|\b(?:stream\w*|gam\w*|download\w*|buffer\w*|upload\w*|router|broadband|wi-?fi|internet|signal|network|app|"
    r"this (?:phone|plan|deal|contract|tariff|offer|price))\b.{0,40}\bis (?:\w+ )?suicide\b"
    r"|\bsuicide (?:squad|doors?|run|mission|king)\b|\b(?:game|fortnite|raid|match|level|round)\b"
    r"|\b(?:app|phone|router|battery|line|sim|screen|wifi|contract|subscription|trial|call|plan|broadband|internet|"
    r"connection|laptop|tablet|console|xbox|modem|network|signal|charger|printer|headphones|earbuds|speaker)\b.{0,15}"
    r"\b(?:dead|died|die|dying)\b"
    # A company "threatening" to cut the service off.
    r"|\b(?:you|they|you'?re|they'?re|the (?:letter|text|email|bill)|it)(?: are| is)? threaten\w* (?:me )?(?:with|to "
    r"(?:cut|disconnect|cancel|charge|send|suspend|close|block|take me to court))\b"
    # Overdoing something everyday.
    r"|\boverdos\w* on (?:\w+ ){0,2}(?:streaming|netflix|tv|telly|data|box ?sets?|youtube|tiktok|series|shows?|episodes|"
    r"games?|gaming|coffee|caffeine|sugar|chocolate|cake|sweets|screen time)\b",
    _F,
)
# Being chased by a company ("stop threatening me with debt collectors", "the
# sales team are stalking me with calls") is not danger from someone, unless
# the message speaks of fear or harm. Checked for the threat and danger rules.
_PESTERED = re.compile(
    r"\b(?:threaten\w*|stalk\w*|harass\w*|hound\w*) (?:me|us) with (?:\w+ ){0,2}(?:calls|phone calls|emails|texts|"
    r"messages|letters|offers|ads|adverts|marketing|spam|debt collectors?|bailiffs|court|fees|charges|fines?|"
    r"late (?:fees|charges)|disconnection|legal action|collections?|upgrade offers|surveys)\b", _F)
_FEAR = re.compile(r"\b(?:scared|afraid|terrified|frightened|fear\w*|unsafe|safe|danger\w*|hurt\w*|kill\w*|"
                   r"violen\w+|police|weapon|knife|gun|hid(?:e|ing)|ex|ex-\w+)\b", _F)
# Someone else's suicide is grief, not the customer's crisis.
_THIRD_PARTY = re.compile(
    r"\b(?:died by|committed|death by|lost (?:him|her|them) to) suicide\b|\btook (?:his|her|their) own life\b"
    r"|\b(?:died|death|passed away)\b.{0,20}\boverdos\w*", _F
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
# "I want to end it, the contract": a bare "end it" about a contract is not the customer's life.
_END_CONTRACT = re.compile(r"^(?: now)?(?: please)?[ ,.!]+(?:the |my |i mean |cancel |end |not renewing)*"
                           r"(?:\w+ )?(?:contract|subscription|add-on|addon|membership|deal|trial|plan|renewal|not renewing)", _F)
# "End it all: broadband, TV and both mobiles": ending every service, not a life.
# Only a list of services right after it, in the same sentence: "end it all,
# the phone company is the least of my worries" is not vetoed.
_END_SERVICES = re.compile(
    r"^[\s,:;–—-]{0,4}(?:(?:with|you|guys|lot|people|folks|the|my|our|i mean|cancel|all|every|of|it|both)\W+)*"
    r"(?:contracts?|subscriptions?|add-?ons?|memberships?|deals?|plans?|broadband|tv|landline|mobiles?|lines?|"
    r"accounts?|services?|packages?|bundles?|internet|phones?|sims?)\b(?=\s*(?:[,;&/.!?(]|and\b|plus\b|$))", _F)
# An app, an account or a system that "locks me out" is not someone keeping the customer out.
_LOCKED_BY_THING = re.compile(
    r"\b(?:it|app|account|system|site|website|portal|phone|bank|card|password|pin|computer|laptop|screen|"
    r"you)\s+(?:(?:just|always|then|now|has|had|have|keeps|is|has now|has just)\s+)?"
    r"(?:locks|locked|locking) me out\b", _F)
# "Hit me with your best offer", "hit me up": the customer asking, not someone hitting them.
_HIT_ME_ASK = re.compile(r"^\W*(?:(?:please|pls|just|so|ok|okay|go on|come on|then|and|right)\W+)*hit me\b"
                         r"|\bhit me up\b", _F)
# Goodbye messages on a last day at work, or before a move, are a farewell,
# not a goodbye to life. Only the event counts: colleagues or students alone
# are people someone in crisis may also write to, and a goodbye "forever", to
# "the world", "for good" or in a note is never vetoed.
_FAREWELL = re.compile(r"\b(?:last day|retir\w+|leaving do|farewell (?:party|do|lunch|card)|new job|"
                       r"emigrat\w+|moving (?:abroad|away|overseas|house|out)|leaving (?:the|my) "
                       r"(?:job|company|firm|team|office|school))\b", _F)
_FINAL_GOODBYE = re.compile(r"\b(?:forever|world|for good|note)\b", _F)
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
    r"overdose|(?:him|her|them|your|our)sel(?:f|ves)|us both|both of us)\b",
    _F,
)


def idiom(text: str) -> bool:
    """Whether ``text`` (a clause) holds an everyday idiom of death ("die of embarrassment", "my battery died")."""
    return bool(_IDIOMS.search(normalise(text)))


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
                if name in ("threat", "danger") and _PESTERED.search(ctext) and not _FEAR.search(norm):
                    continue
                if name == "violence" and (_HIT_BY_NEWS.search(ctext[:match.start()])
                                           or _HIT_ME_ASK.search(ctext)):
                    continue
                if (name == "danger" and match.group(0).lower().startswith("lock")
                        and _LOCKED_BY_THING.search(ctext)):
                    continue
                if (name == "goodbye" and "goodbye" in match.group(0).lower()
                        and not _FINAL_GOODBYE.search(match.group(0)) and _FAREWELL.search(norm)):
                    continue
                if (name == "goodbye" and match.group(0).lower().startswith(("won", "will not", "not go"))
                        and "alive" not in match.group(0).lower() and ordinary_reason(norm)):
                    continue
                if name in ("suicide", "means") and _THIRD_PARTY.search(ctext):
                    continue
                if joking and name in _JOKE_SOFT:
                    continue
                if name == "end_it":
                    after = norm[clause.start + match.end():]
                    bare = match.group(0).lower() in ("end it", "finish it")
                    if _END_SERVICES.search(after) or (bare and _END_CONTRACT.search(after)):
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
