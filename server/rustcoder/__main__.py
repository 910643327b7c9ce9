"""Allow `python -m rustcoder`."""

from rustcoder.cli import main

raise SystemExit(main())
