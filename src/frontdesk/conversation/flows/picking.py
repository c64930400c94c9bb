"""Which offer the caller means: "the second one", "Tuesday", "the 6 pm with Dr. Reyes".

Used wherever a short list is read aloud (slots to book, a client's upcoming appointments)
and for a time the caller names instead ("Thursday morning"). Pure functions of what the
caller said and the offers read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.conversation.flows.base import EngineContext
from frontdesk.conversation.state import Offer
from frontdesk.conversation.understanding.choices import read_choice
from frontdesk.conversation.understanding.result import Choice, SaidTime, Understanding
from frontdesk.domain.inquiries import AvailabilityWindow

_OTHERS = re.compile(
    r"\b(other|others|else|different|another|later|earlier|none of (those|them|these)"
    r"|neither|more options|more times)\b"
)
_DEFAULT_HOUR = time(12)


def pick_offer(offers: tuple[Offer, ...], u: Understanding, context: EngineContext) -> Offer | None:
    """The offer the caller picked, resolved against the offers read; None unless just one fits.

    Each reading of the words is tried against the offers: the position ("the second one"),
    and what the words describe (weekday, date, clock time, part of the day, clinician). A
    clock time, part of the day or name that fits no offer is dropped as misheard; a
    weekday or date that fits none asks for another day, so nothing is picked. When the
    position and the description both name an offer they must agree; a request for times
    ("anything Friday morning?") picks nothing. A position the caller ruled out ("not the
    first one") is never the one picked.
    """
    said = u.choice
    if not offers or said.asks_for_times:
        return None
    zone = context.practice.zone
    said = _days_as_read(offers, u, said, zone)
    open_ = tuple(o for n, o in enumerate(offers) if not _ruled_out(n, len(offers), said))
    fitting = _describe(open_, said, zone)
    if fitting == ():
        return None
    if said.position is not None:
        readings = _positioned(offers, fitting, said.position)
        readings = {o for o in readings if o in open_}
        if readings:
            return readings.pop() if len(readings) == 1 else None
    if fitting is not None:
        return fitting[0] if len(fitting) == 1 else None
    if len(offers) == 1 and u.affirm is True and said.position is None:
        return offers[0]
    return None


def _days_as_read(
    offers: tuple[Offer, ...], u: Understanding, said: Choice, zone: ZoneInfo
) -> Choice:
    """The choice with each day of the month heard as a day of the offers read.

    Offers are read by weekday and day of the month ("Thursday the 2nd"), never by month, so
    "the 2nd" names the offer on a 2nd, even one weeks away, where a calendar reading from
    today gives the coming 2nd (or today, on the 2nd). A day is the offer's when the words,
    heard on that day and on the day before, name it both times, and it is the day of the
    month the caller said: "today", "tomorrow" or "March 2nd" never name an offer this way.
    "The 4th" when three were read is no position: it is the 4th, if an offer is on it.
    """
    days = {_local(o, zone).date() for o in offers}
    if said.dates & days:
        return said
    if said.dates:
        spoken = {d.day for d in said.dates}
        tokens = u.normalized.split()
        heard = {
            day
            for day in days
            if day.day in spoken
            and day in read_choice(tokens, today=day).dates
            and day in read_choice(tokens, today=day - timedelta(days=1)).dates
        }
        return replace(said, dates=frozenset(heard)) if heard else said
    position = said.position
    if position is not None and len(offers) < position and not said.describes:
        on = frozenset(day for day in days if day.day == position)
        if on:
            return replace(said, position=None, dates=on)
    return said


def _ruled_out(n: int, count: int, said: Choice) -> bool:
    return (n + 1) in said.ruled_out or (n == count - 1 and -1 in said.ruled_out)


def _positioned(
    offers: tuple[Offer, ...], fitting: tuple[Offer, ...] | None, position: int
) -> set[Offer]:
    """The offers a position can mean: in the list read, or among those described."""
    readings: set[Offer] = set()
    for pool in (offers, fitting or ()):
        index = len(pool) - 1 if position == -1 else position - 1
        if 0 <= index < len(pool) and (fitting is None or pool[index] in fitting):
            readings.add(pool[index])
    return readings


def _describe(offers: tuple[Offer, ...], said: Choice, zone: ZoneInfo) -> tuple[Offer, ...] | None:
    """The offers fitting what the caller described; None when they described nothing."""
    candidates = offers
    named = False
    if said.weekdays:
        candidates = tuple(o for o in candidates if _local(o, zone).weekday() in said.weekdays)
        named = True
    if said.dates:
        candidates = tuple(o for o in candidates if _local(o, zone).date() in said.dates)
        named = True
    if named and not candidates:
        return ()

    def at_time(o: Offer) -> bool:
        return any(_time_fits(o, t, zone) for t in said.times)

    def in_part(o: Offer) -> bool:
        return any(a <= _local(o, zone).time() < b for a, b in said.parts_of_day)

    def named_clinician(o: Offer) -> bool:
        return _names_clinician(o, said.words)

    for keep in (at_time, in_part, named_clinician):
        narrowed = tuple(o for o in candidates if keep(o))
        if narrowed:  # words that fit no offer were misheard, not a wish
            candidates, named = narrowed, True
    return candidates if named else None


def _local(offer: Offer, zone: ZoneInfo) -> datetime:
    return offer.slot.start.astimezone(zone)


def _time_fits(offer: Offer, said: SaidTime, zone: ZoneInfo) -> bool:
    local = _local(offer, zone)
    if local.minute != said.minute:
        return False
    return local.hour == said.hour if said.exact else local.hour % 12 == said.hour % 12


def _names_clinician(offer: Offer, words: tuple[str, ...]) -> bool:
    parts = [p.lower() for p in re.findall(r"[A-Za-z]+", offer.clinician.split(",")[0])]
    return any(len(p) > 2 and p in words for p in parts)


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
