"""No text reaches a caller that is not a rendered line of the approved library."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.conversation.engine_fakes import NOW, context, heard, said

from frontdesk.conversation.engine import step
from frontdesk.conversation.events import CallerPressed, CallStarted, Event, HungUp, Silence
from frontdesk.conversation.lines import CRISIS_PATH_LINES, REQUIRED_LINES, Line
from frontdesk.conversation.state import CallState
from frontdesk.conversation.understanding.result import Request, Topic
from frontdesk.domain.calls import Intent, Route
from frontdesk.domain.inquiries import ForWhom, Modality, Payment, ReminderPreference

UTTERANCES = [
    heard("new client", intent=Intent.NEW_CLIENT),
    heard("consult", intent=Intent.CONSULT),
    heard("reschedule", intent=Intent.RESCHEDULE),
    heard("cancel", intent=Intent.CANCEL),
    heard("existing", intent=Intent.EXISTING_CLIENT),
    heard("waitlist", intent=Intent.WAITLIST),
    heard("insurance?", intent=Intent.INSURANCE_QUESTION, payer="bcbs"),
    heard("kaiser?", topics=[Topic.INSURANCE], payer_unlisted="Kaiser"),
    heard("fees?", intent=Intent.FEE_QUESTION),
    heard("video?", intent=Intent.TELEHEALTH_QUESTION),
    heard("who?", intent=Intent.PROVIDER_QUESTION, specialty="trauma"),
    heard("ocd?", topics=[Topic.SPECIALTIES], specialty="eating disorders"),
    heard("hours?", topics=[Topic.HOURS, Topic.LOCATION, Topic.CANCELLATION_POLICY]),
    heard("robot?", topics=[Topic.AUTOMATED, Topic.SLIDING_SCALE]),
    heard("message", intent=Intent.MESSAGE),
    heard("person", intent=Intent.SPEAK_TO_PERSON),
    heard("me 30", for_whom=ForWhom.SELF, client_age=30),
    heard("son 9", for_whom=ForWhom.CHILD, client_age=9),
    heard("ohio", state="OH"),
    heard("video", modality=Modality.TELEHEALTH),
    heard("in person", modality=Modality.IN_PERSON),
    heard("aetna", payer="aetna"),
    heard("sliding", payment=Payment.SLIDING_SCALE),
    heard("sms", reminder_preference=ReminderPreference.SMS),
    heard("number", callback_number="+13125550111"),
    heard("yes", affirm=True),
    heard("no", affirm=False),
    heard("repeat", requests=[Request.REPEAT]),
    heard("wait", requests=[Request.WAIT]),
    heard("dunno", requests=[Request.DONT_KNOW]),
    heard("bye", requests=[Request.GOODBYE]),
    heard("crisis"),
    heard("emergency"),
    heard("clinical"),
    heard("records"),
    heard("sensitive"),
    heard("wish it would all stop"),
    heard("gibberish words here"),
]
ROUTES = {
    "crisis": Route.CRISIS,
    "emergency": Route.EMERGENCY,
    "clinical": Route.CLINICAL,
    "records": Route.ADMINISTRATIVE,
    "sensitive": Route.SENSITIVE,
}
CTX = context(UTTERANCES, routes=ROUTES, checks={"wish it would all stop", "sensitive"})

event_strategy = st.one_of(
    st.sampled_from([u.text for u in UTTERANCES]).map(lambda text: said(text)),
    st.sampled_from([u.text for u in UTTERANCES]).map(lambda text: said(text, confidence=0.2)),
    st.just(Silence(NOW)),
    st.just(CallerPressed(NOW, "3125550123")),
)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(event_strategy, max_size=25),
    after_hours=st.booleans(),
    hang_up=st.booleans(),
)
def test_every_reply_is_a_rendered_library_line(
    events: list[Event], after_hours: bool, hang_up: bool
) -> None:
    """Whatever the caller does, every line spoken is a known id that renders completely, the
    direct safety question is asked at most once and no crisis-path line more than twice."""
    library = CTX.practice.scripts
    state = CallState()
    said: list[str] = []
    sequence: list[Event] = [CallStarted(NOW, "+15555550123", after_hours), *events]
    if hang_up:
        sequence.append(HungUp(NOW))
    for event in sequence:
        turn = step(state, event, context=CTX)
        for say in turn.says:
            assert say.line_id in REQUIRED_LINES
            assert library.render(say)
        if state.crisis:
            assert all(s.line_id in CRISIS_PATH_LINES for s in turn.says)
        state = turn.state
        said.extend(s.line_id for s in turn.says)
    assert said.count(Line.SAFETY_CHECK) <= 1
    assert all(said.count(line) <= 2 for line in CRISIS_PATH_LINES)
