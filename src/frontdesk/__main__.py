"""Allow `python -m frontdesk`."""

from frontdesk.entrypoints.cli.main import main

raise SystemExit(main())
