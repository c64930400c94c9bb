"""Every script line id the engine can speak; a library lacking any is refused.

`ScriptLibrary.require(REQUIRED_LINES)` runs when the services are built, so a practice's
edited library fails at start-up rather than in the middle of a call.
"""

from __future__ import annotations

from enum import StrEnum


class Line(StrEnum):
    """An approved line id."""

    GREETING = "greeting"
    GREETING_AFTER_HOURS = "greeting_after_hours"
    ASK_PURPOSE = "ask_purpose"
    EMERGENCY = "emergency"
    EMERGENCY_TRANSFER = "emergency_transfer"
    CRISIS = "crisis"
    CRISIS_REPEAT = "crisis_repeat"
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
    ASK_MODALITY_AGAIN = "ask_modality_again"
    ASK_TELEHEALTH_SETUP = "ask_telehealth_setup"
    ASK_PAYMENT = "ask_payment"
    ASK_PAYER = "ask_payer"
    PAYER_ACCEPTED = "payer_accepted"
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
    ASK_EMAIL = "ask_email"
    READBACK_EMAIL = "readback_email"
    # Spoken by the phone edge around the engine: voicemail, slow turns, failures, transfers.
    VOICEMAIL_PROMPT = "voicemail_prompt"
    VOICEMAIL_THANKS = "voicemail_thanks"
    TIMEOUT_PROMPT = "timeout_prompt"
    FALLBACK_PROMPT = "fallback_prompt"
    TRANSFER_MISSED = "transfer_missed"
    # Sent by text: the missed-call follow-up, replies to inbound texts, reminders.
    MISSED_CALL_TEXT = "missed_call_text"
    SMS_RECEIVED = "sms_received"
    SMS_HELP = "sms_help"
    REMINDER_APPOINTMENT = "reminder_appointment"
    REMINDER_FIRST_SESSION_TELEHEALTH = "reminder_first_session_telehealth"
    REMINDER_FIRST_SESSION_IN_PERSON = "reminder_first_session_in_person"
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
    }
)
"""Reminder texts: discreet by rule (`frontdesk.domain.reminders.lint_template`)."""

REQUIRED_LINES: frozenset[str] = frozenset(line.value for line in Line)

WHOLE_LINES: frozenset[str] = frozenset({Line.EMERGENCY, Line.CRISIS, Line.CRISIS_REPEAT})
"""Lines read in full, never cut short (crisis and emergency wording)."""
