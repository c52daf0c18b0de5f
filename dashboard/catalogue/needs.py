"""Needs (Besoins): levels by life domain, kind and pillar; distance travelled."""

from dashboard.catalogue.base import Figure, code, mean, period, persons, rate
from dashboard.metrics.needs import distance_travelled, needs_by_kind, needs_by_pillar, needs_over_time
from models.reference import SENSITIVE_DOMAINS

LEVELS = (1.0, 5.0)
"""Assessment levels run from 1 (in crisis) to 5 (autonomous): the range of one person's contribution to a mean."""


def _needs(name: str, compute, group: str, code_list: str, sensitive=None, *, title: dict[str, str],  # type: ignore[no-untyped-def]
           definition: dict[str, str]) -> Figure:
    return Figure(
        name=name,
        compute=compute,
        columns=(
            period(), code(group, code_list), persons("persons_assessed"), persons("persons_in_need"),
            rate("share_in_need", "persons_in_need", "persons_assessed"), mean("mean_level", "persons_assessed", *LEVELS),
        ),
        title=title,
        definition=definition,
        sensitive=sensitive,
        by_period="period",
    )


NEEDS_OVER_TIME = _needs("needs-over-time", needs_over_time, "domain", "DOMAINE", ("domain", SENSITIVE_DOMAINS),
    title={"fr": 'Besoins par domaine', "en": 'Needs by domain'},
    definition={
        "fr": (
            "Par période de la **date d'évaluation** et par domaine de vie, pour chaque personne la **dernière** "
            'évaluation du domaine dans la période : `persons_assessed` (personnes évaluées au moins une fois), '
            '`persons_in_need` (dernier niveau 1 « en crise » ou 2 « vulnérable »), `share_in_need` = en besoin '
            '/ évaluées, `mean_level` : moyenne de ces derniers niveaux (1 à 5, 1 décimale). Une personne non '
            "évaluée dans la période ne compte pas : une baisse peut venir de moins d'évaluations."
        ),
        "en": (
            'Per period of the **assessment date** and per life domain, for each person the **latest** '
            'assessment of the domain in the period: `persons_assessed` (persons assessed at least once), '
            '`persons_in_need` (latest level 1 "in crisis" or 2 "vulnerable"), `share_in_need` = in need / '
            'assessed, `mean_level`: mean of those latest levels (1 to 5, 1 decimal). A person not assessed in '
            'the period does not count: a fall may come from fewer assessments.'
        ),
    },
)
NEEDS_BY_KIND = _needs("needs-by-kind", needs_by_kind, "kind", "KIND",
    title={"fr": 'Besoins par type', "en": 'Needs by kind'},
    definition={
        "fr": (
            '`persons_assessed`, `persons_in_need`, `share_in_need`, `mean_level` comme dans *Besoins par '
            'domaine*, par type de besoin (pratique : court terme, urgent ; stratégique : long terme), selon le '
            "classement des domaines de la structure. Une personne est évaluée pour un type si elle l'est pour "
            "au moins un de ses domaines, en besoin si elle l'est dans au moins un ; `mean_level` est la "
            'moyenne, sur les personnes, de la moyenne de leurs derniers niveaux dans ces domaines.'
        ),
        "en": (
            '`persons_assessed`, `persons_in_need`, `share_in_need`, `mean_level` as in *Needs by domain*, by '
            "kind of need (practical: short-term, urgent; strategic: long-term), following the structure's "
            'reading of the domains. A person is assessed for a kind when assessed for at least one of its '
            'domains, in need when in need in at least one; `mean_level` averages over persons the mean of their '
            'latest levels in those domains.'
        ),
    },
)
NEEDS_BY_PILLAR = _needs("needs-by-pillar", needs_by_pillar, "pillar", "PILLAR",
    title={"fr": 'Besoins par pilier', "en": 'Needs by pillar'},
    definition={
        "fr": (
            '`persons_assessed`, `persons_in_need`, `share_in_need`, `mean_level` comme dans *Besoins par type*, '
            "par pilier (logement, emploi, santé, liens sociaux et familiaux) ; les domaines sans pilier n'y "
            'entrent pas.'
        ),
        "en": (
            '`persons_assessed`, `persons_in_need`, `share_in_need`, `mean_level` as in *Needs by kind*, by '
            'pillar (housing, employment, health, social and family bonds); domains without a pillar stay out.'
        ),
    },
)
DISTANCE_TRAVELLED = Figure(
    name="distance-travelled",
    compute=distance_travelled,
    columns=(
        code("domain", "DOMAINE"), persons("persons"), persons("improved"), persons("stable"), persons("worsened"),
        rate("share_improved", "improved", "persons"),
        mean("mean_change", "persons", LEVELS[0] - LEVELS[1], LEVELS[1] - LEVELS[0]),
    ),
    title={"fr": 'Distance parcourue', "en": 'Distance travelled'},
    definition={
        "fr": (
            'Par domaine, les personnes évaluées au moins deux fois dans la plage : premier niveau contre '
            'dernier. `persons`, `improved` (dernier > premier), `stable`, `worsened`, `share_improved` = '
            'améliorées / personnes, `mean_change` : moyenne de (dernier − premier), 1 décimale. Les périodes '
            "n'y jouent pas."
        ),
        "en": (
            'Per domain, persons assessed at least twice in the range: first level against latest. `persons`, '
            '`improved` (latest > first), `stable`, `worsened`, `share_improved` = improved / persons, '
            '`mean_change`: mean of (latest − first), 1 decimal. Periods play no part.'
        ),
    },
    sensitive=("domain", SENSITIVE_DOMAINS),
)

FIGURES = (NEEDS_OVER_TIME, NEEDS_BY_KIND, NEEDS_BY_PILLAR, DISTANCE_TRAVELLED)
