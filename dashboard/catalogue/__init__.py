"""Every figure of Parcours, declared once: ``CATALOGUE[name]`` (see ``dashboard.catalogue.base``).

The order is the order of the command line's ``--list`` and of the
definitions page.
"""

from dashboard.catalogue import cohorts, exits, needs, overview, referrals, time_to_exit, workshops
from dashboard.catalogue.base import Column, Figure, Kind

CATALOGUE: dict[str, Figure] = {
    figure.name: figure
    for module in (overview, referrals, needs, workshops, exits, time_to_exit, cohorts)
    for figure in module.FIGURES
}

__all__ = ["CATALOGUE", "Column", "Figure", "Kind"]
