"""Every script line id the engine can speak; a library lacking any is refused.

`require_engine_lines` runs when the services are built (and in `frontdesk check`), so a
practice's edited library fails at start-up rather than in the middle of a call. A library
written for an older version lacks the lines added since: the refusal names them and the
command that appends their shipped wording for review. Lines the engine does not know (a
line an older version spoke, a misspelt id) are never spoken: they are reported, not refused.
"""

from __future__ import annotations

import difflib
from enum import StrEnum

from frontdesk.conversation.script import ScriptLibrary
from frontdesk.domain.errors import ScriptError

ADD_MISSING_COMMAND = "frontdesk scripts add-missing"
"""The command that appends the shipped wording of every missing line to a practice's file."""


class Line(StrEnum):
    """An approved line id."""

    GREETING = "greeting"
    GREETING_AFTER_HOURS = "greeting_after_hours"
    ASK_PURPOSE = "ask_purpose"
    ASK_NEW_OR_EXISTING = "ask_new_or_existing"
    CALLBACK_WILL_CALL = "callback_will_call"
    NOTED = "noted"
    # The same questions in other words: a pending question is asked once more this way.
    ASK_FOR_WHOM_REWORDED = "ask_for_whom_reworded"
    ASK_AGE_SELF_REWORDED = "ask_age_self_reworded"
    ASK_AGE_CHILD_REWORDED = "ask_age_child_reworded"
    ASK_AGE_OTHER_REWORDED = "ask_age_other_reworded"
    ASK_CONCERN_REWORDED = "ask_concern_reworded"
    ASK_STATE_REWORDED = "ask_state_reworded"
    ASK_MODALITY_REWORDED = "ask_modality_reworded"
    ASK_MODALITY_AGAIN_REWORDED = "ask_modality_again_reworded"
    ASK_TELEHEALTH_SETUP_REWORDED = "ask_telehealth_setup_reworded"
    ASK_PAYMENT_REWORDED = "ask_payment_reworded"
    ASK_PAYMENT_AGAIN_REWORDED = "ask_payment_again_reworded"
    ASK_PAYER_REWORDED = "ask_payer_reworded"
    ASK_AVAILABILITY_REWORDED = "ask_availability_reworded"
    ASK_REMINDER_REWORDED = "ask_reminder_reworded"
    ASK_EMAIL_REWORDED = "ask_email_reworded"
    ASK_CALLBACK_KNOWN_REWORDED = "ask_callback_known_reworded"
    ASK_CALLBACK_NUMBER_REWORDED = "ask_callback_number_reworded"
    ASK_CONSENT_TO_TEXT_REWORDED = "ask_consent_to_text_reworded"
    ASK_CLIENT_NAME_REWORDED = "ask_client_name_reworded"
    ASK_NAME_SELF_REWORDED = "ask_name_self_reworded"
    ASK_NEW_CLIENT_NAME_REWORDED = "ask_new_client_name_reworded"
    ASK_NEW_OR_EXISTING_REWORDED = "ask_new_or_existing_reworded"
    EMERGENCY = "emergency"
    EMERGENCY_CONNECTING = "emergency_connecting"
    CRISIS = "crisis"
    CRISIS_REPEAT = "crisis_repeat"
    SAFETY_CHECK = "safety_check"
    SAFETY_CHECK_THANKS = "safety_check_thanks"
    # After the crisis wording: a person, 988, scheduling later, the options, a goodbye.
    CRISIS_TRANSFER_ON_CALL = "crisis_transfer_on_call"
    CRISIS_TRANSFER_FRONT_DESK = "crisis_transfer_front_desk"
    CRISIS_CONNECT_988 = "crisis_connect_988"
    CRISIS_NO_PERSON = "crisis_no_person"
    CRISIS_BOOKING_LATER = "crisis_booking_later"
    CRISIS_OPTIONS = "crisis_options"
    CRISIS_GOODBYE = "crisis_goodbye"
    SENSITIVE_ACK = "sensitive_ack"
    HANDOFF_CLINICAL = "handoff_clinical"
    HANDOFF_ADMINISTRATIVE = "handoff_administrative"
    HANDOFF_CLOSE = "handoff_close"
    INTAKE_START = "intake_start"
    ASK_FOR_WHOM = "ask_for_whom"
    ASK_AGE_SELF = "ask_age_self"
    ASK_AGE_CHILD = "ask_age_child"
    ASK_AGE_OTHER = "ask_age_other"
    ASK_CONCERN = "ask_concern"
    ASK_STATE = "ask_state"
    STATE_NOT_COVERED = "state_not_covered"
    ASK_MODALITY = "ask_modality"
    TELEHEALTH_NOT_OFFERED = "telehealth_not_offered"
    IN_PERSON_NOT_OFFERED = "in_person_not_offered"
    ASK_MODALITY_AGAIN = "ask_modality_again"
    ASK_TELEHEALTH_SETUP = "ask_telehealth_setup"
    ASK_PAYMENT = "ask_payment"
    ASK_PAYER = "ask_payer"
    PAYER_ACCEPTED = "payer_accepted"
    PAYER_BY_STATE = "payer_by_state"
    PAYER_NOT_ACCEPTED = "payer_not_accepted"
    PAYER_ALTERNATIVES = "payer_alternatives"
    SLIDING_SCALE_AVAILABLE = "sliding_scale_available"
    ASK_PAYMENT_AGAIN = "ask_payment_again"
    ASK_AVAILABILITY = "ask_availability"
    ASK_REMINDER = "ask_reminder"
    ASK_CALLBACK_KNOWN = "ask_callback_known"
    ASK_CALLBACK_NUMBER = "ask_callback_number"
    READBACK_NUMBER = "readback_number"
    ASK_CONSENT_TO_TEXT = "ask_consent_to_text"
    READBACK_VALUE = "readback_value"
    SAY_YES_OR_NO = "say_yes_or_no"
    RESUME_INTAKE = "resume_intake"
    DONT_KNOW_OK = "dont_know_ok"
    TAKE_YOUR_TIME = "take_your_time"
    CLOSE_CALLBACK_NEW = "close_callback_new"
    EXISTING_START = "existing_start"
    ASK_CLIENT_NAME = "ask_client_name"
    ASK_EXISTING_NEED = "ask_existing_need"
    CLOSE_CALLBACK_EXISTING = "close_callback_existing"
    ASK_MESSAGE = "ask_message"
    MESSAGE_EMPTY = "message_empty"
    MESSAGE_TAKEN = "message_taken"
    OFFER_MESSAGE = "offer_message"
    TRANSFER_FRONT_DESK = "transfer_front_desk"
    PERSON_UNAVAILABLE = "person_unavailable"
    REPROMPT_SILENCE = "reprompt_silence"
    REPROMPT_NO_MATCH = "reprompt_no_match"
    ANSWER_INSURANCE_LIST = "answer_insurance_list"
    ANSWER_INSURANCE_NONE = "answer_insurance_none"
    ANSWER_FEES = "answer_fees"
    ANSWER_CONSULT_FREE = "answer_consult_free"
    ANSWER_CONSULT_FEE = "answer_consult_fee"
    ANSWER_SLIDING_SCALE = "answer_sliding_scale"
    ANSWER_NO_SLIDING_SCALE = "answer_no_sliding_scale"
    ANSWER_TELEHEALTH = "answer_telehealth"
    ANSWER_CLINICIANS = "answer_clinicians"
    ANSWER_SPECIALTIES = "answer_specialties"
    ANSWER_HOURS = "answer_hours"
    ANSWER_LOCATION = "answer_location"
    ANSWER_CANCELLATION = "answer_cancellation"
    ANSWER_AUTOMATED = "answer_automated"
    ANSWER_UNKNOWN = "answer_unknown"
    ANYTHING_ELSE = "anything_else"
    GOODBYE = "goodbye"
    ANSWER_SLIDING_SCALE_GENERAL = "answer_sliding_scale_general"
    ANSWER_CLINICIAN = "answer_clinician"
    ANSWER_SPECIALTY_YES = "answer_specialty_yes"
    ANSWER_SPECIALTY_NO = "answer_specialty_no"
    ANSWER_CLINICIANS_FIT = "answer_clinicians_fit"
    ANSWER_CLINICIANS_NONE_FIT = "answer_clinicians_none_fit"
    ANSWER_FEES_IN_NETWORK = "answer_fees_in_network"
    # Callers speaking another language hear one line in it, offering a callback.
    LANGUAGE_CALLBACK_ES = "language_callback_es"
    ASK_EMAIL = "ask_email"
    READBACK_EMAIL = "readback_email"
    ASK_NAME_SELF = "ask_name_self"
    ASK_NEW_CLIENT_NAME = "ask_new_client_name"
    READBACK_NAME = "readback_name"
    READBACK_NAME_SPELLED = "readback_name_spelled"
    # Booking inside the call: offers, confirmation, waitlist, existing clients.
    OFFER_SLOTS = "offer_slots"
    OFFER_MORE = "offer_more"
    OFFER_CLOSEST = "offer_closest"
    OPTION_VIDEO = "option_video"
    OPTION_IN_PERSON = "option_in_person"
    NO_MORE_SLOTS = "no_more_slots"
    WHICH_SLOT = "which_slot"
    CONFIRM_SLOT_VIDEO = "confirm_slot_video"
    CONFIRM_SLOT_IN_PERSON = "confirm_slot_in_person"
    BOOKED_CONSULT = "booked_consult"
    BOOKED_FIRST_SESSION = "booked_first_session"
    BOOKED_NEXT_VIDEO = "booked_next_video"
    BOOKED_NEXT_IN_PERSON = "booked_next_in_person"
    SLOT_TAKEN = "slot_taken"
    NO_FIT_WAITLIST_OR_CALLBACK = "no_fit_waitlist_or_callback"
    WAITLISTED = "waitlisted"
    ASK_DOB = "ask_dob"
    VERIFY_FAILED = "verify_failed"
    NO_UPCOMING = "no_upcoming"
    READ_APPOINTMENT = "read_appointment"
    APPOINTMENTS_INTRO = "appointments_intro"
    APPOINTMENTS_INTRO_MANY = "appointments_intro_many"
    APPOINTMENT_OPTION = "appointment_option"
    APPOINTMENTS_LATER = "appointments_later"
    WHICH_APPOINTMENT_CANCEL = "which_appointment_cancel"
    WHICH_APPOINTMENT_MOVE = "which_appointment_move"
    APPOINTMENT_CHOSEN = "appointment_chosen"
    APPOINTMENT_LATER_CALLBACK = "appointment_later_callback"
    ASK_CANCEL_REASON = "ask_cancel_reason"
    CONFIRM_CANCEL = "confirm_cancel"
    CANCEL_KEPT = "cancel_kept"
    CANCELLED = "cancelled"
    CANCELLED_LATE = "cancelled_late"
    ASK_RESCHEDULE_REASON = "ask_reschedule_reason"
    CONFIRM_RESCHEDULE_VIDEO = "confirm_reschedule_video"
    CONFIRM_RESCHEDULE_IN_PERSON = "confirm_reschedule_in_person"
    RESCHEDULED = "rescheduled"
    BOOKING_FAILED = "booking_failed"
    # Spoken by the phone edge around the engine: voicemail, slow turns, failures, transfers.
    VOICEMAIL_PROMPT = "voicemail_prompt"
    VOICEMAIL_THANKS = "voicemail_thanks"
    TIMEOUT_PROMPT = "timeout_prompt"
    FALLBACK_PROMPT = "fallback_prompt"
    TRANSFER_MISSED = "transfer_missed"
    # Sent by text: the missed-call follow-up, replies to inbound texts, reminders.
    MISSED_CALL_TEXT = "missed_call_text"
    SMS_RECEIVED = "sms_received"
    SMS_UNAVAILABLE = "sms_unavailable"
    SMS_HELP = "sms_help"
    REMINDER_APPOINTMENT = "reminder_appointment"
    REMINDER_FIRST_SESSION_TELEHEALTH = "reminder_first_session_telehealth"
    REMINDER_FIRST_SESSION_IN_PERSON = "reminder_first_session_in_person"
    # Spoken: the reminder for a client who chose a phone call (or declined texts).
    REMINDER_CALL = "reminder_call"
    # Sent by text about the waitlist and in answer to scheduling replies.
    REMINDER_OPENING_OFFER = "reminder_opening_offer"
    REMINDER_OPENING_GONE = "reminder_opening_gone"
    SMS_CONFIRMED = "sms_confirmed"
    SMS_RESCHEDULE_RECEIVED = "sms_reschedule_received"
    SMS_OFFER_BOOKED = "sms_offer_booked"
    SMS_OFFER_GONE = "sms_offer_gone"


REMINDER_LINES: frozenset[str] = frozenset(
    {
        Line.REMINDER_APPOINTMENT,
        Line.REMINDER_FIRST_SESSION_TELEHEALTH,
        Line.REMINDER_FIRST_SESSION_IN_PERSON,
        Line.REMINDER_CALL,
    }
)
"""Reminder texts and calls: discreet by rule (`frontdesk.domain.reminders.lint_template`)."""

REQUIRED_LINES: frozenset[str] = frozenset(line.value for line in Line)

WHOLE_LINES: frozenset[str] = frozenset(
    {Line.EMERGENCY, Line.EMERGENCY_CONNECTING, Line.CRISIS, Line.CRISIS_REPEAT}
)
"""The crisis and emergency wording: read in full, never cut short, every resource named."""

CRISIS_PATH_LINES: frozenset[str] = WHOLE_LINES | frozenset(
    {
        Line.CRISIS_TRANSFER_ON_CALL,
        Line.CRISIS_TRANSFER_FRONT_DESK,
        Line.CRISIS_CONNECT_988,
        Line.CRISIS_NO_PERSON,
        Line.CRISIS_BOOKING_LATER,
        Line.CRISIS_OPTIONS,
        Line.CRISIS_GOODBYE,
    }
)
"""Everything a call may say once the crisis or emergency wording was given."""

READ_WHOLE_LINES: frozenset[str] = WHOLE_LINES | frozenset({Line.SAFETY_CHECK})
"""Lines a practice's library must mark `whole: true`: never cut short by the caller."""


def missing_engine_lines(library: ScriptLibrary) -> list[str]:
    """The lines this version speaks that `library` lacks, sorted."""
    return library.missing(REQUIRED_LINES)


def unknown_lines(library: ScriptLibrary) -> list[str]:
    """The lines of `library` this version never speaks (they are ignored), sorted."""
    return library.unknown(REQUIRED_LINES)


def closest_line(line_id: str) -> str | None:
    """The engine line an unknown id is probably a misspelling of, if one is close."""
    found = difflib.get_close_matches(line_id, sorted(REQUIRED_LINES), n=1, cutoff=0.85)
    return found[0] if found else None


def describe_unknown(line_ids: list[str]) -> str:
    """One sentence naming lines the engine never speaks, with the likely intended ids."""
    named = []
    for line_id in line_ids:
        meant = closest_line(line_id)
        named.append(f"{line_id} (did you mean {meant}?)" if meant else line_id)
    return (
        f"the script library has lines this version never speaks, ignored: {', '.join(named)}; "
        "remove or rename them"
    )


def require_engine_lines(library: ScriptLibrary) -> None:
    """Refuse a library lacking a line the engine speaks (naming the command that adds it),
    or with crisis wording or the direct safety question that the caller could cut short."""
    missing = missing_engine_lines(library)
    if missing:
        raise ScriptError(
            f"the script library is missing required lines: {', '.join(missing)}; run "
            f"`{ADD_MISSING_COMMAND}` to append the shipped wording of each for review"
        )
    library.require(REQUIRED_LINES, whole=READ_WHOLE_LINES)
