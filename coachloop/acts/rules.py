"""Text rules of the act tagger: precompiled patterns, one search per act.

Everything here works on one utterance's text alone (no timing, no neighbours); the
context parts (backchannel that does not take the floor, interruption, the question
model's dialogue features) live in :mod:`coachloop.acts.context` and
:mod:`coachloop.acts.questions`.

Texts are normalised once by :func:`normalize` (lower case, straight apostrophes,
``o_k`` → ``ok``) and every pattern runs on that string. Patterns are written for both
punctuated (Zoom/Teams) and unpunctuated lower-case ASR text: a "sentence start" is the
start of the text, a ``.!?;:`` or a dash, optionally followed by discourse fillers.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

# -- normalisation -------------------------------------------------------------------------

_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "_": ""})
_PUNCT_END = re.compile(r"[.!?]\s*$|[.!?]\s")
_TOKEN = re.compile(r"[a-z0-9$%']+(?:-[a-z0-9]+)*")


def normalize(text: str) -> str:
    """Lower-case text with straight quotes; underscores (``o_k``, ``a_``) removed."""
    return text.translate(_APOS).lower()


def tokens(norm: str) -> list[str]:
    """Word tokens of a normalised text (punctuation dropped, inner hyphens kept)."""
    return _TOKEN.findall(norm)


def is_punctuated(text: str) -> bool:
    """True when the text carries sentence punctuation (a transcriber or Zoom/Teams wrote it)."""
    return _PUNCT_END.search(text) is not None


# Sentence start: start of text or after sentence punctuation/dash, then optional fillers.
_FILL = (
    r"(?:(?:so|and|but|ok|okay|alright|all right|well|now|then|also|um|uh|oh|yeah|right|"
    r"look|listen|honestly|just|please|and then|so yeah|anyway|great|good|sure|cool),?\s+)*"
)
_SS = (
    r"(?:^|[.!?;:]\s*|\s[-\u2014\u2013]+\s*|^(?:before|after|on|in|for|when|once|by|"
    r"tomorrow|today|this week|next week|first)\b[^,.?!]{0,40},\s*)\s*" + _FILL
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _top_level(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    depth, parts, cur, i = 0, [], [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            j = pattern.index("]", i + 2)
            cur.append(pattern[i : j + 1])
            i = j + 1
            continue
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _factored(pattern: str) -> re.Pattern[str]:
    """The same alternatives with the leading ``\\b`` checked once: ``\\b(?:a|b)|c``.

    Python's re tries every alternative at every position; one shared word-boundary
    test halves the cost of long ``\\ba|\\bb|…`` patterns. Only whether it matches is
    used, which factoring does not change.
    """
    parts = _top_level(pattern)
    bounded = [p[2:] for p in parts if p.startswith("\\b")]
    other = [p for p in parts if not p.startswith("\\b")]
    return re.compile("|".join([r"\b(?:" + "|".join(bounded) + ")", *other]))


# -- questions (text-only rule; the learned model refines it for unpunctuated text) --------

WH = r"(?:what|what's|whats|why|how|how's|where|where's|when|which|who|who's|whose|whom)"
AUX = (
    r"(?:do|does|did|is|are|was|were|can|could|would|will|should|shall|have|has|had|may|might|"
    r"am|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|can't|couldn't|wouldn't|won't|"
    r"shouldn't|haven't|hasn't|hadn't|d'you|you've|you're)"
)
SUBJ = (
    r"(?:you|we|i|they|he|she|it|that|this|there|the|a|an|any|anyone|anybody|someone|somebody|"
    r"everyone|everybody|your|our|their|his|her|these|those|y'all|ya)"
)
RE_WH_START = _rx(_SS + WH + r"\b(?!\s+(?:i|we)\s+(?:mean|meant|did|do|said|want|need)\b)")
RE_AUX_START = _rx(_SS + AUX + r"\s+" + SUBJ + r"\b")
RE_PROMPT = _rx(
    _SS + r"(?:tell me|walk me through|talk me through|take me through|help me understand|"
    r"describe|explain to me|give me a sense|i'm curious|i am curious|i wonder|i'm wondering|"
    r"any thoughts|thoughts on|what about|how about)\b"
)
RE_TAG_Q = _rx(
    r"(?:,|\s)\s*(?:right|isn't it|aren't they|don't you|didn't you|doesn't it|wasn't it|"
    r"correct|yeah|no|or not|or what|ok|okay|huh|eh|you think|does that make sense|"
    r"make sense|fair|agreed|you know what i mean)\s*\??\s*$"
)
RE_OR_Q = _rx(r"\bor\s+(?:not|no|something|what|is it|are they|do you|was it)\b")

# -- leading questions (advice dressed as a question) -------------------------------------

RE_LEADING = _rx(
    r"\b(?:don't|do not|wouldn't|would not|shouldn't|should not|isn't|aren't|can't|couldn't|"
    r"won't|didn't|doesn't|wasn't)\s+(?:you|it|we|that|this|there)\s+(?:\w+\s+)?"
    r"(?:think|agree|feel|be|want|need|have|make|help|say|seem|rather|prefer|get)\b"
    r"|\bwhy (?:don't|didn't|wouldn't|not)\b(?!\s+(?:they|he|she)\b)"
    r"|\bhave you (?:tried|considered|thought about|thought of|looked at)\b"
    r"|\bwhat if you\b|\bwhat if we (?:just|tried|asked|sent)\b"
    r"|\bhow about (?:you|we|trying|asking|sending|calling|just|if you)\b"
    r"|\bdo you (?:not )?think (?:you|we|it) (?:should|could|might|need|ought|would be better)\b"
    r"|\bwould it (?:not )?(?:help|make sense|be (?:better|worth|smarter|easier|good))\b"
    r"|\bwouldn't (?:it|that) be\b|\bisn't (?:it|that) (?:better|worth|easier|smarter)\b"
    r"|\bshouldn't (?:you|we)\b|\bcould you not\b|\bis there a reason you didn't\b"
    r"|\bdid you (?:think about|consider|not think)\b"
    r"|\bmight (?:it|that) be (?:better|worth|smarter|good)\b"
    r"|\bwouldn't you (?:rather|want|say)\b"
    r"|\bcould(?:n't)? you (?:not )?have (?:\w+ed|asked|sent|brought|gone|got|gotten|taken|done)\b"
    r"|\bwhat's (?:holding|stopping|keeping) you (?:back )?from\b"
    r"|\bwhat (?:is|was) (?:holding|stopping|keeping) you (?:back )?from\b"
    r"|\bisn't (?:that|it) (?:what|the) (?:\w+ ){0,3}(?:should|need)\b"
)

# -- advice (telling) ---------------------------------------------------------------------

_IMP_VERBS = (
    r"ask|send|call|email|book|schedule|set up|set|get|put|add|update|follow up|push|slow down|"
    r"pause|stop|start|write|bring|use|lead with|lead|open with|loop in|loop|include|prepare|"
    r"prep|practice|record|listen|focus|spend|cut|drop|move|log|clean up|clean|confirm|check|"
    r"share|map|find|reach out|reach|say|keep|avoid|go back|go through|make sure|make|give|"
    r"take|lean|dig|probe|quantify|summarize|summarise|recap|anchor|hold|present|show|skip|"
    r"trim|qualify|multithread|multi-thread|try|remember|think about|consider|tie|frame|"
    r"reframe|position|name|price|offer|escalate|block|protect|document|note|write down|"
    r"run|rehearse|review|read|watch|study|shadow|mirror|repeat|pick|choose|let them|let him|"
    r"let her|wait|resist|hold off|don't|never|always|be|prioritize|prioritise|rethink|"
    r"reconfirm|thank|tailor|ask for|cut down|narrow|limit|double down|double-check|"
    r"re-read|rewrite|replace|swap|set aside|carve out|get in front of|go deeper|circle back"
)
RE_ADVICE_LEX = _rx(
    r"\byou (?:really |just |definitely |probably |absolutely )?(?:need|have|ought|got|gotta) to\b"
    r"|\byou gotta\b|\byou've got to\b"
    r"|\byou (?:really |just |definitely |probably |absolutely )?(?:should|must|shouldn't|mustn't)\b(?!\s+(?:have|be)\s+(?:seen|heard|been there))"
    r"|\byou(?:'ll| will| might| may| probably) (?:want|need) to\b|\byou want to make sure\b"
    r"|\byou could (?:also |always |just )?(?:try|ask|send|start|open|lead|use|say|have|bring|"
    r"push|get|put|offer|loop|book|share|mention|frame|position)\b"
    r"|\byou can't (?:just )?(?:discount|drop|give|let|skip|assume|wait|go|send|take)\b"
    r"|\bi(?:'d| would) (?:like you to|love (?:for )?you to|suggest|recommend|try|start|focus|"
    r"go|push|ask|send|lead|open|say|just|have|put|get|use|spend|cut|bring|make|keep|"
    r"probably|definitely|also|rather you|want you|encourage)\b"
    r"|\bif i were you\b|\bif i was you\b|\bmy (?:advice|suggestion|recommendation|ask)\b"
    r"|\bi (?:suggest|recommend|want you to|need you to|expect you to|encourage you to|"
    r"challenge you to|'d challenge you)\b"
    r"|\bmake sure\b|\bbe sure to\b|\bremember to\b|\bdon't forget\b|\bnext time\b"
    r"|\bgoing forward\b|\bfrom now on\b|\bin the future\b|\bnext call\b(?=.*\b(?:ask|try|lead|open|bring|start|get)\b)"
    r"|\b(?:it's|it is|it'd be|it would be) (?:better|best|worth|important|key|smarter|critical) to\b"
    r"|\bthe (?:key|trick|move|goal|play) (?:here |there )?is to\b"
    r"|\bwhat you (?:want|need) to do is\b|\binstead of \w+ing\b"
    r"|\blet's (?:try|make sure|focus|aim|get you|have you|plan to|practice|role-?play|"
    r"rehearse|work on|commit to|do a|run through|prep|set up|schedule|book)\b"
    r"|\bplease (?:" + _IMP_VERBS + r")\b"
    r"|\b(?:maybe |perhaps |i think |so )?we (?:really |probably |just )?(?:should|could|need to|"
    r"ought to|might want to|have to|gotta)\b(?!\s+(?:be|have been)\b)"
    r"|\bmaybe (?:you|we) (?:can|could|should|just|want to|need to|might)\b"
    r"|\blet's (?!see\b|say\b|be honest|just say|not forget)"
    r"|\byou can (?:just|always)\b|\bhow about (?:\w+ing|we|you|if)\b"
    r"|\bwhy don't (?:we|you)\b|\bdo not \w+"
)
RE_IMPERATIVE = _rx(
    _SS + r"(?:just |definitely |really |always |also |maybe |then )?"
    r"(?:" + _IMP_VERBS + r")\b(?!\s+(?:me|us)\s+(?:through|know|what|how|about|if|why|when))"
    r"(?!\s+(?:you|i)\b)"
)
RE_ADVICE = _rx(RE_ADVICE_LEX.pattern + "|" + RE_IMPERATIVE.pattern)
# Sentence-initial verbs that often start statements, not commands ("set" the ...? no;
# "try" is advice). Lines like "call went well" or "email was sent" are statements.
RE_NOT_IMPERATIVE = _rx(
    _SS + r"(?:call|email|demo|check|record|review|price|map|note|name|block|set|start|"
    r"stop|run|offer|focus|show|move|cut|drop|share|log|read|watch|pick|wait|hold|keep|"
    r"take|present|practice|lead|be)\s+(?:was|were|is|went|looked|sounded|felt|did|had|has|"
    r"and|seems?|of|to me|for me)\b"
)

# -- feedback (an evaluation of the rep's work) -------------------------------------------

_POS = (
    r"good|great|nice|excellent|solid|strong|awesome|fantastic|brilliant|terrific|amazing|"
    r"impressive|perfect|outstanding|superb|fine|smart|sharp|clean|crisp|tight|effective|"
    r"helpful|thoughtful|well done|well handled|better|improved|spot on"
)
_NEG = (
    r"weak|rough|bad|poor|messy|long|rushed|vague|thin|flat|sloppy|unclear|shaky|off|"
    r"worse|confusing|generic|aggressive|passive|defensive|scripted|robotic|slow|fast|"
    r"wordy|choppy|clunky|light|soft|short|too much|too long|too early|too late|not great|"
    r"not good|not ideal|not there yet|a miss|a mess|disappointing|concerning|ok|okay"
)
_WORK = (
    r"call|demo|email|deck|meeting|discovery|pitch|presentation|follow-up|follow up|recap|"
    r"proposal|question|questions|opener|opening|close|closing|intro|agenda|prep|notes|"
    r"summary|handling|negotiation|job|work|effort|catch|move|instinct|recovery|save|"
    r"answer|response|framing|story|plan|write-up|message|outreach|sequence|cadence|"
    r"forecast|call plan|business case|questioning|listening|objection handling|reframe|"
    r"point|ask|progress|improvement|energy|tone|pace|structure|slides"
)
RE_FEEDBACK = _rx(
    r"\b(?:good|great|nice|excellent|solid|strong|awesome|fantastic|brilliant|terrific|"
    r"amazing|impressive|outstanding|superb|smart|sharp|clean|crisp|tight|thoughtful|"
    r"weak|rough|poor|sloppy|messy|shaky|better|big) (?:\w+ )?(?:" + _WORK + r")\b"
    r"|\b(?:well|nicely|beautifully) (?:done|handled|played|run|put|said)\b"
    r"|\b(?:that|this|it|the (?:" + _WORK + r")|your (?:\w+ )?(?:" + _WORK + r"))"
    r"(?:'s| was| were| is| went| looked| sounded| felt| came across| landed| seemed)"
    r" (?:\w+ )?(?:really |very |pretty |so |super |a bit |a little |kind of |kinda |way |"
    r"too |quite |actually |genuinely |honestly |much |a lot )*(?:" + _POS + "|" + _NEG + r")\b"
    r"|\byou (?:did|handled|ran|managed|presented|explained|framed|asked|listened|navigated|"
    r"recovered|played|ran|structured|set|positioned|ran|kept|told|pushed|prepped|ran|"
    r"opened|closed|led|summarized|summarised) (?:\w+ ){0,5}?(?:really |very |super |so )?"
    r"(?:well|great|nicely|beautifully|perfectly|poorly|badly|fine|brilliantly|too (?:\w+))\b"
    r"|\byou (?:rushed|missed|skipped|forgot|interrupted|jumped|glossed|dropped|lost|nailed|"
    r"crushed|killed it|fumbled|rambled|overtalked|caved|folded|buried|oversold|undersold|"
    r"talked too much|talked over|nailed it|over-explained|overexplained|went too fast|"
    r"didn't (?:ask|listen|confirm|push|follow|set|get|qualify|address|handle|pause|dig))\b"
    r"|\b(?:good|great|nice|excellent) (?:job|work|stuff|going)\b|\bwell done\b|\bway to go\b"
    r"|\b(?:exactly right|spot on|nailed it|killed it|crushed it)\b"
    r"|\bthat was (?:the right|a (?:great|good|smart|bad|big|risky|costly))\b"
    r"|\b(?:that's|this is) (?:exactly )?what i (?:want|wanted|like|need) to see\b"
    r"|\byou(?:'re| are) (?:getting|doing) (?:\w+ )?(?:better|great|well|really well|good)\b"
    r"|\byou(?:'ve| have) (?:really )?(?:improved|grown|gotten better|come a long way)\b"
    r"|\bi (?:really )?(?:loved|liked|like|love|appreciated|appreciate) (?:how|that|the way|"
    r"what) you\b|\bi was (?:really )?(?:impressed|happy|pleased|disappointed|surprised) (?:with|by|that|how)\b"
    r"|\b(?:needs|need) (?:some |more )?work\b|\b(?:could|should) have been (?:\w+ )?(?:better|"
    r"tighter|stronger|shorter|clearer|sharper|earlier)\b"
    r"|\bmissed (?:an|the|a) (?:\w+ )?(?:opportunity|chance|cue|signal|step)\b"
    r"|\b(?:the|one|biggest|main) (?:problem|issue|gap|miss|thing that (?:hurt|cost|worked))"
    r" (?:was|is|there)\b|\b(?:a|one|your) (?:real |big )?(?:strength|weakness|blind spot)\b"
    r"|\b(?:proud of you|kudos|props to you|hats off)\b"
    r"|\bwasn't (?:great|good|ideal|your best|the best|strong)\b"
    r"|\b(?:love|loved|liked) (?:that|the|your|how)\b(?=.*\b(?:you|your|call|demo|email|deck)\b)"
)
RE_PRAISE_ONLY = _rx(
    r"^\W*(?:(?:really|very|so|super|pretty|that's|that was|thats|it was|this is|this was|"
    r"you did|you|a|an|such a|overall|honestly|genuinely|just|great|good|nice|excellent|solid|"
    r"strong|awesome|fantastic|brilliant|terrific|amazing|impressive|outstanding|job|work|"
    r"stuff|well|done|one|call|on|that|it|the|this|overall|yeah|ok|okay|so|i|thought|think|"
    r"liked|loved|like|love|keep|up|going|way|to|go|nailed|crushed|killed|proud|of|kudos|"
    r"all|in|rough|bad|weak|not|wasn't|isn't|meh|fine|nicely|needs|more|better|could|been|"
    r"have|felt|seemed|looked|sounded|went|it's|there|was|is|were|some|bit|little|kind|"
    r"and|but|too|man|mate|dude|team|big|thanks|thank|today|week|again|yesterday|overall)"
    r"\W*)+$"
)

# Evaluation by co-occurrence: the rep's work (you/your/that call…) and an evaluative
# word in one declarative sentence that does not tell the rep what to do.
RE_REP_WORK = _rx(
    r"\b(?:you|your|you're|you've|you'd|yours)\b|\b(?:that|this|it) (?:was|went|is|felt|looked|sounded)\b"
    r"|\bthe (?:call|demo|meeting|email|intro|opening|deck|proposal|notes|discovery|pitch|recap|"
    r"follow-up|presentation|close|negotiation|handoff|agenda)\b"
)
RE_EVALUATIVE = _rx(
    r"\b(?:good|great|nice|excellent|solid|strong|awesome|fantastic|brilliant|terrific|amazing|"
    r"impressive|perfect|outstanding|superb|well|better|best|improved|improving|tighter|sharper|"
    r"clearer|cleaner|calm|calmly|clear|concise|confident|crisp|tight|sharp|thoughtful|tailored|"
    r"polished|professional|smooth|effective|ahead|reliable|stellar|proud|crushing|crushed|"
    r"nailed|spot on|the standard|exactly right|bad|poor|weak|rough|messy|mess|sloppy|vague|"
    r"thin|flat|rushed|scripted|robotic|defensive|aggressive|passive|generic|rambl\w*|"
    r"too (?:many|much|long|early|late|fast|soon|slow|quick|quiet|passive|aggressive|"
    r"broad|vague|generic)|not \w+ (?:\w+ )?enough|lowest|worst|behind|wrong|missed|undercut|"
    r"undermined|without (?:asking|confirming|checking|getting|a)|moved on|let them (?:steer|"
    r"run|drive|take)|thrilled|disappoint\w*|struggl\w*|not great|not there|a miss|"
    r"only (?:one|two|three|\d+) of|never (?:asked|came|got|followed|confirmed|mentioned)|"
    r"blew|stumbl\w*|lost (?:them|the room|control)|overpromis\w*|fell flat|landed|"
    r"didn't (?:ask|listen|confirm|push|follow|set|get|qualify|address|handle|pause|dig|mention))\b"
)

# -- evidence (something specific and checkable) -------------------------------------------

_NUMWORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|half a|a couple of|a dozen)"
)
_UNITS = (
    r"(?:minutes?|mins?|seconds?|secs?|hours?|days?|weeks?|months?|quarters?|percent|"
    r"calls?|deals?|meetings?|times|questions?|seats?|licen[cs]es?|users?|grand|k|x|dials?|"
    r"emails?|opps?|opportunities|accounts?|demos?|points?|reps?|stakeholders?|people|slides?)"
)
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTHS = (
    r"(?:january|february|march|april|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_MONTHS_LONG = r"(?:january|february|april|june|july|august|september|october|november|december)"
_DOCS = (
    r"(?:recording|transcript|gong|chorus|crm|salesforce|hubspot|call notes|notes|email|"
    r"thread|deck|proposal|contract|recap|mutual action plan|map|slide|dashboard|report|"
    r"spreadsheet|sheet|calendar|invite|scorecard|playback|clip|snippet|timestamp|"
    r"opportunity record|opp record|activity log|call log|linkedin|order form|sow|msa|rfp)"
)
RE_QUICK_EVIDENCE = _rx(r"[\d$\u20ac\u00a3]")
RE_EVIDENCE = _factored(
    r"\b" + _NUMWORD + r"[- ](?:\w+[- ])?" + _UNITS + r"\b"
    r"|\b"
    + _DAYS
    + r"\b|\b"
    + _MONTHS_LONG
    + r"\b|\b"
    + _MONTHS
    + r" \d|\b(?:yesterday|this morning|last night)\b"
    r"|\blast (?:week|month|quarter|year|call|meeting|time|friday|monday|tuesday|wednesday|thursday)\b"
    r"|\bend of (?:the )?(?:month|quarter|year)\b|\bq[1-4]\b"
    r"|\b(?:at|around|about|by) (?:the )?(?:\w+ )?minute\b|\bminutes? (?:in|into)\b"
    r"|\b(?:in|at|during|toward|towards) the (?:first|last|start|beginning|end|middle|opening|close)"
    r"(?: \w+){0,2} (?:of (?:the|that|your) )?(?:call|demo|meeting|conversation|pitch|discovery)\b"
    r"|\bwhen (?:you|he|she|they|the (?:cfo|ceo|vp|buyer|customer|champion|prospect|client)|"
    r"their \w+) (?:said|asked|mentioned|brought up|told|raised|pushed back|objected|"
    r"went quiet|paused|said that|replied|answered|interrupted|jumped|started)\b"
    r"|(?<!if )(?<!did )\b(?:you|he|she|they|the (?:cfo|ceo|vp|buyer|customer|champion|prospect|client)) "
    r"(?:literally )?(?:said|asked|told (?:them|him|her|me|us)|wrote|replied|answered)\b"
    r"|\"[^\"]{3,}\"|(?:^|\s)'[a-z][^']{8,}'(?=\W|$)"
    r"|\b(?:in|on|from|per|according to) (?:the|your|their|that|this|his|her) "
    r"(?:\w+ )?" + _DOCS + r"\b"
    r"|\bthe \w+ (?:deal|account|opp|opportunity|renewal|pilot|poc)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+) of (?:the|your|their|my|our) \w+"
)
# Named deals, customers, people and documents: capitalised words not at a sentence start
# (only visible in punctuated text). Checked on the raw text.
RE_PROPER = re.compile(
    r"(?<![.!?]\s)(?<!^)(?<![\"'(])\b(?!(?:I|I'm|I'll|I've|I'd|OK|Okay|Ok|Yeah|So|And|But|"
    r"Q[1-4]|CRM|AE|AEs|SDR|BDR|VP|CFO|CEO|CRO|CTO|COO|ROI|ARR|MRR|ACV|EOQ|EOM|POC|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Zoom|Teams|Slack|Gong)\b)"
    r"[A-Z][a-z]+(?:[A-Z][a-z]+)?\b"
)
RE_PROPER_CONTEXT = re.compile(
    r"\b(?:with|at|from|for|on|to|about|the)\s+[A-Z][a-zA-Z]+"
    r"|[A-Z][a-zA-Z]+(?:'s)?\s+(?:deal|account|team|call|demo|renewal|opp|CFO|CEO|VP|"
    r"champion|proposal|contract|pilot|POC|buyer|procurement|legal|said|asked|told|wants|"
    r"mentioned|pushed|came|went|signed|replied)\b"
)

# -- outcome talk vs behaviour talk --------------------------------------------------------

RE_OUTCOME = _rx(
    r"\b(?:won|win|wins|winning|lost|lose|loses|losing|closed[- ]won|closed[- ]lost|"
    r"quota|attainment|revenue|bookings|booked revenue|arr|acv|mrr|tcv|"
    r"(?:hit|hitting|made|make|miss|missed|beat|blew|crush|crushed) (?:your|the|our|their|his|her|my) "
    r"(?:number|target|quota|plan|goal)|the number|your number|our number|"
    r"slipped|slipping|slips|pushed (?:out|to next|into next)|churn(?:ed|ing)?|renewed|"
    r"deal size|win rate|conversion rate|close rate|signed|closed (?:it|the deal|that deal|"
    r"the \w+ deal|\d+\S*)|results|landed (?:the|it)|came in|"
    r"upsell|expansion|over target|target|"
    r"under target|behind (?:plan|target|quota)|"
    r"ahead of (?:plan|target|quota)|percent to (?:plan|quota|goal)|commit number|"
    r"the deal (?:died|fell through|is dead|closed)|went dark|no decision|loss|losses|"
    r"went with (?:a|the|another) (?:competitor|vendor|incumbent)|downgraded|verbally committed|"
    r"verbal|stuck in (?:legal|procurement|security|review)|closing|closes|commit|"
    r"sales cycle|cycle time|tracking (?:at|to)|to plan|pipeline coverage|coverage|"
    r"\d+(?:\.\d+)? ?(?:k|m|million|thousand|grand)|[$\u20ac\u00a3]\d+|"
    r"\d+ ?(?:percent|%) (?:of|to) (?:quota|plan|target))\b"
)
RE_BEHAVIOR = _rx(
    r"\b(?:asked|ask|asking|questions?|discovery|listen(?:ed|ing)?|"
    r"handl(?:e|ed|ing) (?:the|that|their|it|his|her)|objections?|next steps?|"
    r"follow(?:ed|ing)?[- ]?up|agenda|recap(?:ped)?|summari[sz](?:e|ed|ing)|paus(?:e|ed|ing)|"
    r"talk(?:ed|ing)? (?:too much|less|more|over)|multi-?thread(?:ed|ing)?|"
    r"prep(?:ped|ared|aring)?|research(?:ed)?|qualif(?:y|ied|ying)|mapp?(?:ed|ing)|"
    r"negotiat(?:e|ed|ing)|prospect(?:ed|ing)|cold call(?:ed|ing)?|pitch(?:ed|ing)?|"
    r"opened with|led with|framed|positioned|probed|dug (?:in|into)|clarif(?:y|ied)|"
    r"confirmed|booked the next|mutual action plan|the way you|how you|you (?:said|told|"
    r"explained|showed|presented|walked|demoed|offered|sent|emailed|called|pushed|"
    r"interrupted|jumped|skipped|rushed|dropped|talked)|tied (?:it|that) (?:back )?to|"
    r"anchored|set (?:the|an) agenda|got (?:them|him|her) to|checked in|"
    r"introduced|looped in|followed|mirrored|paraphrased|reframed|acknowledged|"
    r"demoed|demo'd|presented|walked (?:them|him|her) through|shared your screen|"
    r"silence|let (?:them|him|her) (?:talk|finish|speak)|negotiation|talk time|spoke|spoken|"
    r"speaking|talked|qualifying|sending|emailing|booking|outbound|follow-ups|repeated back|"
    r"calls?|calling|emails?|meetings? (?:booked|a week|per)|discovery calls?|demos?|"
    r"stayed calm|kept (?:the|it|them)|opened|opening)\b"
)

# -- benchmark (team norm, peer comparison) ------------------------------------------------

RE_BENCHMARK = _rx(
    r"\b(?:team (?:average|norm|median|benchmark|standard|baseline)|"
    r"(?:the )?(?:rest of the|whole|entire) (?:team|org|floor)|"
    r"(?:most|other|top|best|average|typical|the other|our best|our top|the top|new|senior|"
    r"tenured) (?:reps|aes|ae's|sellers|performers|people on the team|folks on the team|"
    r"account executives|sdrs|bdrs|managers)|"
    r"compared (?:to|with)|benchmarks?|percentile|the median|above average|below average|"
    r"on average|everyone else|(?:your|their) peers|peer group|the team (?:is|does|gets|runs|"
    r"usually|typically|tends|averages|sits)|team-wide|across the team|top quartile|"
    r"bottom quartile|relative to|(?:than|as) (?:the )?(?:team|others|most|average|everyone)|"
    r"the bar (?:on|for|here|is)|the norm|what good looks like|rank(?:ed|s)? (?:\w+ )?(?:on|in) "
    r"the team|(?:first|second|third|last|top|bottom) (?:on|in) the team)\b"
)

# -- commitment (the speaker commits to an action) -----------------------------------------

_COMMIT_VERBS = (
    r"remove|cancel|drop|move|block|clear|protect|send|set up|set|schedule|book|talk|loop|"
    r"reach|follow|check|look|get|find|share|introduce|pull|take|cover|handle|escalate|ask|"
    r"review|listen|join|shadow|sit in|push|put|write|update|fix|sort|free|make|connect|email|"
    r"ping|call|bring|help|work|own|chase|unblock|approve|sign|kill|skip|add|grab|forward|"
    r"dig|speak|raise|flag|go|run|do|hold|keep|give|open|create|draft|pair|coach|try|start|"
    r"stop|carve|rearrange|reschedule|decline|delete|turn|hand|circle|come|mention|get back"
)
RE_COMMIT = _rx(
    r"\b(?:i'll|i will|i'm going to|i am going to|i'm gonna|i'm gonna go|let me|i can|"
    r"i'll make sure to|i promise to|i commit to|i'm taking|i'll personally|i'll go ahead and|"
    r"i've already|i'll also|i'll just|i'll get)\s+(?:go ahead and |also |just |personally |"
    r"then |definitely |absolutely |make sure to |try to |happily |quickly |)"
    r"(?:" + _COMMIT_VERBS + r")\b(?!\s+(?:know|sure|honest|think|say|see if you))"
    r"|\b(?:consider it done|leave it with me|i'm on it|i've got (?:it|that|this)|"
    r"that's on me|i'll take care of|i'll own|i owe you|i'll get you|"
    r"i'll take (?:that|it|this|those) off|you have my word|i'll protect)\b"
    r"|\blet's (?:do a|practice|role-?play|rehearse|run through|prep|set up|schedule|book)\b"
    r"|\bwe'll (?:remove|cancel|drop|block|protect|move|clear|set up|schedule|book)\b"
)
RE_NOT_COMMIT = _rx(r"\b(?:let me (?:know|ask you|see if you|guess|be clear|be honest|think))\b")

# -- backchannels --------------------------------------------------------------------------

BACKCHANNEL_WORDS = frozenset(
    [
        "mm",
        "mmm",
        "mm-hmm",
        "mhm",
        "mhmm",
        "hmm",
        "hm",
        "uh-huh",
        "uhhuh",
        "uh",
        "um",
        "yeah",
        "yep",
        "yes",
        "yup",
        "ya",
        "yah",
        "right",
        "okay",
        "ok",
        "sure",
        "cool",
        "true",
        "totally",
        "exactly",
        "absolutely",
        "alright",
        "gotcha",
        "oh",
        "ah",
        "huh",
        "wow",
        "nice",
        "great",
        "good",
        "definitely",
        "indeed",
        "correct",
        "fair",
        "enough",
        "i",
        "see",
        "got",
        "it",
        "makes",
        "sense",
        "sounds",
        "interesting",
        "that's",
        "that",
        "sense",
        "yeah-yeah",
        "uh-hu",
        "mm-hm",
    ]
)
BACKCHANNEL_CORE = frozenset(
    [
        "mm",
        "mmm",
        "mm-hmm",
        "mhm",
        "mhmm",
        "hmm",
        "hm",
        "uh-huh",
        "uhhuh",
        "yeah",
        "yep",
        "yes",
        "yup",
        "ya",
        "yah",
        "right",
        "okay",
        "ok",
        "sure",
        "cool",
        "true",
        "totally",
        "exactly",
        "absolutely",
        "alright",
        "gotcha",
        "huh",
        "wow",
        "indeed",
        "correct",
        "see",
        "sense",
        "uh-hu",
        "mm-hm",
    ]
)

# -- topics --------------------------------------------------------------------------------


@cache
def topic_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The topic lexicon (``coachloop/acts/data/topics.json``), compiled once."""
    raw = json.loads(resources.files("coachloop.acts").joinpath("data/topics.json").read_text())
    return tuple(
        (name, re.compile(r"\b(?:" + "|".join(frags) + r")\b"))
        for name, frags in raw.items()
        if not name.startswith("_")
    )
