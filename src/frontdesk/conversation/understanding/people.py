"""Who the care is for, which clinician is named, and the client's name.

Couples therapy for the caller and their partner is `partner`: the care is for the two of
them, and matching needs a clinician who sees couples. `family` is reserved for the
household ("family therapy", "all of us"). A relative counts only when the care is about
them ("for my son", "my mom needs …"), so "I'm struggling with my mom" stays unread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import Words, words
from frontdesk.conversation.understanding.phrases import Pattern, compile_all, first
from frontdesk.domain.inquiries import ForWhom
from frontdesk.domain.practice import Clinician

_SLOTS = load("slots")
_WHO = _SLOTS["for_whom"]
_RELATIONS: dict[str, ForWhom] = {
    word: ForWhom(kind)
    for kind in ("child", "partner", "other")
    for entry in _WHO[kind]
    for word in entry.split("|")
}
_PARTNER = compile_all(_WHO["partner_phrases"])
_FAMILY = compile_all(_WHO["family_phrases"])
_SELF = compile_all(_WHO["self_phrases"])
_SELF_ANSWERS = compile_all(_WHO["self_answers"])  # "me" as the whole utterance, not "call me"
_SELF_CLAUSES = compile_all(_WHO["self_clauses"])  # "just me" as a whole clause, whatever asked
_FOR_ME_SAID_OF = frozenset(_WHO["self_for_me_said_of"])
"""Words of the care that "for me" may follow and still say whom it is for ("a therapist for
me"); after any other word it is whom a booking is made for ("make an appointment for me")."""
_POSSESSIVES = frozenset(_WHO["possessives"])
_CUES_BEFORE = frozenset(_WHO["cues_before"])
_CUES_AFTER = frozenset(_WHO["cues_after"])
_NOT_CUES_BEFORE = frozenset(_WHO["not_cues_before"])
"""Words after which a relative is someone the caller deals with, not the client, whatever
follows: "arguing with my partner and …", "since losing my dad, who …"."""
_ANSWER_LEADS = frozenset(_WHO["answer_leads"])  # "it's for my son": nothing but lead-ins
_ANSWER_TAILS = frozenset(_WHO["answer_tails"])  # "my son, actually"
_ROLES = frozenset(_WHO["roles"])
_LEADS_WHEN_ASKED = _ANSWER_LEADS | _POSSESSIVES | _CUES_BEFORE | frozenset(_WHO["determiners"])
"""Words that may come before the relative in an answer to "who is it for?" ("for a friend",
"it's my daughter"), besides an age ("my 15 year old son")."""
_AGE_WORDS = frozenset({"year", "years", "old", "yr", "yrs"})
_TITLES = frozenset(_SLOTS["titles"])
_NAME_CUES = frozenset(_SLOTS["name_cues"])
_COMMON_NAMES = frozenset(_SLOTS["common_word_names"])
_LEAD_INS = tuple(tuple(p.split()) for p in sorted(_SLOTS["name_lead_ins"], key=len, reverse=True))
_STATED = _SLOTS["stated_names"]
_CALLER_CUES = compile_all(_STATED["caller"])
_CALLER_WRITTEN = compile_all(_STATED["caller_written"])  # "it's Maria Gomez": written only
_CLIENT_CUES = compile_all(_STATED["client"])
_SAID_NAME = frozenset(p for p in (*_CALLER_CUES, *_CLIENT_CUES) if "name" in p.source.split())
_NAME_STOPS = frozenset(_STATED["stops"])
_ANSWER_CUES = compile_all(_STATED["answer"])
_ANSWER_AFTER = compile_all(_STATED["answer_after"])
_MAX_NAME_WORDS = 3
_MAX_LOOKAHEAD = 4  # "my 15 year old daughter"
_NAME_SIMILARITY = 0.8  # "reyez" for Reyes, only after a title
_SHORT_ANSWER = 4  # "my son", "it is my daughter"
_OWN_CLAUSE = 2  # "and I" with a verb of its own after it


def for_whom(
    tokens: Sequence[str],
    *,
    expecting: bool = False,
    parts: Sequence[Words] = (),
    spoken: Sequence[Words] = (),
) -> ForWhom | None:
    """Who the care is for, or None when the utterance does not say.

    `parts` are the utterance's clauses (`clauses`): asked whom the care is for, an answer
    ("my son", "a friend", "just me") may be one clause of a longer sentence, but a relative
    named inside another clause ("grief after losing a parent") is not the answer. `spoken`
    are its clauses split at joiners too, where "and my son, actually" stands alone.
    """
    couple = first(_PARTNER, tokens)
    if couple is not None and not (couple[0] and tokens[couple[0] - 1] in _NOT_CUES_BEFORE):
        return ForWhom.PARTNER
    relation = _relation(tokens, expecting=expecting, parts=parts or (tuple(tokens),))
    if relation is None:
        relation = _relation_with_tail(spoken)
    if relation is not None:
        return relation
    if first(_FAMILY, tokens):
        return ForWhom.FAMILY
    if first(_SELF, tokens) or _whole(_SELF_ANSWERS, tokens):
        return ForWhom.SELF
    if any(_for_me(part) for part in parts or (tuple(tokens),)):
        return ForWhom.SELF
    if expecting and any(_whole(_SELF_ANSWERS, part) for part in parts):
        return ForWhom.SELF
    if any(_opens_alone(_SELF_CLAUSES, part) for part in parts):
        return ForWhom.SELF
    return None


def _for_me(tokens: Sequence[str]) -> bool:
    """Whether the clause says the care is for the caller with "for me": as its answer ("it's
    for me", "um, for me") or said of the care ("a therapist for me"). "Can you make an
    appointment for me", "Tuesday works for me" or "for me and my son" do not."""
    for k in range(len(tokens) - 1):
        if list(tokens[k : k + 2]) != ["for", "me"]:
            continue
        after = tokens[k + 2 : k + 4]
        if after and after[0] == "and":
            continue  # "for me and my son": someone else shares the care
        before = tokens[:k]
        if all(t in _ANSWER_LEADS for t in before) or (before and before[-1] in _FOR_ME_SAID_OF):
            return True
    return False


def _opens_alone(patterns: Sequence[Pattern], tokens: Sequence[str]) -> bool:
    """Whether one of the patterns is the whole clause, or all of it before "and I …" opens
    another ("just me and I'll pay out of pocket"; not "just me and my wife")."""
    for p in patterns:
        found = p.find(tokens)
        if found is None or found[0] != 0:
            continue
        rest = tokens[found[1] :]
        if not rest or (len(rest) > _OWN_CLAUSE and rest[0] == "and" and rest[1] == "i"):
            return True
    return False


def _whole(patterns: Sequence[Pattern], tokens: Sequence[str]) -> bool:
    """Whether one of the patterns is the whole utterance, from its first word."""
    return any(p.find(tokens) == (0, len(tokens)) for p in patterns)


def _relation(
    tokens: Sequence[str], *, expecting: bool, parts: Sequence[Sequence[str]]
) -> ForWhom | None:
    """A relative the care is about: "for my 15 year old daughter", "my son is 8"."""
    for i, token in enumerate(tokens):
        if token not in _POSSESSIVES:
            continue
        for j in range(i + 1, min(i + 1 + _MAX_LOOKAHEAD, len(tokens))):
            kind = _RELATIONS.get(tokens[j])
            if kind is None:
                continue
            before = tokens[i - 1] if i else ""
            after = tokens[j + 1] if j + 1 < len(tokens) else ""
            if before in _NOT_CUES_BEFORE:
                break
            # "my son", "it's my daughter" answer who it is for; "arguing with my partner"
            # (as short, but with words of its own before the relative) does not.
            whole_answer = (
                not after
                and len(tokens) <= _SHORT_ANSWER
                and all(t in _ANSWER_LEADS for t in tokens[:i])
            )
            if before in _CUES_BEFORE or after in _CUES_AFTER or whole_answer:
                return kind
            break
    if expecting:
        # Asked whom the care is for, a clause that opens with the relative answers it
        # ("my son, he's 12", "a friend"); one said after words of its own does not.
        for part in parts:
            for k, token in enumerate(part):
                kind = _RELATIONS.get(token)
                if token in _ROLES and k and part[k - 1] == "the":
                    break  # "the client's name is …" names the client, not a relation
                if kind is not None and all(_leads_in(t) for t in part[:k]):
                    return kind
    return None


def _relation_with_tail(spoken: Sequence[Words]) -> ForWhom | None:
    """The relative of a clause that is only that relative with "actually" after it, in the
    clause or as the next one ("my son, actually", "and my kid, actually. text is fine")."""
    for n, clause in enumerate(spoken):
        following = spoken[n + 1] if n + 1 < len(spoken) else ()
        if following and all(t in _ANSWER_TAILS for t in following):
            clause = (*clause, *following)
        start = next((i for i, t in enumerate(clause) if t not in _ANSWER_LEADS), len(clause))
        said = clause[start:]
        if (
            len(said) > 2
            and said[0] in _POSSESSIVES
            and said[1] in _RELATIONS
            and all(t in _ANSWER_TAILS for t in said[2:])
        ):
            return _RELATIONS[said[1]]
    return None


def _leads_in(token: str) -> bool:
    return token in _LEADS_WHEN_ASKED or token in _AGE_WORDS or token.isdigit()


def clinician(
    tokens: Sequence[str], clinicians: Sequence[Clinician], *, cued_only: bool = False
) -> str | None:
    """The id of the one clinician named ("Dana", "Dr. Reyes"), None if none or several.

    `cued_only` counts a name only after a title or a cue ("Dr. Reyes", "see Dana"): for
    answers in the caller's own words, where a bare name is usually someone else's.
    """
    found = {c.id for c in clinicians if _names(tokens, c, cued_only=cued_only)}
    return found.pop() if len(found) == 1 else None


def _names(tokens: Sequence[str], clinician: Clinician, *, cued_only: bool) -> bool:
    parts = [p for p in words(clinician.name) if p not in _TITLES]
    if not parts:
        return False
    first_name, last_name = parts[0], parts[-1]
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else ""
        titled = before in _TITLES
        cued = titled or before in _NAME_CUES
        if token == first_name and (cued or not (cued_only or first_name in _COMMON_NAMES)):
            return True
        if (
            token == last_name
            and len(parts) > 1
            and (cued or not (cued_only or last_name in _COMMON_NAMES))
        ):
            return True
        if titled and len(token) > 3 and _close(token, last_name):
            return True
    return False


def _close(heard: str, name: str) -> bool:
    return SequenceMatcher(None, heard, name).ratio() >= _NAME_SIMILARITY


_CAPITALISED = re.compile(r"\b([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})\b")


def written_name(text: str) -> str | None:
    """Two or three capitalised words together ("Taylor Garcia"), the longest said.

    Where the recogniser keeps capitals they mark a full name better than any word list.
    """
    found = written_names(text)
    return max(found, key=lambda n: len(n.split())) if found else None


def written_names(text: str) -> list[str]:
    """Every run of two or three capitalised words, in order, split at words no name is
    made of ("Also Casey Kim" is Casey Kim; "Okay Thanks" is none)."""
    found: list[str] = []
    for m in _CAPITALISED.finditer(text.strip()):
        run: list[str] = []
        for part in [*m.group(1).split(), ""]:
            if part and not _NAME_STOPS & set(words(part)):
                run.append(part)
                continue
            if len(run) > 1:
                found.append(" ".join(run))
            run = []
    return found


def bare_name(text: str) -> str | None:
    """A full name said alone ("Jordan Lee."): the whole utterance is two or three words
    written as a name, and nothing else."""
    said = text.strip().rstrip(".!,")
    found = written_names(said)
    return found[0] if found == [said] else None


def is_clinician(name: str, clinicians: Sequence[Clinician]) -> bool:
    """Whether `name` is one clinician's full name ("Maya Okafor", "Dr. Maya Okafor")."""
    said = [w for w in words(name) if w not in _TITLES]
    return any(said == [w for w in words(c.name) if w not in _TITLES] for c in clinicians)


def without_other_names(
    tokens: Sequence[str], text: str, clinicians: Sequence[Clinician]
) -> tuple[str, ...]:
    """The words without every full name written in `text` that is no clinician's: "Jordan
    Lee" is someone else, not Jordan Whitfield; "Jordan Whitfield" is kept."""
    kept = list(tokens)
    for name in written_names(text):
        if is_clinician(name, clinicians):
            continue
        said = words(name)
        for i in range(len(kept) - len(said) + 1):
            if tuple(kept[i : i + len(said)]) == said:
                kept[i : i + len(said)] = [""] * len(said)
    return tuple(kept)


_CLAUSE_END = re.compile(r"[,;!?]+|\.(?=\s|$)")
_JOINED = re.compile(rf"\b(?:{'|'.join(map(re.escape, _STATED['joiners']))})\b", re.IGNORECASE)
_ABBREVIATED = re.compile(r"\b(mr|mrs|ms|mx|dr|st)\.", re.IGNORECASE)


def clauses(text: str) -> tuple[Words, ...]:
    """The words of each clause of `text`: a name never runs past a comma or a full stop
    ("this is Casey Novak, good morning" names Casey Novak)."""
    plain = _ABBREVIATED.sub(r"\1", text)
    return tuple(found for part in _CLAUSE_END.split(plain) if (found := words(part)))


def joined_clauses(text: str) -> list[str]:
    """The parts of `text` after a joiner ("and", "also") inside its clauses, as said."""
    return [
        part
        for clause in _CLAUSE_END.split(_ABBREVIATED.sub(r"\1", text))
        for part in _JOINED.split(clause)[1:]
    ]


def client_name(text: str) -> tuple[str, bool] | None:
    """A name given in answer to "what is the client's name?", title-cased, and whether a
    cue ("the name is") marked it.

    "... the name is Jamie Patel" in any clause; otherwise the leading words of the first
    clause once lead-ins ("it's", "her name is") are taken off, up to a word no name is
    made of ("it's Riley Patel, I'd rather come in" is Riley Patel).
    """
    parts = clauses(text)
    for tokens in parts:
        cued = first(_ANSWER_CUES, tokens)
        if cued is not None:
            named = _name_after(tokens, cued[1])
            if named:
                return named, True
    leading = _leading_name(parts[0]) if parts else None
    return (leading, False) if leading else None


def says_whose_name(clause: str) -> bool:
    """Whether a clause says that the one before it was the name ("that's the client")."""
    return first(_ANSWER_AFTER, words(clause)) is not None


def clause_name(text: str) -> str | None:
    """The name a clause says and nothing more ("it's Jamie Rivera", "jamie rivera please"):
    its leading words once lead-ins are off, followed by nothing but words no name is made
    of. "Have I earned a lot of points on my card" names no one."""
    tokens = words(text)
    name = _leading_name(tokens)
    if name is None:
        return None
    rest = _without_lead_ins(tokens)[len(name.split()) :]
    return name if all(token in _NAME_STOPS for token in rest) else None


def _without_lead_ins(tokens: Sequence[str]) -> list[str]:
    rest = list(tokens)
    stripped = True
    while stripped and rest:
        stripped = False
        for lead in _LEAD_INS:
            if tuple(rest[: len(lead)]) == lead:
                rest, stripped = rest[len(lead) :], True
                break
    return rest


def _leading_name(tokens: Sequence[str]) -> str | None:
    rest = _without_lead_ins(tokens)
    leading: list[str] = []
    for token in rest:
        if token in _NAME_STOPS or len(leading) == _MAX_NAME_WORDS + 1:
            break
        leading.append(token)
    name = [t for t in leading if t.isalpha()]
    if not name or len(name) != len(leading):
        return None
    return " ".join(part.capitalize() for part in name)


def _name_after(tokens: Sequence[str], start: int) -> str | None:
    """The alphabetic words from `start`, up to three, stopping at a stop word."""
    name: list[str] = []
    for token in tokens[start:]:
        if token in _NAME_STOPS or not token.isalpha() or len(name) == _MAX_NAME_WORDS:
            break
        name.append(token)
    return " ".join(part.capitalize() for part in name) if name else None


_NAME_WORDS = 4


def name_shaped(text: str) -> bool:
    """A few words of letters ("Jamie O'Neil-Park", "Will Price") with at most one that
    names are rarely made of: never a sentence said at the question ("let me think")."""
    parts = text.split()
    plain = all(part.replace("'", "").replace("-", "").replace(".", "").isalpha() for part in parts)
    stops = sum(word in _NAME_STOPS for word in words(text))
    return plain and 0 < len(parts) <= _NAME_WORDS and stops <= 1 and stops < len(parts)


_STATING = ((_CLIENT_CUES, False), (_CALLER_CUES, True), (_CALLER_WRITTEN, True))
"""Cues that state a name, and whether the name is the caller's own."""


def stated_name(text: str, *, said_name: bool = False) -> tuple[str, bool] | None:
    """A name said unasked, and whether it is the caller's own ("my name is Jane Doe").

    A client cue ("my son's name is Leo", "her name is …") names the client; a caller cue
    names the caller, who is the client only when the care is for them. The name ends
    with its clause. `said_name` counts only cues that say "name" ("their name is Riley
    Lee"), for answers in the caller's own words ("the client is struggling" names no one),
    and the other cues only before a name written as one ("this is Taylor Okafor"). A cue
    that opens a clause after a joiner ("… panic attacks and this is Jordan Lee") also
    counts only before a written name. Said with the caller's own ("this is Alex Rivera, and
    the client's name is Jamie Rivera"), the client's name is the one returned.
    """
    written = {name.casefold() for name in written_names(text)}
    parts = [(tokens, False) for tokens in clauses(text)]
    parts += [(words(clause), True) for clause in joined_clauses(text)]
    own: tuple[str, bool] | None = None
    for tokens, joined in parts:
        for cues, callers in _STATING:
            found = [(span, cue) for cue in cues if (span := cue.find(tokens)) is not None]
            for span, cue in sorted(found, key=lambda pair: pair[0]):
                named = _name_after(tokens, span[1])
                if not named:
                    continue
                plain = not joined and cue not in _CALLER_WRITTEN
                plain = plain and (not said_name or cue in _SAID_NAME)
                if not (plain or named.casefold() in written):
                    continue
                if not callers:
                    return named, callers
                own = own or (named, callers)
    return own
