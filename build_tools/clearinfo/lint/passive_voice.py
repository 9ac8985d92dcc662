"""Passive voice that hides who does something the reader needs to know about.

GOV.UK's style guide says "use the active rather than passive voice"; plain-English guides allow
the passive where the doer is unknown, obvious or unimportant (the Australian Government Style
Manual: an agentless passive is acceptable when "no-one knows who is doing the action", "who is
doing the action is implied" or "we don't need to know"; Martin Cutts' Plain English Guide:
"prefer the active voice unless there's a good reason for using the passive"). Tools that flag
every "be + past participle" (write-good, Vale's Microsoft and Google styles) also flag good plain
English: "if you are detained", "care workers are paid", "are you worried". So this check finds a
passive the way they do, then keeps it only when it hides a doer who matters to the reader.

Found: a form of "be" (am, is, are, was, were, be, been, being; "not" or an adverb may come
between) then a past participle (a word ending in -ed, or an irregular one such as "paid", "run").

Decided in this order (the first rule that applies decides):

1. Not a passive: a participle that describes a state ("worried", "disabled", "closed", "needed",
   "entitled", "aged 65"), or "there is/are" before it ("there is limited help").
2. Allowed: harm by someone unknown ("being abused", "is neglected"): the doer is a wrongdoer the
   council cannot name, and the person harmed is rightly the subject.
3. FLAGGED "by": the doer is named after "by" ("is run by a care provider"): put them first
   ("a care provider runs it"). Not "by post", "by law", "by 1 April" and the like.
4. Allowed: in a condition or an embedded question ("if you are detained", "when a word is used",
   "how services are planned", "without being paid"): it names a situation, not an action.
5. Allowed: the one who makes it happen is named ("they make sure your rights are respected"),
   or it is the result of an action named before it ("plan it, so your care is not interrupted").
6. FLAGGED "duty": a promise or a duty: "will", "shall", "must", "should", "need to" or "has to"
   before "be" ("your plan will be reviewed", "information must be given"), or a list item that
   starts with "be" under a stem such as "Our process should:". Someone has to do it: say who.
7. FLAGGED "reader": done to the reader: the subject is "you" or "your ..." ("you may be offered
   an advocate", "your budget is cut"), or it is done "to you" or "for you".
8. Allowed: anything else, a general fact whose doer is unknown or unimportant ("care workers are
   paid", "care can be disrupted").

Standard library only.
"""
from __future__ import annotations

import re

BE = {"am", "is", "are", "was", "were", "be", "been", "being"}
DUTY = {"will", "shall", "must", "should"}                       # a promise or a duty
DUTY_TO = {"need", "needs", "needed", "has", "have", "had", "ought", "going"}  # with "to": "has to be"
POSSIBLE = {"can", "could", "may", "might", "would"}
# Words that may come between the auxiliaries and the participle ("will not be", "is also paid").
ADVERBS = {"not", "never", "also", "still", "only", "just", "already", "always", "usually", "often",
           "sometimes", "normally", "then", "now", "soon", "generally", "probably", "certainly",
           "really", "ever", "first", "all", "both", "each", "no", "longer"}

# Irregular past participles (as in write-good's and compromise's lists, without those that are
# mostly another word: "come", "gone", "become", "won", "read").
IRREGULAR = set("""
arisen awoken beaten begun bent bitten bled blown born borne bought bound bred broken brought built
burnt cast caught chosen cost crept cut dealt done drawn driven dug eaten fallen fed felt fought
found fled flown forbidden forgiven forgotten frozen given got gotten grown heard held hidden hit
hung hurt kept known laid led lent let lit lost made meant met mistaken overcome overheard
overseen overtaken paid proven put rebuilt redone repaid reset rethought rewritten rid ridden
risen run said seen sold sent set shaken shown shrunk shut sought spent spoken spread stolen stood
struck stuck swept taken taught thought thrown told torn understood undertaken upheld upset
withdrawn withheld written
""".split())
# Words ending in -ed that are not participles.
NOT_PARTICIPLES = {"need", "feed", "seed", "speed", "indeed", "bleed", "breed", "deed", "heed", "weed",
                   "proceed", "exceed", "succeed", "hundred", "sacred", "naked", "wicked", "red", "bed",
                   "shed", "wretched", "rugged", "kindred", "beloved"}
# Participles that describe a state, not something someone does ("you are worried", "be married").
# From GOV.UK-style examples and Yoast's list of participles that work as adjectives.
STATIVE = set("""
aged ashamed based bored born called closed concerned confused depressed determined disabled
disappointed divorced embarrassed employed engaged entitled excited exhausted experienced
finished frightened housebound interested involved isolated known limited located married named
needed overwhelmed pleased prepared qualified related relieved retired rid satisfied scared
self-employed separated shocked situated skilled stressed stuck supposed surprised tired
unemployed unmarried unpaid unqualified upset widowed worried
""".split())
# Harm by someone unknown: safeguarding pages rightly make the person harmed the subject.
HARM = set("""
abused assaulted attacked bullied coerced controlled cheated defrauded discriminated exploited
forced groomed harassed harmed hit hurt ill-treated injured intimidated mistreated neglected
pressured pressurised raped robbed scammed stalked threatened trafficked victimised
""".split())
# After "by", these say how or when, not who ("by post", "by 1 April", "by the end of May").
BY_HOW_OR_WHEN = {"post", "email", "e-mail", "phone", "telephone", "text", "letter", "hand", "law",
                  "default", "then", "now", "mistake", "accident", "cheque", "card", "cash", "bank",
                  "direct", "yourself", "themselves", "itself", "far", "day", "night", "midnight",
                  "noon", "video", "next", "this", "monday", "tuesday", "wednesday", "thursday",
                  "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
                  "june", "july", "august", "september", "october", "november", "december"}
_BY_THE_WHEN = {"end", "time", "date", "deadline", "start", "beginning", "middle", "same", "way"}
# A condition or an embedded question: the passive in it names a situation ("if you are detained").
CONDITION = {"if", "when", "whenever", "unless", "while", "whilst", "whether", "until", "once",
             "how", "what", "where", "why", "without", "after", "before", "because", "though",
             "although"}
_CLAUSE_BREAK = {",", ";", ":", "(", ")", "—", "–", "then", "so"}
_NEW_SUBJECT = {"you", "we", "they", "it", "i", "he", "she", "your", "our", "their", "this"}
# "make sure your rights are respected": the doer is the subject of "make sure".
_MAKES_IT_HAPPEN = [("make", "sure"), ("makes", "sure"), ("made", "sure"), ("making", "sure"),
                    ("ensure",), ("ensures",), ("see", "that"), ("check", "that"), ("checks", "that")]
# Looking back from the verb for its subject, stop at these.
_SUBJECT_STOP = CONDITION | {"that", "which", "who", "and", "or", "to", "of", "for", "from", "with",
                             "in", "on", "at", "about", "by", "as", "than"}
_CONTRACTIONS = [(r"\bcan't\b", "can not"), (r"\bwon't\b", "will not"), (r"\bshan't\b", "shall not"),
                 (r"\b(\w+)n't\b", r"\1 not"), (r"\b(\w+)'ll\b", r"\1 will"), (r"\b(\w+)'re\b", r"\1 are"),
                 (r"\b(\w+)'m\b", r"\1 am"), (r"\b(it|that|this|there|what|he|she|who)'s\b", r"\1 is")]
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*|[0-9]+|[,;:()—–]")


def words(sentence: str) -> list[str]:
    """The sentence as lower-case words and clause marks, contractions opened ("won't": "will not")."""
    text = sentence.replace("’", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = re.sub(pattern, replacement, text, flags=re.I)
    return [t.lower() for t in _TOKEN.findall(text)]


def is_participle(word: str) -> bool:
    return word in IRREGULAR or (len(word) >= 4 and word.endswith("ed") and word not in NOT_PARTICIPLES)


def passives(sentence: str, list_item: bool = False) -> list[tuple[str, str | None]]:
    """Each passive in the sentence as (its words, why it is flagged: "by", "duty" or "reader"), with
    None for why when the rules allow it. A list item's first sentence that starts with "be"
    continues a stem ("Our process should:"), so it counts as a duty."""
    w = words(sentence)
    found = []
    i = 0
    while i < len(w):
        if w[i] not in BE:
            i += 1
            continue
        j = i + 1
        while j < len(w) and (w[j] in ADVERBS or w[j] in ("been", "being")
                              or (w[j].endswith("ly") and j + 1 < len(w) and is_participle(w[j + 1]))):
            j += 1
        if j >= len(w) or not is_participle(w[j]):
            i += 1
            continue
        # The auxiliaries before the "be": "will not be", "has to be", "may also be", "have been".
        # "need", "has" and the like count only before "to" ("needs to be") or "been" ("has been").
        k = i - 1
        while k >= 0 and (w[k] in DUTY or w[k] in POSSIBLE or w[k] in ADVERBS or w[k] == "to"
                          or (w[k] in DUTY_TO and (w[k + 1] == "to" or w[i] == "been"))):
            k -= 1
        aux = w[k + 1:i]
        duty = bool(DUTY & set(aux)) or ("to" in aux and bool(DUTY_TO & set(aux))) \
            or (list_item and i == 0 and w[i] == "be")
        found.append((" ".join(w[k + 1:j + 1]), _why(w, k, j, duty)))
        i = j + 1
    return found


def flagged(sentence: str, list_item: bool = False) -> list[tuple[str, str]]:
    """Only the passives that hide a doer who matters, as (words, why)."""
    return [(shown, why) for shown, why in passives(sentence, list_item) if why]


def _why(w: list[str], k: int, j: int, duty: bool) -> str | None:
    participle = w[j]
    # 1. A state, not an action; or "there is ..." ("there is limited help").
    if participle in STATIVE or (k >= 0 and w[k] == "there"):
        return None
    # 2. Harm by someone unknown.
    if participle in HARM:
        return None
    # 3. The doer is named after "by"; up to 3 words may come between ("filled in by", "paid directly by").
    for n in range(j + 1, min(j + 5, len(w))):
        if w[n] in _CLAUSE_BREAK:
            break
        if w[n] == "by":
            if _names_a_doer(w, n):
                return "by"
            break
    # The clause before the verb: back to a comma, "then", or "and"/"but"/"or" before a new subject.
    clause, start = [], 0
    for n in range(k, -1, -1):
        if w[n] in _CLAUSE_BREAK or (w[n] in ("and", "but", "or") and n + 1 <= k and w[n + 1] in _NEW_SUBJECT):
            start = n + 1
            break
        clause.append(w[n])
    clause.reverse()
    # 4. In a condition or an embedded question.
    if CONDITION & set(clause):
        return None
    # 5. The one who makes it happen is named: "they make sure ...", or a result ("plan it, so your
    # care is not interrupted"; but "so you will be assessed" is still a promise).
    if any(tuple(clause[n:n + len(p)]) == p for p in _MAKES_IT_HAPPEN for n in range(len(clause))):
        return None
    if start > 0 and w[start - 1] == "so" and not duty:
        return None
    # 6. A promise or a duty.
    if duty:
        return "duty"
    # 7. Done to the reader: the subject is "you" or "your ...", or it is done to or for you.
    subject = []
    for word in reversed(clause):
        if word in _SUBJECT_STOP or len(subject) == 4:
            break
        subject.append(word)
    if {"you", "your"} & set(subject):
        return "reader"
    after = w[j + 1:j + 4]
    if any(a in ("to", "for") and b in ("you", "your") for a, b in zip(after, after[1:])):
        return "reader"
    # 8. A general fact: the doer is unknown or unimportant.
    return None


def _names_a_doer(w: list[str], by: int) -> bool:
    after = w[by + 1] if by + 1 < len(w) else ""
    if not after or after in BY_HOW_OR_WHEN or after.isdigit() or after in _CLAUSE_BREAK:
        return False
    if after == "the":
        return (w[by + 2] if by + 2 < len(w) else "") not in _BY_THE_WHEN
    return True
