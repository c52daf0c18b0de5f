"""The typology's figures as shown and published: sizes, profiles and evolution by type, every rule applied.

Counts of persons are perturbed with their cell keys (sum of the persons'
record keys), means are perturbed sums over perturbed counts (one decimal,
the rule of every mean, ``dashboard.disclosure``), rates are perturbed
numerators over perturbed denominators (two decimals), and every figure
over fewer than ``k`` persons is empty. Types under the published threshold
are merged first (``typology.merged``). The evolution by type (attendance,
distance travelled, exits) is about the persons of the type followed for the
whole exposure window (``typology.evolution_inputs``).
"""

import numpy as np
import polars as pl

from dashboard.analyses.exposure import Exposure
from dashboard.analyses.typology import Typology, evolution_inputs, merged, type_names
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.perturbation import KEY_RANGE, magnitude_noise, perturb

SIZES = ["type", "name", "persons"]
PROFILE = ["type", "name", "domain", "persons", "mean_level"]
EVOLUTION = ["type", "name", "persons", "regular_share", "mean_distance_12m", "housing_positive_rate", "dynamic_exit_rate"]


def _count(n: int, key: int, exact: bool) -> int:
    return n if exact else int(perturb(np.array([n]), np.array([key % KEY_RANGE]))[0])


def _mean(total: float, n: int, shown_n: int, key: int, bound: float, low: float, high: float, exact: bool,
          k: int) -> float | None:
    if n < k or shown_n <= 0:
        return None
    if not exact:
        total = total + bound * float(magnitude_noise(np.array([key % KEY_RANGE]))[0])
    return round(float(np.clip(total / (n if exact else shown_n), low, high)), 1)


def _rate(num: int, num_key: int, den: int, den_key: int, exact: bool, k: int) -> float | None:
    shown_den = _count(den, den_key, exact)
    if den < k or shown_den < k:
        return None
    shown_num = _count(num, num_key, exact)
    return round(min(shown_num, shown_den) / shown_den, 2)


def typology_tables(result: Typology, data: Data, filters: Filters | None, members: pl.DataFrame | None, lang: str,
                    k: int, k_published: int, exact: bool, exposure: Exposure | None = None) -> dict[str, pl.DataFrame]:
    """``sizes``, ``profile`` and ``evolution`` (columns ``SIZES``, ``PROFILE``, ``EVOLUTION``); all empty when the
    persons together are fewer than ``k_published``."""
    types = merged(result, k_published)
    if len(types) == 0 or types.min() < 0:
        return {"sizes": pl.DataFrame(schema=dict.fromkeys(SIZES, pl.String)).cast({"type": pl.Int64, "persons": pl.Int64}),
                "profile": pl.DataFrame(), "evolution": pl.DataFrame()}
    names = type_names(result, types, data, lang)
    keys = result.keys.astype(np.int64)
    sizes, profile, evolution = [], [], []
    follow = evolution_inputs(data, result, filters, members, exposure or Exposure())
    by_pid = pl.DataFrame({"pid": result.pids, "type": types, "pk": keys}, schema={"pid": pl.UInt32, "type": pl.Int64,
                                                                                 "pk": pl.Int64})
    levels = result.levels.join(by_pid, on="pid", how="inner")
    for t, name in enumerate(names):
        mine = types == t
        n, key = int(mine.sum()), int(keys[mine].sum())
        shown = _count(n, key, exact)
        sizes.append({"type": t + 1, "name": name, "persons": shown if n >= k else None})
        of_type = levels.filter(pl.col("type") == t)
        for domain in result.domains:
            rows = of_type.filter(pl.col("domain") == domain)
            dn, dkey = rows.height, int(rows["pk"].sum() or 0)
            dshown = _count(dn, dkey, exact)
            profile.append({"type": t + 1, "name": name, "domain": domain, "persons": dshown if dn >= k else None,
                            "mean_level": _mean(float(rows["level"].sum() or 0), dn, dshown, dkey, 5.0, 1.0, 5.0, exact, k)})
        frame = follow.filter(pl.Series(mine))
        frame_keys = keys[mine]
        row: dict[str, object] = {"type": t + 1, "name": name, "persons": shown if n >= k else None}
        for column, out in (("regular", "regular_share"), ("exit_housing_positive", "housing_positive_rate"),
                            ("exit_dynamic", "dynamic_exit_rate")):
            values = frame[column].to_numpy().astype(np.float64)
            seen = ~np.isnan(values)
            yes = seen & (values == 1.0)
            row[out] = _rate(int(yes.sum()), int(frame_keys[yes].sum()), int(seen.sum()), int(frame_keys[seen].sum()),
                             exact, k)
        distance = frame["distance_strategic_12m"].to_numpy().astype(np.float64)
        seen = ~np.isnan(distance)
        dn, dkey = int(seen.sum()), int(frame_keys[seen].sum())
        row["mean_distance_12m"] = _mean(float(distance[seen].sum()), dn, _count(dn, dkey, exact), dkey, 4.0, -4.0, 4.0,
                                         exact, k)
        evolution.append(row)
    return {
        "sizes": pl.DataFrame(sizes, schema={"type": pl.Int64, "name": pl.String, "persons": pl.Int64}),
        "profile": pl.DataFrame(profile, schema={"type": pl.Int64, "name": pl.String, "domain": pl.String,
                                                 "persons": pl.Int64, "mean_level": pl.Float64}),
        "evolution": pl.DataFrame(evolution, schema={"type": pl.Int64, "name": pl.String, "persons": pl.Int64,
                                                     "regular_share": pl.Float64, "mean_distance_12m": pl.Float64,
                                                     "housing_positive_rate": pl.Float64,
                                                     "dynamic_exit_rate": pl.Float64}).select(EVOLUTION),
    }
