"""``python -m dashboard figures ...``: see ``dashboard.cli``."""

from dashboard.cli import main

raise SystemExit(main())
