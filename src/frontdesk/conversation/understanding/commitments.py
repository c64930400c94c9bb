"""Standing commitments the caller states: when they are busy, never when they are free.

"I work Tuesdays", "I have class Mondays", "she has soccer practice on Saturdays", "class is
on Mondays", "I drop him off at 3": the day or time is the commitment's, so a careful front
desk records no availability from it; so does being away ("I'm out of town until the 5th",
"I'll be gone Monday", "I'm in Mexico from August 1 to August 5"), or "I have an appointment
Friday at 2" or "I've got plans Friday", unless the words are about an appointment of ours
(`ours`: "I have an appointment Friday at 2 and need to cancel it"). Said as the point an
offer starts from ("I'm free after I drop him off at 3", "after I pick her up at 3:30") or
beside being free ("I work until 5"), the clause offers time and is read as before. The
words are data: `calendar_words.json` `commitments`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from frontdesk.conversation.understanding.data_files import load

_CALENDAR = load("calendar_words")
_WORDS = _CALENDAR["commitments"]
_SAID_FREE = frozenset(_CALENDAR["doings"]["said_free"])
_SUBJECTS = frozenset(_WORDS["subjects"])
_OWNERS = frozenset(_WORDS["owners"])
_LEADS = frozenset(_WORDS["leads"])
_VERBS = frozenset(_WORDS["verbs"])
_HAVING = frozenset(_WORDS["having"])
_BETWEEN = frozenset(_WORDS["between"])
_DUTIES = frozenset(_WORDS["duties"])
_ENGAGEMENTS = frozenset(_WORDS["engagements"])
_AFTER_DUTIES = frozenset(_WORDS["after_duties"])
_IS = frozenset(_WORDS["is"])
_IS_NOT = frozenset(_WORDS["is_not"])
_ROUNDS: dict[str, str] = _WORDS["rounds"]
_BEING = frozenset(_WORDS["being"])
_AWAY = tuple(tuple(frozenset(w.split("|")) for w in p.split()) for p in _WORDS["away"])
_IN_PLACES_NOT = frozenset(_WORDS["in_places_not"])
_IN_PLACE_STAYS: dict[str, list[str]] = _WORDS["in_place_stays"]
_AWAY_BOUNDS = frozenset(_WORDS["away_bounds"])
_PLACE_REACH = 2  # "in Mexico from", "in New York until"
_ROUND_REACH = 4  # "pick my little brother up": the word that completes the round comes soon
SUBORDINATORS = frozenset({"after", "once", "before", "until", "till", "til"})
"""Words that make a deed the point an offer starts or ends at ("after I drop him off")."""
_ASKING = frozenset({"can", "could", "may", "might", "would", "will", "shall", "should", "if"})
"""Words before the subject that ask for an engagement or suppose one ("may I have an
appointment Friday at 2"), rather than state it."""


def says_busy(tokens: Sequence[str], *, ours: bool = False) -> bool:
    """Whether a clause states a standing commitment ("I work Tuesdays", "I have class
    Mondays", "I pick up the kids at 3", "I have an appointment Friday") and says nothing of
    being free outside it ("I work until 5", "I'm free after I drop him off at 3" do): its
    days and times are no availability. `ours` when the words are about an appointment with
    the practice, which "I have an appointment" then names."""
    spans = commitment_spans(tokens, ours=ours)
    away = away_spans(tokens)
    if not spans and not away:
        return False
    inside = {i for start, end in (*spans, *away) for i in range(start, end)}
    # "until the 5th" after being away is when they come back, no offer of the day itself
    free = _SAID_FREE - _AWAY_BOUNDS if away else _SAID_FREE
    return not any(t in free and i not in inside for i, t in enumerate(tokens))


def away_spans(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Where the clause says someone is away ("I'm out of town", "she'll be on vacation",
    "we're in Mexico from August 1", "I'll be gone"), as (start, end) of its words: the
    days and times said with it are when they are not free. Said after "after", "once" or
    "until" it marks when an offer starts or ends ("after we're back from vacation") and
    is none; "I'm in town" is no absence."""
    found = []
    for i in range(len(tokens)):
        end = _away_at(tokens, i)
        if end is None:
            continue
        subject = _subject(tokens, i, also=_BEING)
        if subject is not None and not (subject and tokens[subject - 1] in SUBORDINATORS):
            found.append((i, end))
    return found


def _away_at(tokens: Sequence[str], i: int) -> int | None:
    """The end of words of being away starting at `i` ("out of town", "on vacation", "in
    Mexico from" with an end to the stay: "from August 1 to August 5"), else None; "I'll be
    in Wisconsin from Monday on" says where the client will be, not that they are away."""
    for phrase in _AWAY:
        if all(i + k < len(tokens) and tokens[i + k] in words for k, words in enumerate(phrase)):
            return i + len(phrase)
    if tokens[i] != "in" or i + 1 >= len(tokens) or tokens[i + 1] in _IN_PLACES_NOT:
        return None
    place = tokens[i + 1 : i + 2 + _PLACE_REACH]
    ending = next((k for k, t in enumerate(place) if t in _IN_PLACE_STAYS), None)
    if not ending or any(not t.isalpha() for t in place[:ending]):
        return None
    stay = i + 1 + ending
    closers = _IN_PLACE_STAYS[tokens[stay]]
    if closers and not any(t in closers for t in tokens[stay + 1 :]):
        return None
    return stay + 1


def commitment_spans(tokens: Sequence[str], *, ours: bool = False) -> list[tuple[int, int]]:
    """Where the clause states a standing commitment ("I work Tuesdays", "I have class
    Mondays", "I pick up the kids at 3"), as (start, end) of its words; a deed after
    "after", "once", "before" or "until" marks when an offer starts or ends and is none."""
    return [
        (start, end)
        for start, end, subject in _found(tokens, ours=ours)
        if not (subject and tokens[subject - 1] in SUBORDINATORS)
    ]


def subject_at(tokens: Sequence[str], i: int) -> bool:
    """Whether a deed opens at `i`: its doer ("I", "my son", "the kids") or a word in -ing
    ("dropping")."""
    if i >= len(tokens):
        return False
    word = tokens[i]
    return word in _SUBJECTS or word in _OWNERS or word == "the" or word.endswith("ing")


def completes_a_round(tokens: Sequence[str], i: int) -> bool:
    """Whether the word at `i` completes a round said before it ("drop him off", "pick up"):
    that "off" is no end of a shift ("I get off at 5")."""
    before = tokens[max(0, i - _ROUND_REACH) : i]
    return any(_ROUNDS.get(t) == tokens[i] for t in before)


def _found(tokens: Sequence[str], *, ours: bool) -> Iterator[tuple[int, int, int]]:
    """(start, end, where its subject starts) of each commitment said."""
    for i, token in enumerate(tokens):
        if token in _VERBS and not _before_for(tokens, i):
            subject = _subject(tokens, i)
            if subject is not None:
                yield i, i + 1, subject
        elif token in _HAVING:
            subject = _subject(tokens, i)
            duty = _duty_after(tokens, i + 1)
            if duty is None and not ours and subject is not None:
                duty = _engagement_after(tokens, i + 1, subject)
            if subject is not None and duty is not None:
                yield i, duty, subject
        elif token in _DUTIES and _held(tokens, i + 1):
            yield i, i + 2, i
        elif token in _ROUNDS:
            ending = _ROUNDS[token]
            reach = tokens[i + 1 : i + 1 + _ROUND_REACH]
            if ending in reach:
                subject = _subject(tokens, i)
                yield i, i + 2 + reach.index(ending), i if subject is None else subject


def _held(tokens: Sequence[str], i: int) -> bool:
    """Whether a duty is said to be held from `i` ("class is on Mondays", "school starts at
    8"), not over ("school is out", "class is over")."""
    return (
        i < len(tokens)
        and tokens[i] in _IS
        and not (i + 1 < len(tokens) and tokens[i + 1] in _IS_NOT)
    )


def _before_for(tokens: Sequence[str], i: int) -> bool:
    """ "who do you work for": whom one works for is no schedule."""
    return i + 1 < len(tokens) and tokens[i + 1] == "for"


def _subject(tokens: Sequence[str], i: int, *, also: frozenset[str] = frozenset()) -> int | None:
    """Where the subject of the verb at `i` starts: a pronoun ("I", "she") or a person named
    by an owner ("my husband"), perhaps with `leads` (or words `also` given) between ("I also
    have to", "I will be")."""
    j = i - 1
    while j >= 0 and (tokens[j] in _LEADS or tokens[j] in also) and tokens[j] not in _SUBJECTS:
        j -= 1
    if j >= 0 and tokens[j] in _SUBJECTS:
        return j
    if j >= 1 and tokens[j - 1] in _OWNERS:
        return j - 1
    return None


def _engagement_after(tokens: Sequence[str], i: int, subject: int) -> int | None:
    """The end of an engagement had ("an appointment", "plans", "a prior commitment")
    starting at `i`, else None; one asked for ("can I have an appointment") is none."""
    if subject and tokens[subject - 1] in _ASKING:
        return None
    while i < len(tokens) and tokens[i] in _BETWEEN:
        i += 1
    return i + 1 if i < len(tokens) and tokens[i] in _ENGAGEMENTS else None


def _duty_after(tokens: Sequence[str], i: int) -> int | None:
    """The end of a duty had ("class", "a shift", "soccer practice", "a doctor's
    appointment") starting at `i`, else None."""
    while i < len(tokens) and tokens[i] in _BETWEEN and tokens[i] not in _DUTIES:
        i += 1
    if i >= len(tokens) or tokens[i] not in _DUTIES:
        return None
    while i < len(tokens) and (tokens[i] in _DUTIES or tokens[i] in _AFTER_DUTIES):
        i += 1
    return i
