"""Typologies of needs at entry: which kinds of situations people arrive in, and how each kind evolves.

Encoding: each person's levels at entry (``population.levels_of_entries``) as a
*need* per domain, (5 - level) / 4 (0 autonomous, 1 in crisis). A domain the
person was not assessed in takes the person's own mean need over the domains
assessed, so that a structure's shorter grid (social centres assess 10
domains, CHRS 17) neither adds nor hides a need; persons assessed in fewer
than ``MIN_DOMAINS`` domains at entry are left out.

Clustering: scikit-learn's ``KMeans`` (``N_INIT`` starts, seeded) for each k
in ``K_RANGE``, fitted on at most ``MAX_FIT`` persons drawn at random (seeded)
and applied to all; k is the one with the best silhouette (on a seeded
sample of ``SILHOUETTE_SAMPLE`` persons). Stability: ``STABILITY_DRAWS``
bootstrap resamples of the persons, refitted with the same k, each compared
with the chosen partition by the adjusted Rand index (1: the same types,
about 0: no better than chance).

Types are numbered by size and named in words by their dominant needs: the
two domains with the highest mean need, headed by their kind ("Urgences
pratiques : logement et droits/papiers"), or "Peu de besoins" when the type's
mean need is low. Disclosure: a type of fewer persons than the published
threshold is merged into the nearest one (same threshold everywhere, so the
screen and the exports show the same types); counts, profiles and the
evolution figures are perturbed like every other figure.
"""

from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, pairwise_distances, silhouette_score
from threadpoolctl import threadpool_limits

from dashboard.analyses.effect import EffectOptions, analysed
from dashboard.analyses.exposure import Exposure
from dashboard.analyses.population import entries, levels_of_entries
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.i18n import code_label
from dashboard.metrics.common import PerSnapshot

K_RANGE = (2, 6)
N_INIT = 3
MAX_FIT = 10_000
SILHOUETTE_SAMPLE = 1500
STABILITY_DRAWS = 8
MIN_DOMAINS = 3
FEW_NEEDS = 0.35
SEED = 20260301


@dataclass(frozen=True)
class Typology:
    """The chosen partition, before any disclosure rule (never shown as is: see ``typology_tables``)."""

    k: int
    silhouettes: dict[int, float]
    stability: tuple[float, ...]  # ARI of each bootstrap refit against the chosen partition
    domains: tuple[str, ...]
    pids: np.ndarray
    keys: np.ndarray
    types: np.ndarray  # 0..k-1, 0 the largest
    needs: np.ndarray  # (persons, domains) the encoded needs
    levels: pl.DataFrame  # pid, domain, level at entry (the profiles use recorded levels only)


def encode(levels: pl.DataFrame, domains: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(pids, needs): one row per person assessed in at least ``MIN_DOMAINS`` domains, sorted by pid."""
    if levels.is_empty():
        return np.zeros(0, dtype=np.uint32), np.zeros((0, len(domains)))
    # Scattered into a persons x domains matrix (a pivot of the long table is five times slower on L).
    pids, row = np.unique(levels["pid"].to_numpy(), return_inverse=True)
    column = levels["domain"].replace_strict(domains, list(range(len(domains))), default=-1,
                                             return_dtype=pl.Int64).to_numpy()
    matrix = np.full((len(pids), len(domains)), np.nan)
    known = column >= 0
    matrix[row[known], column[known]] = levels["level"].to_numpy()[known].astype(np.float64)
    need = (5.0 - matrix) / 4.0
    assessed = ~np.isnan(need)
    enough = assessed.sum(axis=1) >= MIN_DOMAINS
    need, assessed = need[enough], assessed[enough]
    own = np.nanmean(need, axis=1)
    return pids[enough], np.where(assessed, need, own[:, None])


def _kmeans(x: np.ndarray, k: int, seed: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit(x)


def cluster(needs: np.ndarray, seed: int = SEED) -> tuple[int, dict[int, float], np.ndarray, tuple[float, ...]]:
    """(k, silhouette by k, types 0..k-1 numbered by size, stability ARIs)."""
    rng = np.random.default_rng(seed)
    n = len(needs)
    fit_rows = np.arange(n) if n <= MAX_FIT else np.sort(rng.choice(n, MAX_FIT, replace=False))
    sample = fit_rows if len(fit_rows) <= SILHOUETTE_SAMPLE else np.sort(rng.choice(fit_rows, SILHOUETTE_SAMPLE, replace=False))
    silhouettes: dict[int, float] = {}
    models: dict[int, KMeans] = {}
    distances = pairwise_distances(needs[sample])  # once for every k
    for k in range(K_RANGE[0], min(K_RANGE[1], len(sample) - 1) + 1):
        model = _kmeans(needs[fit_rows], k, seed)
        labels = model.predict(needs[sample])
        if len(set(labels.tolist())) < 2:
            continue
        models[k] = model
        silhouettes[k] = float(silhouette_score(distances, labels, metric="precomputed"))
    if not silhouettes:
        return 1, {}, np.zeros(n, dtype=np.int64), ()
    k = max(silhouettes, key=lambda c: (round(silhouettes[c], 6), -c))
    raw = models[k].predict(needs)
    order = np.lexsort((np.arange(k), -np.bincount(raw, minlength=k)))  # by size, then by index
    types = np.argsort(order)[raw]
    reference = models[k].predict(needs[sample])
    stability = []
    for _ in range(STABILITY_DRAWS):
        drawn = rng.choice(fit_rows, size=len(fit_rows), replace=True)
        refit = _kmeans(needs[drawn], k, seed)
        stability.append(float(adjusted_rand_score(reference, refit.predict(needs[sample]))))
    return k, silhouettes, types, tuple(stability)


def compute_typology(data: Data, filters: Filters | None = None, members: pl.DataFrame | None = None,
                     seed: int = SEED) -> Typology:
    people = entries(data, filters, members)
    domains = sorted(data.domain_readings["domain"].to_list())
    levels = (levels_of_entries(data, filters, members, EffectOptions().horizons, people)  # shared with the effect
              .filter(pl.col("level").is_not_null()).select("pid", "domain", "level"))
    pids, needs = encode(levels, domains)
    silhouettes: dict[int, float] = {}
    k, types, stability = 1, np.zeros(len(pids), dtype=np.int64), tuple[float, ...]()
    if len(pids) > K_RANGE[0]:
        with threadpool_limits(1):
            k, silhouettes, types, stability = cluster(needs, seed)
    keys = people.select("pid", "pk").join(pl.DataFrame({"pid": pids}, schema={"pid": pl.UInt32}), on="pid", how="semi")
    keys = pl.DataFrame({"pid": pids}, schema={"pid": pl.UInt32}).join(keys, on="pid", how="left", maintain_order="left")
    return Typology(k, silhouettes, stability, tuple(domains), pids, keys["pk"].to_numpy(), types, needs,
                    levels.filter(pl.col("pid").is_in(pl.Series(pids, dtype=pl.UInt32).implode())))


_CACHE = PerSnapshot(size=8)


def typology(data: Data, filters: Filters | None = None, members: pl.DataFrame | None = None) -> Typology:
    """``compute_typology`` kept per data snapshot, filters and members."""
    member_key = None if members is None else members["pid"].sort().to_numpy().tobytes()
    return _CACHE.get(data, ("typology", filters, member_key), lambda: compute_typology(data, filters, members))


def merged(result: Typology, k: int) -> np.ndarray:
    """Types after merging every type of fewer than ``k`` persons into the nearest (by mean needs), smallest
    first; -1 for everyone when all of them together are fewer than ``k``. Renumbered by size."""
    types = result.types.copy()
    if len(types) < k:
        return np.full(len(types), -1)
    while True:
        present = np.unique(types)
        sizes = {t: int((types == t).sum()) for t in present}
        small = [t for t in present if sizes[t] < k]
        if not small or len(present) == 1:
            break
        smallest = min(small, key=lambda t: (sizes[t], t))
        centres = {t: result.needs[types == t].mean(axis=0) for t in present}
        nearest = min((t for t in present if t != smallest),
                      key=lambda t: (float(((centres[t] - centres[smallest]) ** 2).sum()), t))
        types[types == smallest] = nearest
    present = np.unique(types)
    order = sorted(present, key=lambda t: (-int((types == t).sum()), t))
    renumber = {t: i for i, t in enumerate(order)}
    return np.array([renumber[t] for t in types], dtype=np.int64)


def name_type(centre: np.ndarray, overall: np.ndarray, domains: tuple[str, ...], kinds: dict[str, str], lang: str,
              labels: pl.DataFrame) -> str:
    """A type's name from its mean needs by domain (``centre``) against everyone's (``overall``).

    The dominant needs are the two domains where the type's need stands furthest above everyone's (the two
    highest needs when none does); the head says their kind, or "few needs" when the type's mean need is under
    ``FEW_NEEDS`` or under everyone's.
    """
    excess = centre - overall
    ranked = np.argsort(-excess, kind="stable") if (excess > 0).sum() >= 2 else np.argsort(-centre, kind="stable")
    top = [domains[i] for i in ranked[:2]]
    joined = " + ".join(_lower(code_label("DOMAINE", d, lang, labels)) for d in top)
    if float(centre.mean()) < FEW_NEEDS or float(centre.mean()) < float(overall.mean()):
        top = [domains[i] for i in np.argsort(-centre, kind="stable")[:2]]
        joined = " + ".join(_lower(code_label("DOMAINE", d, lang, labels)) for d in top)
        head = "Fewer needs, mostly" if lang == "en" else "Moins de besoins, surtout"
        return f"{head} {joined}"
    found = {kinds.get(d) for d in top}
    if found == {"PRATIQUE"}:
        head = "Practical emergencies" if lang == "en" else "Urgences pratiques"
    elif found == {"STRATEGIQUE"}:
        head = "Strategic needs" if lang == "en" else "Besoins stratégiques"
    else:
        head = "Mixed needs" if lang == "en" else "Besoins mêlés"
    return f"{head}{':' if lang == 'en' else ' :'} {joined}"


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def type_names(result: Typology, types: np.ndarray, data: Data, lang: str) -> list[str]:
    """Distinct names of the merged types 0..n-1 (a repeated name gets its type number)."""
    kinds = dict(zip(data.domain_readings["domain"].to_list(), data.domain_readings["kind"].to_list(), strict=True))
    names = []
    overall = result.needs.mean(axis=0)
    for t in range(int(types.max()) + 1 if len(types) and types.max() >= 0 else 0):
        names.append(name_type(result.needs[types == t].mean(axis=0), overall, result.domains, kinds, lang, data.labels))
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if names.count(name) > 1:
            seen[name] = seen.get(name, 0) + 1
            names[i] = f"{name} ({seen[name]})"
    return names


def evolution_inputs(data: Data, result: Typology, filters: Filters | None, members: pl.DataFrame | None,
                     exposure: Exposure) -> pl.DataFrame:
    """pid, regular, distance_strategic_12m, exit_housing_positive, exit_dynamic for the persons of the typology,
    in its order: the frame of the effect analysis (``effect.analysed``), so figures by type are about the persons
    followed for the whole exposure window (null for the others) and cost nothing more when the page has both."""
    frame = analysed(data, filters, members, EffectOptions(exposure=exposure))
    base = pl.DataFrame({"pid": result.pids}, schema={"pid": pl.UInt32})
    follow = frame.select("pid", pl.col("treated").cast(pl.Float64).alias("regular"), "distance_strategic_12m",
                          "exit_housing_positive", "exit_dynamic")
    return base.join(follow, on="pid", how="left", maintain_order="left")
