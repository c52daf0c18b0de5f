"""The level at which a signed-in person sees a selection of structures.

Three levels, strictest last:

- ``exact``: no perturbation on screen (staff on their own structures, when the deployment allows it);
- ``screen``: the deployment's mode and the on-screen threshold (administrators);
- ``published``: perturbed figures at the publication threshold, on screen too (boards, researchers, and staff
  on anything that mixes in other structures).

A selection gets the strictest level of the structures it covers, so a network total or a comparison with the
network is published even for staff who see their own structure exactly. Outputs that leave the app
(``published=True``: downloads, images, reports, extracts) never take the ``exact`` level from a scope: files
travel to people who do not hold the case files.
"""

from collections.abc import Iterable
from dataclasses import dataclass

EXACT, SCREEN, PUBLISHED = "exact", "screen", "published"


@dataclass(frozen=True)
class Access:
    """Structures a snapshot holds, and those seen at the exact or the on-screen level (the rest: published)."""

    structures: frozenset[str]
    exact: frozenset[str] = frozenset()
    screen: frozenset[str] = frozenset()

    def level(self, selected: Iterable[str]) -> str:
        """The level of a selection; an empty selection means every structure of the snapshot."""
        chosen = frozenset(selected) or self.structures
        if chosen <= self.exact:
            return EXACT
        if chosen <= self.exact | self.screen:
            return SCREEN
        return PUBLISHED

    def disclosure(self, selected: Iterable[str], published: bool, mode: str) -> tuple[bool, str]:
        """(published, mode) for a figure of ``selected``: the request and the server's mode, never loosened
        beyond the level (``mode`` is the server's ``PARCOURS_DISCLOSURE``)."""
        level = self.level(selected)
        if level == PUBLISHED:
            return True, "protected"
        if level == EXACT and not published:
            return False, "exact"
        return published, mode

    def key(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """A hashable form, for caches."""
        return tuple(sorted(self.structures)), tuple(sorted(self.exact)), tuple(sorted(self.screen))
