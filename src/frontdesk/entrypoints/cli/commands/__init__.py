"""One module per `frontdesk` sub-command, each exposing `register(subparsers)`.

`frontdesk.entrypoints.cli.main` discovers them, so adding a command never edits a shared list.
"""
