"""The network of structures a demo dataset describes, and their workshops.

Three kinds of structures (see docs/demo-data.md): ``CS`` a social centre in
a priority neighbourhood running weekly workshops, ``CHRS`` a shelter or
reintegration association working with people leaving prison, ``CPAS`` a
public social-action centre (Belgian CPAS or French CCAS) whose workshops are
co-constructed with participants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.demo.effects import S_REFERRALS_PER_YEAR

SIZES = {"S": 300, "M": 10_000, "L": 100_000, "XL": 1_000_000}
STRUCTURE_COUNTS = {"S": 1, "M": 20, "L": 200, "XL": 2000}
KIND_SHARES = {"CS": 0.40, "CHRS": 0.35, "CPAS": 0.25}
MIN_PERSONS = 20


@dataclass(frozen=True)
class WorkshopSpec:
    name: str
    category: str
    modality: str
    facilitator: str
    minutes: int


def _w(name: str, category: str, minutes: int, facilitator: str = "INTERNE", modality: str = "COLLECTIF") -> WorkshopSpec:
    return WorkshopSpec(name, category, modality, facilitator, minutes)


CATALOGUE: dict[str, tuple[WorkshopSpec, ...]] = {
    "CS": (
        _w("Couture", "VIE_QUOTIDIENNE", 150),
        _w("Informatique", "NUMERIQUE", 120, "EXTERNE"),
        _w("Relaxation", "BIEN_ETRE", 90, "EXTERNE"),
        _w("Cuisine", "VIE_QUOTIDIENNE", 180),
        _w("FLE", "LANGUE_SAVOIRS", 120),
        _w("Permanence emploi", "EMPLOI", 180, modality="INDIVIDUEL"),
        _w("Groupe de parole", "BIEN_ETRE", 90, "EXTERNE"),
        _w("Arts plastiques", "EXPRESSION", 120, "EXTERNE"),
        _w("Théâtre", "EXPRESSION", 150, "EXTERNE"),
        _w("Sorties culturelles", "CULTURE_SORTIES", 180),
        _w("Jardin partagé", "TECHNIQUE", 120),
        _w("Atelier budget", "VIE_QUOTIDIENNE", 90),
        _w("Savoirs de base", "LANGUE_SAVOIRS", 120),
        _w("Radio de quartier", "EXPRESSION", 120, "EXTERNE"),
    ),
    "CHRS": (
        _w("Cuisine", "VIE_QUOTIDIENNE", 150),
        _w("Maraîchage", "TECHNIQUE", 210),
        _w("Groupe de parole", "BIEN_ETRE", 90, "EXTERNE"),
        _w("Atelier CV", "EMPLOI", 120, modality="INDIVIDUEL"),
        _w("Informatique", "NUMERIQUE", 120),
        _w("Sport", "AUTRE", 90, "EXTERNE"),
        _w("Recyclage textile", "TECHNIQUE", 180),
    ),
    "CPAS": (
        _w("Épicerie solidaire", "VIE_QUOTIDIENNE", 180),
        _w("Atelier budget", "VIE_QUOTIDIENNE", 90),
        _w("Groupe de parole", "BIEN_ETRE", 90, "EXTERNE"),
        _w("Potager collectif", "TECHNIQUE", 150),
        _w("Informatique", "NUMERIQUE", 120, "EXTERNE"),
        _w("FLE", "LANGUE_SAVOIRS", 120),
        _w("Sorties culturelles", "CULTURE_SORTIES", 180),
        _w("Radio de quartier", "EXPRESSION", 120, "EXTERNE"),
        _w("Couture", "VIE_QUOTIDIENNE", 150),
    ),
}

# (commune, INSEE code); coarse areas only.
FRENCH_COMMUNES = (
    ("Roubaix", "59512"),
    ("Tourcoing", "59599"),
    ("Lille", "59350"),
    ("Denain", "59172"),
    ("Maubeuge", "59392"),
    ("Calais", "62193"),
    ("Lens", "62498"),
    ("Amiens", "80021"),
    ("Creil", "60175"),
    ("Saint-Denis", "93066"),
    ("Aubervilliers", "93001"),
    ("Montreuil", "93048"),
    ("Bobigny", "93008"),
    ("Sarcelles", "95585"),
    ("Argenteuil", "95018"),
    ("Nanterre", "92050"),
    ("Mantes-la-Jolie", "78361"),
    ("Rouen", "76540"),
    ("Le Havre", "76351"),
    ("Caen", "14118"),
    ("Reims", "51454"),
    ("Metz", "57463"),
    ("Nancy", "54395"),
    ("Strasbourg", "67482"),
    ("Mulhouse", "68224"),
    ("Besançon", "25056"),
    ("Dijon", "21231"),
    ("Lyon", "69123"),
    ("Villeurbanne", "69266"),
    ("Vénissieux", "69259"),
    ("Saint-Étienne", "42218"),
    ("Grenoble", "38185"),
    ("Valence", "26362"),
    ("Clermont-Ferrand", "63113"),
    ("Limoges", "87085"),
    ("Marseille", "13055"),
    ("Toulon", "83137"),
    ("Nice", "06088"),
    ("Avignon", "84007"),
    ("Nîmes", "30189"),
    ("Montpellier", "34172"),
    ("Béziers", "34032"),
    ("Perpignan", "66136"),
    ("Toulouse", "31555"),
    ("Bordeaux", "33063"),
    ("Poitiers", "86194"),
    ("Nantes", "44109"),
    ("Rennes", "35238"),
    ("Brest", "29019"),
    ("Angers", "49007"),
    ("Le Mans", "72181"),
    ("Tours", "37261"),
    ("Orléans", "45234"),
)
BELGIAN_COMMUNES = (
    "Charleroi",
    "Liège",
    "Namur",
    "Mons",
    "La Louvière",
    "Seraing",
    "Verviers",
    "Tournai",
    "Schaerbeek",
    "Anderlecht",
    "Molenbeek-Saint-Jean",
    "Saint-Gilles",
    "Forest",
    "Ixelles",
)
BELGIAN_SHARE_OF_CPAS = 0.3
_VOWELS = tuple("AEIOUYÀÂÉÈÊÎÔÛH")


def of_place(place: str) -> str:
    """"de" before a place name as French writes it: "du Havre", "des Lilas", "d'Anderlecht", "de La Louvière"."""
    if place.startswith("Le "):
        return f"du {place[3:]}"
    if place.startswith("Les "):
        return f"des {place[4:]}"
    return f"d'{place}" if place.upper().startswith(_VOWELS) else f"de {place}"

INSEE_TERRITORY_SHARE = 0.2  # structures whose exports give persons' territoire as an INSEE code
PLACE_NAMES = (
    "Les Tilleuls",
    "Les Aubépines",
    "La Passerelle",
    "Le Relais",
    "L'Escale",
    "Le Phare",
    "La Boussole",
    "Les Glycines",
    "Le Trait d'union",
    "La Clairière",
    "Les Peupliers",
    "L'Olivier",
    "La Source",
    "Le Pont",
    "Les Lilas",
    "L'Étape",
    "Le Tremplin",
    "La Traverse",
    "Les Cèdres",
    "L'Horizon",
    "Le Fil",
    "La Rencontre",
    "Les Saules",
    "Le Carrefour",
)


@dataclass(frozen=True)
class StructurePlan:
    index: int
    structure_id: str
    name: str
    kind: str  # CS, CHRS or CPAS
    type_code: str  # TYPE_STRUCTURE
    territory: str
    person_territories: tuple[str, ...]  # values of personnes.territoire; the first is the structure's own area
    belgian: bool
    n_persons: int
    workshops: tuple[WorkshopSpec, ...]
    referrals_per_year: float | None = None  # a fixed referral rate instead of REFERRALS_PER_PERSON


def _sizes(rng: np.random.Generator, total: int, count: int) -> np.ndarray:
    """Structure sizes summing exactly to ``total``, log-normally spread, each at least MIN_PERSONS."""
    weights = rng.lognormal(0.0, 0.7, count)
    raw = MIN_PERSONS + weights / weights.sum() * (total - MIN_PERSONS * count)
    sizes = np.floor(raw).astype(np.int64)
    remainder = total - int(sizes.sum())
    sizes[np.argsort(-(raw - sizes), kind="stable")[:remainder]] += 1
    return sizes


def _workshop_count(kind: str, n: int) -> int:
    low, base, per, high = {"CS": (4, 4, 150, 12), "CHRS": (2, 2, 300, 6), "CPAS": (3, 3, 220, 8)}[kind]
    return int(np.clip(round(base + n / per), low, high))


def _workshops(rng: np.random.Generator, kind: str, count: int) -> tuple[WorkshopSpec, ...]:
    catalogue = CATALOGUE[kind]
    keep = set(rng.choice(len(catalogue), size=min(count, len(catalogue)), replace=False).tolist())
    if kind == "CS":
        keep.add(4)  # a social centre always runs FLE
    return tuple(w for i, w in enumerate(catalogue) if i in keep)


def plan_network(size: str, seed: int) -> list[StructurePlan]:
    """The structures of a demo dataset of this size, deterministic for the seed."""
    rng = np.random.default_rng([seed, 1])
    count = STRUCTURE_COUNTS[size]
    width = max(2, len(str(count)))
    if count == 1:
        kinds = ["CS"]
        sizes = np.array([SIZES[size]])
    else:
        others = rng.choice(list(KIND_SHARES), size=count - 3, p=list(KIND_SHARES.values())).tolist()
        kinds = ["CS", "CHRS", "CPAS", *others]
        sizes = _sizes(rng, SIZES[size], count)
    plans: list[StructurePlan] = []
    used_names: set[str] = set()
    for index, (kind, n) in enumerate(zip(kinds, sizes, strict=True)):
        belgian = kind == "CPAS" and rng.random() < BELGIAN_SHARE_OF_CPAS
        if belgian:
            picks = rng.choice(len(BELGIAN_COMMUNES), size=4, replace=False)
            areas = tuple(BELGIAN_COMMUNES[i] for i in picks)
        else:
            picks = rng.choice(len(FRENCH_COMMUNES), size=4, replace=False)
            column = 1 if rng.random() < INSEE_TERRITORY_SHARE else 0
            areas = tuple(FRENCH_COMMUNES[i][column] for i in picks)
        commune = BELGIAN_COMMUNES[picks[0]] if belgian else FRENCH_COMMUNES[picks[0]][0]
        place = PLACE_NAMES[rng.integers(len(PLACE_NAMES))]
        if kind == "CS":
            type_code, name = "CENTRE_SOCIAL", f"Centre social {place} ({commune})"
        elif kind == "CHRS":
            type_code = "CHRS" if rng.random() < 0.65 else "ASSOCIATION_INSERTION"
            name = f"{'CHRS' if type_code == 'CHRS' else 'Association'} {place} ({commune})"
        else:
            type_code = "CPAS" if belgian else "CCAS"
            name = f"{type_code} {of_place(commune)}"
        base, suffix = name, 2
        while name in used_names:
            name, suffix = f"{base} - site {suffix}", suffix + 1
        used_names.add(name)
        workshops = CATALOGUE["CS"][:10] if size == "S" else _workshops(rng, kind, _workshop_count(kind, int(n)))
        plans.append(
            StructurePlan(
                index=index,
                structure_id=f"S{index + 1:0{width}d}",
                name=name,
                kind=kind,
                type_code=type_code,
                territory=commune,
                person_territories=areas,
                belgian=belgian,
                n_persons=int(n),
                workshops=workshops,
                referrals_per_year=S_REFERRALS_PER_YEAR if size == "S" else None,
            )
        )
    return plans
