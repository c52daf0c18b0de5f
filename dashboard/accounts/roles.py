"""Roles, the scope a user's grants give, and the pages each role opens.

A grant is a (role, structure) pair; ``*`` stands for every structure, present and future. A user may hold
several roles, each on its own structures; the scope is their union.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.accounts.access import Access

ADMINISTRATOR, STAFF, BOARD, RESEARCHER = "administrator", "staff", "board", "researcher"
ROLES = (ADMINISTRATOR, STAFF, BOARD, RESEARCHER)
ALL = "*"

_ANALYSIS = frozenset({STAFF, RESEARCHER, ADMINISTRATOR})
PAGE_ROLES: dict[str, frozenset[str]] = {
    "overview": frozenset(ROLES),
    "referrals": _ANALYSIS, "needs": _ANALYSIS, "workshops": _ANALYSIS, "exits": _ANALYSIS,
    "pathways": _ANALYSIS, "analyses": _ANALYSIS, "cohorts": _ANALYSIS, "comparison": _ANALYSIS,
    "extracts": _ANALYSIS, "data": _ANALYSIS,
    "load": frozenset({STAFF, ADMINISTRATOR}), "quality": frozenset({STAFF, ADMINISTRATOR}),
    "users": frozenset({ADMINISTRATOR}), "audit": frozenset({ADMINISTRATOR}),
}
"""Which roles open each page. A page missing here opens for administrators only (deny by default)."""
BOARD_REPORT_ROLES = frozenset(ROLES)
"""Every role may take the board report (published figures only)."""


@dataclass(frozen=True)
class Scope:
    """What one signed-in person may do and see: their grants, as (role, structure) pairs."""

    username: str
    grants: frozenset[tuple[str, str]]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, _ in self.grants)

    def has(self, role: str, structure: str | None = None) -> bool:
        """Whether the user holds ``role`` (on ``structure``, when given)."""
        return any(r == role and (structure is None or s in (ALL, structure)) for r, s in self.grants)

    def structures(self, known: Iterable[str], role: str | None = None) -> frozenset[str]:
        """The structures of ``known`` the grants cover (of one role, when given)."""
        known = frozenset(known)
        chosen: set[str] = set()
        for r, s in self.grants:
            if role is None or r == role:
                chosen |= known if s == ALL else ({s} & known)
        return frozenset(chosen)

    def access(self, known: Iterable[str], *, staff_exact: bool) -> Access:
        """The snapshot's structures and their levels (see ``dashboard.accounts.access``)."""
        known = frozenset(known)
        staff = self.structures(known, STAFF)
        admin = self.structures(known, ADMINISTRATOR)
        return Access(structures=self.structures(known), exact=staff if staff_exact else frozenset(),
                      screen=admin | (frozenset() if staff_exact else staff))

    def may_open(self, page: str) -> bool:
        return bool(self.roles & PAGE_ROLES.get(page, frozenset({ADMINISTRATOR})))

    def may_load(self, structure: str) -> bool:
        """Administrators load for any structure, staff for theirs."""
        return self.has(ADMINISTRATOR) or self.has(STAFF, structure)


def pages_for(scope: Scope | None, keys: Iterable[str]) -> list[str]:
    """The pages of ``keys`` that ``scope`` opens, in order; none without a scope."""
    return [key for key in keys if scope is not None and scope.may_open(key)]
