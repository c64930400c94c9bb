"""Benchmarks shipped with the project (`frontdesk bench NAME`).

Each module here exposes `register(subparsers)` and is listed in
`frontdesk.entrypoints.cli.commands.BENCHES`; only the one being run is imported.
"""
