"""How to reach the client: e-mail, reminder preference and consent to text.

An address is data, not speech: its words ("jordan dot lee at ...") are kept apart from
the rest of the utterance so that no other reading takes them for a clinician, a payer,
a state or a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import Words, words
from frontdesk.conversation.understanding.phrases import compile_all, first
from frontdesk.domain.inquiries import ReminderPreference

_SLOTS = load("slots")
_REMINDER = {ReminderPreference(k): compile_all(v) for k, v in _SLOTS["reminder"].items()}
_REMINDER_CUE = compile_all(_SLOTS["reminder_cue"])
_REMINDER_SAID = {ReminderPreference(k): compile_all(v) for k, v in _SLOTS["reminder_said"].items()}
_THIS_NUMBER = compile_all(_SLOTS["this_number"])
_THIS_NUMBER_NOT = compile_all(_SLOTS["this_number_not"])
_CONSENT_NO = compile_all(_SLOTS["consent_to_text"]["no"])
_CONSENT_YES = compile_all(_SLOTS["consent_to_text"]["yes"])
_TLDS = frozenset({"com", "org", "net", "edu", "gov", "us", "io", "co", "me", "info", "biz", "app"})
_CONNECTORS = {"dot": ".", "period": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_TYPED = re.compile(r"[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,4}")
_MAX_LABEL_WORDS = 3
HIDDEN = "@"
"""Stands where an address was said; no lexicon word or pattern matches it."""


@dataclass(frozen=True, slots=True)
class Address:
    """An e-mail address found in an utterance, and the utterance's words around it.

    `around` is the utterance's tokens with the address's words replaced by one `HIDDEN`
    token, so phrases on either side keep their places without joining across it. `rest` is
    the utterance as said, its punctuation kept, with the address taken out and a comma in
    its place (None when the address's words cannot be found in it as said), so the clauses
    said beside an address can be read ("it's sam at example dot com. do you have a sliding
    scale?" asks a question).
    """

    email: str
    around: Words
    rest: str | None = None


def address(text: str, tokens: Words) -> Address | None:
    """A typed address ("jane.doe@gmail.com") or a spoken one ("jane dot doe at gmail dot com")."""
    lowered = text.lower()
    typed = _TYPED.search(lowered)
    if typed:
        found = typed.group(0).rstrip(".")
        end = typed.start() + len(found)
        around = (*words(lowered[: typed.start()]), HIDDEN, *words(lowered[end:]))
        return Address(found, around, _without(lowered, typed.start(), end))
    for i, word in enumerate(tokens):
        if word == "at" and i > 0:
            domain = _domain(tokens, i + 1)
            local = _local_part(tokens, i - 1)
            if domain and local:
                (local_part, start), (domain_part, stop) = local, domain
                around = (*tokens[:start], HIDDEN, *tokens[stop:])
                return Address(
                    f"{local_part}@{domain_part}", around, _spoken_rest(lowered, tokens[start:stop])
                )
    return None


def _without(lowered: str, start: int, end: int) -> str:
    """The utterance with the characters from `start` to `end` replaced by a comma."""
    return f"{lowered[:start].rstrip()}, {lowered[end:].lstrip()}"


def _spoken_rest(lowered: str, said: Sequence[str]) -> str | None:
    """The utterance without the words of a spoken address, when they are found as said."""
    pattern = r"\W+".join(re.escape(word) for word in said)
    found = re.search(rf"\b{pattern}\b", lowered)
    return None if found is None else _without(lowered, found.start(), found.end())


def _domain(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
    """Reads "gmail dot com", "g mail dot co dot uk" → "gmail.com"; must end in a known TLD.

    With the domain comes the index just past its last word.
    """
    labels: list[str] = []
    current: list[str] = []
    for j in range(i, len(tokens)):
        word = tokens[j]
        if word == "dot":
            if not current:
                return None
            labels.append("".join(current))
            current = []
            continue
        if not word.isalnum() or len(current) >= _MAX_LABEL_WORDS:
            break
        current.append(word)
        if labels and word in _TLDS:
            labels.append("".join(current))
            return ".".join(labels), j + 1
    return None


def _local_part(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
    """Walks back from the word before "at" across "dot" / "underscore" and spelled letters.

    With the local part comes the index of its first word.
    """
    parts: list[str] = []
    start = i + 1
    while i >= 0:
        token = tokens[i]
        if not token.isalnum():
            break
        parts.insert(0, token)
        start = i
        before = tokens[i - 1] if i > 0 else ""
        if before in _CONNECTORS and i >= 2:
            parts.insert(0, _CONNECTORS[before])
            start = i - 1
            i -= 2
            continue
        if len(before) == 1 and before.isalnum() and (len(token) == 1 or before not in "ai"):
            i -= 1
            continue
        break
    return ("".join(parts), start) if parts else None


def reminder(tokens: Sequence[str], *, expecting: bool = False) -> ReminderPreference | None:
    """Text, e-mail or a call; without the question asked, only beside "reminder" words or
    said outright as the way to be reached ("text is fine", "email is best")."""
    if not expecting and first(_REMINDER_CUE, tokens) is None:
        said = [(span[0], k) for k, pats in _REMINDER_SAID.items() if (span := first(pats, tokens))]
        return min(said)[1] if said else None
    tokens = _without_postal_mail(_without_owned_phones(tokens))
    found = [(span[0], kind) for kind, pats in _REMINDER.items() if (span := first(pats, tokens))]
    return min(found)[1] if found else None


def _without_owned_phones(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words with "my phone" left out where it is the thing owned ("my phone was too
    close to my card", "pairing with my phone"), not where reminders go ("to my phone", "call
    my phone", "my phone number")."""
    kept = list(tokens)
    for i, said in enumerate(tokens):
        if said != "phone" or i == 0 or tokens[i - 1] not in _OWNERS:
            continue
        before = tokens[i - 2] if i >= 2 else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if before not in _SENT_TO and after not in _PHONE_USES:
            kept[i] = ""
    return tuple(kept)


def _without_postal_mail(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words with the post left out ("my new card will get here in the mail", "snail
    mail"): "the mail" is letters, not e-mail, while "mail", "by mail" and "mail me" still
    choose e-mail."""
    return tuple(
        "" if said == "mail" and i > 0 and tokens[i - 1] in _POSTAL else said
        for i, said in enumerate(tokens)
    )


_POSTAL = frozenset({"the", "snail", "postal", "regular"})
_OWNERS = frozenset({"my", "our", "his", "her", "their", "your"})
_SENT_TO = frozenset({"to", "on", "at", "by", "via", "call", "ring"})
_PHONE_USES = frozenset({"call", "calls", "number"})


def this_number(tokens: Sequence[str]) -> bool | None:
    """True when the caller says the number they call from is the one to use ("this number
    is good", "you can reach me at this number"); None otherwise ("not this number")."""
    if first(_THIS_NUMBER, tokens) is None or first(_THIS_NUMBER_NOT, tokens) is not None:
        return None
    return True


def consent_to_text(tokens: Sequence[str]) -> bool | None:
    """Consent said outright ("you can text me", "please don't text")."""
    if first(_CONSENT_NO, tokens):
        return False
    return True if first(_CONSENT_YES, tokens) else None
