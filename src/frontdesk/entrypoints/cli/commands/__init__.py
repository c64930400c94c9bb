"""The `frontdesk` sub-commands: one module each, listed here by name and help line.

Each module exposes `register(subparsers)`, which builds its command's full parser; only the
module of the command being run is imported (`frontdesk.entrypoints.cli.lazy`). A test
checks that this table and the modules agree.
"""

from __future__ import annotations

from frontdesk.entrypoints.cli.lazy import Command

BENCHES: tuple[Command, ...] = (
    Command(
        "audit",
        "frontdesk.bench.audit",
        "audit log: concurrent appends per second and latency, then a full chain walk",
    ),
    Command(
        "conversation",
        "frontdesk.bench.conversation",
        "simulated callers off the script: record precision and recall, loops, rules kept",
    ),
    Command(
        "engine",
        "frontdesk.bench.engine",
        "per-turn latency of the call engine and of a stored turn; SGD date/time recall",
    ),
    Command(
        "outbox",
        "frontdesk.bench.outbox",
        "outbox worker throughput with several workers, and the exactly-once check",
    ),
    Command(
        "report",
        "frontdesk.bench.report",
        "time `frontdesk report` over a million recorded calls (load fixture)",
    ),
    Command(
        "schedule",
        "frontdesk.bench.schedule",
        "time finding openings at 30 clinicians; race twenty bookings of one slot",
    ),
    Command(
        "screen",
        "frontdesk.bench.screen",
        "measure the safety screen on the public data sets",
    ),
    Command(
        "sgd-dates",
        "frontdesk.bench.sgd_dates",
        "date/time recall of understanding on the SGD therapist dialogues",
    ),
    Command(
        "understanding",
        "frontdesk.bench.understanding",
        "per-utterance latency of understanding, on SGD turns and in every expecting mode",
    ),
    Command(
        "webhook",
        "frontdesk.bench.webhook",
        "concurrent signed callers against `frontdesk serve` on loopback (SQLite)",
    ),
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "audit",
        "frontdesk.entrypoints.cli.commands.audit",
        "check the audit log's hash chain, print its anchor, or list entries",
    ),
    Command(
        "appointments",
        "frontdesk.entrypoints.cli.commands.appointments",
        "list appointments (default: today and the next 14 days)",
    ),
    Command(
        "bench",
        "frontdesk.entrypoints.cli.commands.bench",
        "run a benchmark (see `frontdesk bench --help`)",
        BENCHES,
    ),
    Command(
        "book",
        "frontdesk.entrypoints.cli.commands.book",
        "book a new or established client as staff (weekly sessions too), by the phone's rules",
    ),
    Command(
        "call",
        "frontdesk.entrypoints.cli.commands.call",
        "talk to the front desk in the terminal",
    ),
    Command(
        "callbacks",
        "frontdesk.entrypoints.cli.commands.callbacks",
        "list open callback tasks, most urgent first; `done ID` marks one done",
    ),
    Command(
        "cancel",
        "frontdesk.entrypoints.cli.commands.cancel",
        "cancel a booked appointment (late inside the notice window; offered to the waitlist)",
    ),
    Command(
        "check",
        "frontdesk.entrypoints.cli.commands.check",
        "validate the practice file and script library, and summarise them",
    ),
    Command(
        "clients",
        "frontdesk.entrypoints.cli.commands.clients",
        "add an established client (for caller verification)",
    ),
    Command(
        "demo",
        "frontdesk.entrypoints.cli.commands.demo",
        "the example practice with a realistic history, served with the call simulator",
    ),
    Command(
        "demo-data",
        "frontdesk.entrypoints.cli.commands.demo_data",
        "build a realistic call, booking and callback history through the real services",
    ),
    Command(
        "doctor",
        "frontdesk.entrypoints.cli.commands.doctor",
        "check a deployment: settings, practice, scripts, database, Twilio, notifier",
    ),
    Command(
        "ics",
        "frontdesk.entrypoints.cli.commands.ics",
        "export a clinician's bookings as iCalendar, or import busy time from one",
    ),
    Command(
        "init",
        "frontdesk.entrypoints.cli.commands.init",
        "write an example practice file and script library, and create the database",
    ),
    Command(
        "keys",
        "frontdesk.entrypoints.cli.commands.keys",
        "encryption keys: generate, add, rotate stored values to the newest, verify",
    ),
    Command(
        "mark",
        "frontdesk.entrypoints.cli.commands.mark",
        "record attendance: attended, no_show, late_cancelled or cancelled",
    ),
    Command(
        "migrate",
        "frontdesk.entrypoints.cli.commands.migrate",
        "apply database migrations",
    ),
    Command(
        "move",
        "frontdesk.entrypoints.cli.commands.move",
        "move a booked appointment to another open time",
    ),
    Command(
        "openings",
        "frontdesk.entrypoints.cli.commands.openings",
        "list open slots in the next days (default 14, first sessions)",
    ),
    Command(
        "outbox",
        "frontdesk.entrypoints.cli.commands.outbox",
        "list outbound messages (never their text); `resolve ID` settles an uncertain one",
    ),
    Command(
        "purge",
        "frontdesk.entrypoints.cli.commands.purge",
        "remove or redact content older than the practice's retention settings",
    ),
    Command(
        "records",
        "frontdesk.entrypoints.cli.commands.records",
        "a person's records on request: export them as JSON, or erase them",
    ),
    Command(
        "report",
        "frontdesk.entrypoints.cli.commands.report",
        "measured metrics for a date range (default the last 30 days)",
    ),
    Command(
        "roi",
        "frontdesk.entrypoints.cli.commands.roi",
        "estimate the first-session value that answering every call could recover",
    ),
    Command(
        "screen",
        "frontdesk.entrypoints.cli.commands.screen",
        "screen caller text for crisis language and print the verdict",
    ),
    Command(
        "scripts",
        "frontdesk.entrypoints.cli.commands.scripts",
        "script library: `add-missing` appends the shipped wording of lines it lacks, for review",
    ),
    Command(
        "serve",
        "frontdesk.entrypoints.cli.commands.serve",
        "run the web application: Twilio webhooks, JSON API, /healthz, simulator",
    ),
    Command(
        "simulate",
        "frontdesk.entrypoints.cli.commands.simulate",
        "replay a scripted call through the engine, services and database",
    ),
    Command(
        "users",
        "frontdesk.entrypoints.cli.commands.users",
        "staff accounts of the console: add, list, disable, enable, reset-password",
    ),
    Command(
        "waitlist",
        "frontdesk.entrypoints.cli.commands.waitlist",
        "list waitlist entries, oldest first",
    ),
    Command(
        "worker",
        "frontdesk.entrypoints.cli.commands.worker",
        "send due outbound messages (reminders, follow-ups, offers) through the notifier",
    ),
)
