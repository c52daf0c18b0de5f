"""Avoided social costs: published outcome counts times unit costs, always as a range (low – high).

Each outcome is a published count of the period (``exits`` at the
published threshold) multiplied by a unit cost that is an **assumption**,
given as a range with the source it comes from. The defaults below are
orders of magnitude from published French sources, to be checked and
replaced by each structure with its own figures: a file (TOML or JSON,
``--costs FILE`` on the command line or the setting ``PARCOURS_REPORT_COSTS``)
overrides any of them::

    [housing_exit]
    low = 6000
    high = 15000
    source = "Our own estimate: 6 to 12 months of a CHRS place"

An outcome whose published count is hidden ("< k" or "masqué") is left out,
never estimated, and the report says so. The total is rounded to two
significant figures: it is an order of magnitude, never one exact euro figure.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from dashboard.formatting import NBSP, fmt_int
from dashboard.report.model import CostLine, Costs


@dataclass(frozen=True)
class UnitCost:
    outcome: str
    low: float
    high: float
    label: dict[str, str]
    source: dict[str, str]


DEFAULT_UNIT_COSTS: dict[str, UnitCost] = {
    "housing_exit": UnitCost(
        "housing_exit", 5_400, 18_000,
        label={"fr": "Sortie vers un logement (autonome ou accompagné)",
               "en": "Exit to housing (independent or supported)"},
        source={
            "fr": "Hypothèse : une sortie vers un logement évite de 6 à 12 mois (180 à 365 nuits) d'hébergement "
                  "d'urgence, à 30 à 50 € la nuit. Ordre de grandeur du coût d'une place d'hébergement d'urgence "
                  "par nuit publié par l'étude nationale des coûts des structures AHI (DGCS) et les rapports de la "
                  "Cour des comptes sur l'hébergement des personnes sans domicile ; une place de CHRS coûte de "
                  "l'ordre de 15 000 à 20 000 € par an selon les mêmes sources.",
            "en": "Assumption: an exit to housing avoids 6 to 12 months (180 to 365 nights) of emergency shelter, "
                  "at 30 to 50 € a night. Order of magnitude of the cost of an emergency-shelter place per night "
                  "published by the national cost study of AHI shelters (DGCS) and the Cour des comptes' reports "
                  "on housing homeless people; a CHRS place costs in the order of 15,000 to 20,000 € a year "
                  "according to the same sources.",
        },
    ),
    "employment_exit": UnitCost(
        "employment_exit", 3_800, 7_800,
        label={"fr": "Sortie vers un emploi (durable ou de transition)",
               "en": "Exit to employment (lasting or transitional)"},
        source={
            "fr": "Hypothèse : une sortie vers un emploi évite de 6 à 12 mois de RSA pour une personne seule "
                  "(montant forfaitaire de l'ordre de 640 € par mois en 2025, service-public.fr et CAF), sans "
                  "compter les cotisations et impôts payés ni les autres aides évitées.",
            "en": "Assumption: an exit to employment avoids 6 to 12 months of RSA (minimum income) for a single "
                  "person (flat amount in the order of 640 € a month in 2025, service-public.fr and CAF), leaving "
                  "out the contributions and taxes paid and any other benefit avoided.",
        },
    ),
}
OUTCOMES = tuple(DEFAULT_UNIT_COSTS)

_WORDS = {
    "fr": {
        "intro": "Les coûts évités sont des ordres de grandeur : des effectifs publiés multipliés par des coûts "
                 "unitaires qui sont des hypothèses, données en fourchette. Ils ne mesurent pas un impact causal : "
                 "certaines de ces sorties auraient eu lieu sans l'accompagnement.",
        "hidden": "{label} : effectif masqué (moins de {k} ou masqué) ; la ligne est laissée de côté, jamais estimée.",
        "override": "Coûts unitaires lus dans le fichier {name}.",
        "range": "entre {low} et {high}",
        "none": "aucun effectif publiable : pas d'estimation",
    },
    "en": {
        "intro": "Avoided costs are orders of magnitude: published counts times unit costs that are assumptions, "
                 "given as ranges. They do not measure a causal impact: some of these exits would have happened "
                 "without the support.",
        "hidden": "{label}: count hidden (under {k} or masked); the line is left out, never estimated.",
        "override": "Unit costs read from the file {name}.",
        "range": "between {low} and {high}",
        "none": "no publishable count: no estimate",
    },
}


class CostsFileError(ValueError):
    """A unit-cost file that cannot be read (the message names the problem, never a path beyond the file name)."""


def load_unit_costs(path: str | Path | None, lang: str = "fr") -> tuple[dict[str, UnitCost], str | None]:
    """The default unit costs, overridden by ``path`` (TOML or JSON) when given; returns them and the file's name."""
    costs = dict(DEFAULT_UNIT_COSTS)
    if not path:
        return costs, None
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
        document = json.loads(text) if file.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, ValueError) as exc:
        raise CostsFileError(("fichier de coûts illisible" if lang == "fr" else "unreadable cost file")
                             + f" « {file.name} » : {type(exc).__name__}") from None
    for outcome, entry in document.items():
        if outcome not in costs or not isinstance(entry, dict):
            raise CostsFileError(("résultat inconnu dans le fichier de coûts" if lang == "fr" else
                                  "unknown outcome in the cost file") + f" : {outcome} ({', '.join(OUTCOMES)})")
        base = costs[outcome]
        try:
            low, high = float(entry.get("low", base.low)), float(entry.get("high", base.high))
        except (TypeError, ValueError):
            raise CostsFileError(f"{outcome}: low/high") from None
        if not (0 <= low <= high) or not math.isfinite(high):
            raise CostsFileError(f"{outcome}: 0 <= low <= high")
        source = entry.get("source")
        costs[outcome] = UnitCost(outcome, low, high, base.label,
                                  {"fr": str(source), "en": str(source)} if source else base.source)
    return costs, file.name


def significant(x: float, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` significant figures (an order of magnitude, not an exact figure)."""
    if x <= 0:
        return 0.0
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def euros(x: float, lang: str) -> str:
    """``1,2 million d'euros`` / ``€1.2 million``, ``45 000 €`` / ``€45,000`` (two significant figures)."""
    x = significant(x)
    if x >= 1_000_000:
        millions = x / 1_000_000
        number = f"{millions:.1f}".rstrip("0").rstrip(".")
        if lang == "fr":
            return f"{number.replace('.', ',')}{NBSP}million{'s' if millions >= 2 else ''} d'euros"
        return f"€{number} million"
    return f"{fmt_int(x, lang)}{NBSP}€" if lang == "fr" else f"€{fmt_int(x, lang)}"


def euros_short(x: float, lang: str) -> str:
    """``2,7 M€`` / ``€2.7M``, ``810 k€`` / ``€810k``, ``5 400 €`` (two significant figures), for tables."""
    x = significant(x)
    if x >= 1_000_000:
        number, unit = f"{x / 1_000_000:.2f}".rstrip("0").rstrip("."), "M"
    elif x >= 100_000:
        number, unit = f"{x / 1_000:.0f}", "k"
    else:
        return f"{fmt_int(x, lang)}{NBSP}€" if lang == "fr" else f"€{fmt_int(x, lang)}"
    return f"{number.replace('.', ',')}{NBSP}{unit}€" if lang == "fr" else f"€{number}{unit}"


def avoided_costs(counts: dict[str, tuple[float | None, str]], lang: str, k: int,
                  unit_costs: dict[str, UnitCost] | None = None, file_name: str | None = None) -> Costs:
    """``counts``: outcome -> (published count or None when hidden, its text as printed)."""
    unit_costs = unit_costs or DEFAULT_UNIT_COSTS
    words = _WORDS[lang]
    lines, assumptions = [], [words["intro"]]
    if file_name:
        assumptions.append(words["override"].format(name=file_name))
    for outcome, unit in unit_costs.items():
        count, text = counts.get(outcome, (None, "–"))
        label = unit.label[lang]
        if count is None:
            assumptions.append(words["hidden"].format(label=label, k=k))
            continue
        lines.append(CostLine(outcome=outcome, label=label, count_text=text, unit_low=unit.low, unit_high=unit.high,
                              low=count * unit.low, high=count * unit.high, source=unit.source[lang]))
    low = sum(line.low for line in lines)
    high = sum(line.high for line in lines)
    text_range = words["range"].format(low=euros(low, lang), high=euros(high, lang)) if lines and high > 0 \
        else words["none"]
    return Costs(lines=tuple(lines), low=low, high=high, assumptions=tuple(assumptions), text_range=text_range)
