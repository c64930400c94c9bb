"""Which offer the caller means: "the second one", "Tuesday", "the 6 pm with Dr. Reyes".

Used wherever a short list is read aloud (slots to book, a client's upcoming appointments)
and for a time the caller names instead ("Thursday morning"). Pure functions of what the
caller said and the offers read.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.conversation.flows.base import EngineContext
from frontdesk.conversation.state import Offer
from frontdesk.conversation.understanding.result import Understanding
from frontdesk.domain.inquiries import AvailabilityWindow

_PICK_WORDS = {  # ordinals before bare numbers: "the second one" is the second
    "first": 0,
    "1st": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "one": 0,
    "two": 1,
    "three": 2,
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?=\W|$)")
_NEGATED = re.compile(
    r"\b(not|isn't|wasn't|don't mean) (the |that )?"
    r"(first|1st|second|2nd|third|3rd|last|one|two|three)( one)?\b"
)
_OTHERS = re.compile(
    r"\b(other|others|else|different|another|later|earlier|none of (those|them|these)"
    r"|neither|more options|more times)\b"
)
_DEFAULT_HOUR = time(12)


def pick_offer(offers: tuple[Offer, ...], u: Understanding, context: EngineContext) -> Offer | None:
    """The offer the caller picked ("the second one", "Tuesday", "the 6 pm"); None if unclear."""
    if not offers:
        return None
    text, dates = _heard(u), _dates(u)
    narrowed = _narrow(offers, text, dates, context.practice.zone)
    if narrowed is None:
        return None
    candidates, days, said_time, names = narrowed
    if dates and len(candidates) == 1:
        return candidates[0]  # a date names one day; "the 12th, the second one" adds nothing
    if "last" in text.split():
        return candidates[-1] if (days or said_time or names) else offers[-1]
    ordinal = next(
        (n for word, n in _PICK_WORDS.items() if re.search(rf"\b{word}\b(?!\s*(am|pm|:))", text)),
        None,
    )
    if ordinal is not None and not said_time:
        pool = candidates if (days or names) else list(offers)
        return pool[ordinal] if ordinal < len(pool) else None
    if (days or said_time or names) and len(candidates) == 1:
        return candidates[0]
    if len(offers) == 1 and u.affirm is True:
        return offers[0]
    return None


def described(
    offers: tuple[Offer, ...], u: Understanding, context: EngineContext
) -> tuple[Offer, ...] | None:
    """The offers that fit every weekday, clock time and clinician the caller named.

    None when the caller named none of these (a bare "the second one" describes nothing).
    """
    narrowed = _narrow(offers, _heard(u), _dates(u), context.practice.zone)
    if narrowed is None:
        return ()
    candidates, days, said_time, names = narrowed
    return tuple(candidates) if (days or said_time or names) else None


def _heard(u: Understanding) -> str:
    """What the caller said, padded, with any position they ruled out ("not the first one")
    taken away, so only the one they want is read."""
    return _NEGATED.sub(" ", f" {u.normalized.lower()} ")


def _dates(u: Understanding) -> frozenset[date]:
    """The calendar dates the caller named ("the 12th", "December 3")."""
    return frozenset(w.on for w in u.slots.availability if w.on is not None)


def _narrow(
    offers: tuple[Offer, ...], text: str, dates: frozenset[date], zone: ZoneInfo
) -> tuple[list[Offer], bool, bool, bool] | None:
    """The offers fitting what `text` names, and whether it named a day, a time, a clinician.

    A clock time or a clinician that fits none is ignored; a weekday or a date that fits
    none is None.
    """
    candidates = list(offers)
    hours = [(int(m[1]), m[3]) for m in _CLOCK.finditer(text) if int(m[1]) <= 23]
    said_time = False
    if hours:
        timed = [o for o in candidates if any(_hour_fits(o, h, mer, zone) for h, mer in hours)]
        if timed:
            candidates, said_time = timed, True
    days = [d for d in _WEEKDAYS if re.search(rf"\b{d}\b", text)]
    if days:
        dated = [
            o for o in candidates if _WEEKDAYS[o.slot.start.astimezone(zone).weekday()] in days
        ]
        if not dated:
            return None
        candidates = dated
    if dates:
        on_date = [o for o in candidates if o.slot.start.astimezone(zone).date() in dates]
        if not on_date:
            return None
        candidates = on_date
    names = [o for o in candidates if _names_clinician(o, text)]
    if names:
        candidates = names
    return candidates, bool(days or dates), said_time, bool(names)


def _hour_fits(offer: Offer, hour: int, meridiem: str | None, zone: ZoneInfo) -> bool:
    local = offer.slot.start.astimezone(zone)
    if meridiem is None:
        return local.hour % 12 == hour % 12
    pm = meridiem.startswith("p")
    return local.hour == (hour % 12) + (12 if pm else 0)


def _names_clinician(offer: Offer, text: str) -> bool:
    parts = [p.lower() for p in re.findall(r"[A-Za-z]+", offer.clinician.split(",")[0])]
    return any(len(p) > 2 and re.search(rf"\b{p}\b", text) for p in parts)


def wants_others(u: Understanding) -> bool:
    """ "Anything else?", "other times", "none of those": a request for more slots."""
    return bool(_OTHERS.search(u.normalized.lower()))


def named_time(
    windows: tuple[AvailabilityWindow, ...], *, now: datetime, context: EngineContext
) -> datetime | None:
    """The moment a caller named ("Thursday morning"), in practice local time; None if none."""
    if not windows:
        return None
    window = windows[0]
    zone = context.practice.zone
    today = now.astimezone(zone).date()
    at = window.start or _DEFAULT_HOUR
    if window.on is not None:
        day = window.on
    elif window.weekdays:
        numbers = {d.number for d in window.weekdays}
        day = next(
            today + timedelta(days=n)
            for n in range(1, 8)
            if (today + timedelta(days=n)).weekday() in numbers
        )
    elif window.start is not None:
        day = today + timedelta(days=1)
    else:
        return None
    return datetime.combine(day, at, tzinfo=zone)
