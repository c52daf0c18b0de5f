"""Analyses over persons: the adjusted effect of regular workshop attendance and typologies of needs at entry.

Pure modules (no Streamlit): every analysis starts from a set of persons, a
``Data`` snapshot and the page's ``Filters`` (``population.entries``) or a
members frame with ``pid`` (a cohort, ``dashboard.cohorts.members``), and
"entry" is always the person's first support period entry. Methods,
assumptions and caveats are in ``docs/analyses.md``.
"""
