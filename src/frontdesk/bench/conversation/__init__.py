"""`frontdesk bench conversation`: simulated callers who don't follow the script.

Each call draws a caller's facts at random (for whom, age, state, modality, payer,
availability, reminders, number, name, a concern) and says them in varied words from
`frontdesk/bench/conversation/callers.toml`, SGD `dev` dates and times, CLINC150 `train` asides and
DiaSafety `train` risk sentences: in random order, several per sentence, with questions,
silences, corrections, goodbyes and hang-ups. The calls run through the real services on a
fresh SQLite database with the example practice, and every record, reply and booking is
checked against what the caller actually said (`frontdesk.bench.conversation.checks`). Each
violation names the seed and call to replay: `--replay SEED:CALL` prints that call.
"""

from __future__ import annotations

import argparse

from frontdesk.bench._options import add_common_options, datasets_dir
from frontdesk.bench._stats import print_report
from frontdesk.bench.conversation.runner import run_bench, transcript
from frontdesk.bench.engine import example_services
from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput

__all__ = ["register", "run", "run_bench"]


def _replay_target(text: str) -> tuple[int, int]:
    seed, _, call = text.partition(":")
    try:
        return int(seed), int(call)
    except ValueError:
        raise InvalidInput("--replay takes SEED:CALL, e.g. 7:42") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("conversation", description=__doc__)
    parser.add_argument("--calls", type=int, default=10_000, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--replay",
        metavar="SEED:CALL",
        default=None,
        help="print one call's transcript and violations (runs the calls before it first)",
    )
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    datasets = datasets_dir(args, settings)
    build_services = example_services(settings)
    if args.replay is not None:
        seed, call = _replay_target(args.replay)
        _, log = run_bench(
            calls=call + 1, seed=seed, datasets=datasets, build_services=build_services, replay=call
        )
        assert log is not None
        print(transcript(log, seed=seed, call=call))
        return 0
    if args.calls < 1:
        raise InvalidInput("--calls must be at least 1")
    result, _ = run_bench(
        calls=args.calls, seed=args.seed, datasets=datasets, build_services=build_services
    )
    print_report(result, as_json=args.json)
    return 0
