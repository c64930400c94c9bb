"""The pure call engine: safety screen, understanding, flows and approved script.

Imports only the standard library and other `frontdesk.domain` / `frontdesk.conversation`
modules; `tests/unit/test_architecture.py` enforces it.
"""
