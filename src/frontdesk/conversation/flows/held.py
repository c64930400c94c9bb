"""A verified client's upcoming appointments, read as a short numbered list to pick from.

Only the next `READ_AT_MOST` are read aloud, soonest first; later ones are left to staff so
the list stays short enough to hold in mind on the phone.
"""

from __future__ import annotations

from frontdesk.conversation.flows.base import say
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import Booking, Offer
from frontdesk.domain.calls import Intent

READ_AT_MOST = 3
_ORDINALS = ("First", "Second", "Third")
_COUNTS = {2: "two", 3: "three"}


def readable(booking: Booking) -> tuple[Offer, ...]:
    """The appointments read to the caller: the next `READ_AT_MOST`, soonest first."""
    return booking.held[:READ_AT_MOST]


def read_held(booking: Booking, intent: Intent | None) -> tuple[Say, ...]:
    """How many there are, each one numbered, and which one the caller means."""
    if len(booking.held) > READ_AT_MOST:
        intro = say(Line.APPOINTMENTS_INTRO_MANY)
    else:
        intro = say(Line.APPOINTMENTS_INTRO, count=_COUNTS[len(booking.held)])
    return (intro, *held_prompt(booking, intent))


def held_prompt(booking: Booking, intent: Intent | None) -> tuple[Say, ...]:
    """The numbered appointments and the question, as asked again after a reprompt."""
    read = tuple(
        say(Line.APPOINTMENT_OPTION, ordinal=_ORDINALS[n], when=o.when, clinician=o.clinician)
        for n, o in enumerate(readable(booking))
    )
    later = (say(Line.APPOINTMENTS_LATER),) if len(booking.held) > READ_AT_MOST else ()
    cancelling = intent is Intent.CANCEL
    which = say(Line.WHICH_APPOINTMENT_CANCEL if cancelling else Line.WHICH_APPOINTMENT_MOVE)
    return (*read, *later, which)
