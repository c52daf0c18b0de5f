"""``python -m dashboard figures ...`` (``dashboard.cli``), ``python -m dashboard compare ...``
(``dashboard.compare_cli``) and ``python -m dashboard report ...`` (``dashboard.report_cli``)."""

import sys

if sys.argv[1:2] == ["report"]:
    from dashboard.report_cli import main as report_main

    raise SystemExit(report_main(sys.argv[2:]))
if sys.argv[1:2] == ["compare"]:
    from dashboard.compare_cli import main as compare_main

    raise SystemExit(compare_main(sys.argv[2:]))

if sys.argv[1:2] == ["extract"]:  # a cohort's safe person-level extract (dashboard.extract_cli)
    from dashboard.extract_cli import main as extract_main

    raise SystemExit(extract_main(sys.argv[2:]))
if sys.argv[1:2] == ["users"]:  # accounts, for operators (dashboard.accounts.cli)
    from dashboard.accounts.cli import main as users_main

    raise SystemExit(users_main(sys.argv[2:]))

from dashboard.cli import main

raise SystemExit(main())
