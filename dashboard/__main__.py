"""``python -m dashboard figures ...`` (``dashboard.cli``) and ``python -m dashboard report ...``
(``dashboard.report_cli``)."""

import sys

if sys.argv[1:2] == ["report"]:
    from dashboard.report_cli import main as report_main

    raise SystemExit(report_main(sys.argv[2:]))

from dashboard.cli import main

raise SystemExit(main())
