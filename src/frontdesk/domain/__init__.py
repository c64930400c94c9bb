"""Pure domain model: inquiries, appointments, waitlist, callbacks, events, errors.

Imports only the standard library and other `frontdesk.domain` / `frontdesk.conversation`
modules; `tests/unit/test_architecture.py` enforces it.
"""
