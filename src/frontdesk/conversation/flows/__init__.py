"""The call flows: each phase of a call as a function from (state, understanding) to a step.

`frontdesk.conversation.engine.step` runs the safety screen and understanding, then hands
the turn to the flow of the current phase; flows return the next state as a value.
"""
