"""Every figure defined in words, in French and English, for the people who read them.

Each figure's title and definition are declared with the figure itself
(``dashboard.catalogue``); this module adds the conventions, the disclosure
rules and the changelog. The "Données & définitions" page shows these texts, the board report quotes
them, and ``docs/metrics.md`` is generated from them
(``python -m dashboard.definitions > docs/metrics.md``; a test checks the
file is up to date). A change to how a figure is computed is a new entry in
``CHANGELOG`` with a new ``VERSION``, so that a figure that moves can be
explained.
"""

import math
import sys

from dashboard.catalogue import CATALOGUE
from dashboard.disclosure import thresholds
from dashboard.formatting import fmt_decimal, fmt_rate
from dashboard.perturbation import KEY_RANGE, PTable, build_ptable, exact_share_bound, ptable
from models.settings import SETTINGS

VERSION = 2
_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}

CONVENTIONS: dict[str, str] = {
    "fr": """\
- **Périodes** : mois, trimestre ou année civils, libellés `2024-03`, `2024-Q1`, `2024`. Un événement compte dans la période de sa
  date (date d'orientation, de sortie, d'évaluation, de séance) ; les dates de début et de fin choisies sont incluses.
- **Personne** : une personne est identifiée par sa structure et son identifiant ; le même identifiant dans deux structures
  désigne deux personnes.
- **Âge** : année de la première orientation ou du premier accompagnement, moins l'année de naissance. Tranches : moins de 26 ans,
  26–44, 45–59, 60 et plus, âge inconnu.
- **Taux, moyennes, médianes** : taux et parts en pour cent entier (en ligne de commande, décimaux à 2 chiffres : `0.43`),
  moyennes à une décimale, médianes en jours entiers ; un taux ou une part est vide (et non nul) quand son dénominateur est 0. Un
  code manquant se lit « Inconnu ». Les effectifs sont légèrement perturbés (voir *Protection des personnes*).
- **Filtres** : *structures* : les lignes de ces structures ; *sexe*, *tranche d'âge* : les personnes de ce sexe, de cette tranche
  d'âge au premier contact ; *source d'orientation* : les orientations de cette source et, pour toute autre figure, les personnes
  orientées au moins une fois par elle ; *dispositif* : les orientations vers ce dispositif et les accompagnements dans ce
  dispositif, et, pour les besoins et les ateliers, les personnes accompagnées ou orientées au moins une fois dans ce dispositif.
  Les dates choisies sont élargies aux périodes entières du regroupement (le début au premier jour de son mois, trimestre ou
  année, la fin au dernier jour du sien ; une fin non précisée reste ouverte), pour que deux périodes voisines ne révèlent jamais
  les événements d'un jour.""",
    "en": """\
- **Periods**: calendar month, quarter or year, labelled `2024-03`, `2024-Q1`, `2024`. An event counts in the period of its date
  (referral, exit, assessment or session date); the chosen start and end dates are included.
- **Person**: a person is identified by their structure and their identifier; the same identifier in two structures is two
  persons.
- **Age**: year of the first referral or first support period minus the year of birth. Bands: under 26, 26–44, 45–59, 60 and over,
  age unknown.
- **Rates, means, medians**: rates and shares in whole percent (on the command line, decimals with 2 digits: `0.43`), means to one
  decimal, medians in whole days; a rate or share is empty (not zero) when its denominator is 0. A missing code reads "Unknown".
  Counts are slightly perturbed (see *Protecting persons*).
- **Filters**: *structures*: rows of those structures; *sex*, *age band*: persons of that sex, of that age band at first contact;
  *referral source*: referrals from that source and, for every other figure, persons referred by it at least once; *program*:
  referrals asking for it and support periods in it, and, for needs and workshops, persons supported in it or referred to it at
  least once. The chosen dates are widened to whole periods of the grouping (the start back to the first day of its month, quarter
  or year, the end on to the last day of its own; an open end stays open), so that two neighbouring ranges never reveal one day's
  events.""",
}

# Each figure's title and definition are declared with the figure, in ``dashboard.catalogue``.
DEFINITIONS: dict[str, dict[str, str]] = {name: figure.definition for name, figure in CATALOGUE.items()}
TITLES: dict[str, dict[str, str]] = {name: figure.title for name, figure in CATALOGUE.items()}


_RULES: dict[str, str] = {
    "fr": """\
Aucune figure ne doit permettre de reconnaître une personne, quelles que soient les questions posées et leur nombre. Depuis la
version 2 des définitions, Parcours applique pour cela la **méthode des clés de cellule** (*cell-key method*) du TableBuilder du
Bureau australien de statistique (ABS) et du recensement 2021 de l'Office for National Statistics britannique (ONS). k vaut par
défaut {k} à l'écran (réglage `PARCOURS_MIN_CELL`) et {k_published} dans tout ce qui sort de l'application : téléchargements CSV
et Excel, images PNG, ligne de commande, rapport (`PARCOURS_MIN_CELL_PUBLISHED`).

**Ce que vous voyez, et pourquoi**

1. **Des chiffres légèrement perturbés.** Chaque effectif est déplacé d'au plus {D} unités, d'une quantité lue dans une table de
   perturbation d'après sa valeur et sa *clé de cellule* (la somme des clés permanentes des personnes ou des événements qu'il
   compte). Les mêmes enregistrements reçoivent donc toujours le même bruit, sur chaque page, dans chaque export, rapport et
   commande : reposer la même question redonne la même réponse, et comparer deux sélections donne du bruit, pas une personne.
2. **Un total n'est plus la somme de ses parties.** Chaque case est perturbée pour elle-même : une ligne `TOTAL`, un total sur
   l'année ou le même effectif dans un autre tableau peut différer de quelques unités de la somme des cases affichées. C'est
   voulu, comme dans les tableaux de l'ABS et de l'ONS : ne recalculez pas un total en additionnant des cases.
3. **Petits effectifs de personnes.** Après perturbation, un nombre de personnes de 1 à k − 1 se lit « < k ». Aucun 1 ni 2 n'est
   publié ; un vrai zéro reste zéro, mais un 0 affiché peut aussi venir d'un effectif de 1 à {to_zero}.
4. **Événements** (orientations, sorties, présences). Un nombre d'événements n'est montré que si les personnes distinctes derrière
   lui atteignent k (elles aussi après perturbation) ; sinon il se lit « masqué ».
5. **Taux, parts, moyennes, médianes.** Les taux et les parts sont calculés sur les effectifs perturbés et arrondis au pour cent
   entier ; les moyennes, sur une somme perturbée (la variante « montants » de la méthode), arrondies à une décimale. Ils se
   lisent « masqué » quand leur effectif de base est inférieur à k ou qu'un effectif dont ils sont calculés se lit « < k » ou
   « masqué » (un taux d'acceptation suit aussi le nombre de refus). Une médiane n'est montrée que sur au moins k valeurs,
   arrondie au jour entier. Le « n = » affiché à côté d'un taux est son dénominateur perturbé.
6. **Catégories sensibles.** Les orientations du SPIP ou de la santé (sources `SPIP`, `SANTE`) et les domaines justice et
   addictions (`JUSTICE`, `ADDICTIONS`) utilisent le seuil de publication ({k_published}) partout, écran compris ; tout le tableau
   aussi quand la sélection retient une source sensible ou n'écarte que des sources sensibles : une sélection qui ne diffère d'une
   autre que par un groupe sensible l'est aussi.
7. **Périodes entières.** Les dates choisies sont élargies aux mois, trimestres ou années entiers.
8. **Sélection trop petite.** Un filtre qui laisse de 1 à k − 1 personnes (ayant au moins un événement daté dans la plage)
   n'affiche aucune figure, seulement le constat que la sélection est trop petite ; de même pour une sélection qui ne
   diffère que de 1 à k − 1 personnes de sa voisine (le même choix sans l'un des filtres) : comparées, les deux
   révéleraient ce petit groupe. Chaque filtre retient une valeur ou toutes : des unions de valeurs (deux structures,
   deux sexes) se compareraient entre elles et leurs bruits se moyenneraient.
9. **Cohortes.** Une cohorte d'ateliers de moins de k personnes est masquée en entier.
10. **Aucune valeur individuelle.** Ni identifiant, ni ligne de fichier, ni date exacte, ni chemin sur le serveur : les
    avertissements de chargement ne sont que comptés ; l'exploitant en lit le détail avec `python -m etl status --warnings`.

Les nombres de séances, qui ne comptent pas des personnes, ne sont ni perturbés ni masqués. « < k » porte le k de sa ligne ; dans
les exports, les cases cachées sont vides (`null` en JSON).

**Paramètres de la méthode**

- **Clés d'enregistrement.** Chaque personne, orientation, accompagnement et séance d'atelier reçoit une clé permanente de 0 à
  {key_max}, comme dans le paquet `cell-key-perturbation` de l'ONS, tirée d'un hachage à clé (BLAKE2b) de sa structure et de son
  identifiant ; une présence combine sa séance et sa personne. La clé d'une cellule est la somme des clés de ses enregistrements
  modulo {key_range}. Recharger les mêmes données redonne les mêmes clés.
- **Table de perturbation** (*p-table*). Perturbation maximale D = {D} (`PARCOURS_CKM_MAX`), variance V = {V}
  (`PARCOURS_CKM_VARIANCE`). Pour chaque valeur, la loi de la perturbation d laisse les zéros à zéro (rien n'apparaît où rien ne
  s'est passé), ne publie jamais 1 ni 2 (les effectifs qui désignent quelqu'un), est sans biais (moyenne nulle : une somme de
  nombreuses cases ne dérive pas), a la variance V quand ces contraintes le permettent (2 pour les valeurs 1 et 2) et l'entropie
  maximale sous ces contraintes (p(d) ∝ exp(a·d + b·d²), la construction du paquet `ptable` de Destatis et de l'ABS) : c'est le
  bruit le moins prévisible qui respecte ces règles. D = {D} garde chaque chiffre à au plus {D} unités du vrai ; V = {V} donne à
  la différence de deux cases un écart type de {sd}. Probabilités en %, multiples de 1/{key_range} :

{ptable}

- **Moyennes.** La somme derrière une moyenne bouge de ymax × e, ymax la plus grande contribution d'une personne (un niveau de 5,
  un écart de 4), e ∈ [−1, 1] lu dans la même clé par une correspondance indépendante : une moyenne ne redonne pas l'effectif.
- **Secret.** Les clés dérivent d'un secret : `PARCOURS_SECRET`, ou à défaut le fichier `PARCOURS_SECRET_FILE`, créé au premier
  démarrage (droits 0600, hors de la base de données) ; tous deux sont lus dans l'environnement du serveur seulement. Conservez-le
  avec les sauvegardes ; plusieurs processus de l'application sur une même base doivent partager le même. Le changer change tout
  le bruit, et qui a gardé des chiffres d'avant et d'après pourrait moyenner les deux versions : ne le changez jamais à la légère,
  seulement s'il a fui (qui détient le secret et les identifiants peut retirer le bruit).
- **Mode exact.** `PARCOURS_DISCLOSURE=exact`, dans l'environnement du serveur seulement (jamais par une adresse, un bouton ou
  `.streamlit/secrets.toml`), retire la perturbation pour les gestionnaires de données et pour les tests de chiffres calculés à la
  main ; toutes les autres règles restent. Cette page indique le mode en vigueur.

**Ce qu'affronte un attaquant.** Qui soustrait deux cases publiées (un total, et le même total sans une personne) fait une erreur
d_A − d_B, nulle avec une probabilité d'au plus max_v Σ_d p_v(d)², sur les valeurs v publiables : {bound_k} à l'écran (k = {k}),
{bound_k_published} pour ce qui est publié (k = {k_published}) ; {bound_large} aussi pour deux cases de {last} ou plus, le cas
courant, quel que soit k. Sinon, il se trompe de 1 à {two_d} unités, et rien ne lui dit quand.

**Limites connues**, que nous assumons comme les instituts de statistique qui emploient la méthode :

- **Moyennage.** Deux sélections différentes qui contiennent la même personne reçoivent des bruits indépendants. Qui construit
  beaucoup de paires de sélections ne différant que par cette personne peut moyenner leurs différences : pour ramener l'écart type
  de la moyenne à un quart d'unité, assez pour distinguer 1 de 0, il lui faut environ {pairs} paires distinctes, chacune avec ses
  deux cases d'au moins k, et savoir déjà qui est dans chaque sélection. Seuils, seuils sensibles, périodes entières, garde des
  petites sélections et même bruit pour la même question en réduisent fortement le nombre, sans l'annuler.
- **Très petites structures.** Dans une structure de quelques dizaines de personnes, la plupart des cases se lisent « < k » ou
  « masqué », et un lecteur qui connaît presque tout le monde apprend plus d'un chiffre qu'ailleurs : regroupez-les avec d'autres.
- **Médianes.** Une médiane n'est pas perturbée : c'est la valeur du milieu (ou la moyenne des deux du milieu) d'au moins k
  valeurs, arrondie au jour ; elle dit qu'une durée de cet ordre existe parmi elles, sans dire de qui.
- **Zéros.** Un vrai zéro est publié tel quel : « personne dans ce groupe » se lit quand c'est vrai, comme à l'ABS et à l'ONS.
- **Mode exact.** Sans perturbation, la différence de deux tableaux redonne des personnes : ce mode doit rester entre les mains
  des gestionnaires de données, et rien de ce qu'il produit ne doit être diffusé.""",
    "en": """\
No figure may let anyone recognise a person, whatever is asked and however often. Since version 2 of the definitions, Parcours
uses for this the **cell-key method** of the Australian Bureau of Statistics' TableBuilder (ABS) and of the 2021 Census of the UK
Office for National Statistics (ONS). k is by default {k} on screen (setting `PARCOURS_MIN_CELL`) and {k_published} in anything
that leaves the application: CSV and Excel downloads, PNG images, command line, report (`PARCOURS_MIN_CELL_PUBLISHED`).

**What you see, and why**

1. **Figures slightly perturbed.** Every count moves by at most {D}, by an amount read from a perturbation table at its value and
   its *cell key* (the sum of the permanent keys of the persons or events it counts). The same records therefore always get the
   same noise, on every page, in every export, report and command: asking the same question again gives the same answer, and
   comparing two selections gives noise, not a person.
2. **A total is no longer the sum of its parts.** Each cell is perturbed on its own: a `TOTAL` row, a yearly total or the same
   count in another table may differ by a few units from the sum of the cells shown. This is intended, as in the tables of the ABS
   and the ONS: do not recompute a total by adding cells up.
3. **Small counts of persons.** After perturbation, a number of persons from 1 to k − 1 reads "< k". No 1 or 2 is ever published;
   a true zero stays zero, but a 0 shown may also come from a count of 1 to {to_zero}.
4. **Events** (referrals, exits, attendances). A count of events is shown only when the distinct persons behind it reach k (after
   perturbation too); otherwise it reads "hidden".
5. **Rates, shares, means, medians.** Rates and shares are computed from the perturbed counts and rounded to whole percent; means
   from a perturbed sum (the method's magnitude variant), to one decimal. They read "hidden" when the count they rest on is below
   k or a count they come from reads "< k" or "hidden" (an acceptance rate also follows the number of refusals). A median is shown
   only over at least k values, rounded to the whole day. The "n =" shown beside a rate is its perturbed denominator.
6. **Sensitive categories.** Referrals from probation or health services (sources `SPIP`, `SANTE`) and the justice and addictions
   domains (`JUSTICE`, `ADDICTIONS`) use the publication threshold ({k_published}) everywhere, screen included; so does the whole
   table when the selection keeps a sensitive source or leaves out only sensitive ones: a selection that differs from another only
   by a sensitive group is sensitive too.
7. **Whole periods.** The chosen dates are widened to whole months, quarters or years.
8. **Selection too small.** A filter that leaves 1 to k − 1 persons (with at least one event dated in the range) shows no figure,
   only the statement that the selection is too small; so does a selection that differs by 1 to k − 1 persons from its
   neighbour (the same choice without one of the filters): compared, the two would reveal that small group. Each
   filter keeps one value or all: unions of values (two structures, two sexes) could be compared with each other and
   their noise averaged away.
9. **Cohorts.** A workshop cohort of fewer than k persons is hidden whole.
10. **No row-level value.** No identifier, file line, exact date or server path: load warnings are only counted; the operator
    reads them in detail with `python -m etl status --warnings`.

Numbers of sessions, which do not count persons, are neither perturbed nor hidden. "< k" carries its row's k; "hidden" reads
"masqué" in French; in exports hidden cells are empty (`null` in JSON).

**Parameters of the method**

- **Record keys.** Every person, referral, support period and workshop session gets a permanent key from 0 to {key_max}, as in the
  ONS `cell-key-perturbation` package, from a keyed hash (BLAKE2b) of its structure and identifier; an attendance combines its
  session and its person. A cell's key is the sum of its records' keys modulo {key_range}. Reloaded data keep their keys.
- **Perturbation table** (*p-table*). Maximum perturbation D = {D} (`PARCOURS_CKM_MAX`), variance V = {V}
  (`PARCOURS_CKM_VARIANCE`). For each value, the distribution of the perturbation d leaves zeros at zero (nothing appears where
  nothing happened), never publishes 1 or 2 (the counts that point at someone), is unbiased (mean zero: a sum of many cells does
  not drift), has variance V where those constraints allow it (2 for the values 1 and 2) and the maximum entropy under those
  constraints (p(d) ∝ exp(a·d + b·d²), the construction of Destatis' `ptable` package and of the ABS): the least predictable noise
  that keeps these rules. D = {D} keeps every figure within {D} of the truth; V = {V} gives the difference of two cells a standard
  deviation of {sd}. Probabilities in %, multiples of 1/{key_range}:

{ptable}

- **Means.** The sum behind a mean moves by ymax × e, ymax the largest contribution of one person (a level of 5, a change of 4), e
  ∈ [−1, 1] read from the same key through an independent mapping: a mean does not give the count back.
- **Secret.** The keys derive from a secret: `PARCOURS_SECRET`, or else the file `PARCOURS_SECRET_FILE`, generated at first start
  (mode 0600, outside the database); both are read from the server's environment only. Keep it with the backups; several
  application processes on one database must share it. Changing it changes all the noise, and whoever kept figures from before and
  after could average both: never rotate it casually, only if it has leaked (with the identifiers, it lets anyone remove the
  noise).
- **Exact mode.** `PARCOURS_DISCLOSURE=exact`, in the server's environment only (never an address, a widget or
  `.streamlit/secrets.toml`), removes the perturbation for data stewards and tests of hand-computed figures; every other rule
  holds. This page says which mode is in force.

**What an attacker faces.** Whoever subtracts two published cells (a total, and the same total without one person) makes an error
d_A − d_B, zero with a probability of at most max_v Σ_d p_v(d)² over the values v that can be published: {bound_k} on screen (k =
{k}), {bound_k_published} for anything published (k = {k_published}); {bound_large} too for two cells of {last} or more, the usual
case, whatever k. The rest of the time the estimate is off by 1 to {two_d}, and nothing in the figures says which case it is.

**Known limits**, which we defend as the statistical offices that use the method do:

- **Averaging.** Two different selections that contain the same person get independent noise. Whoever builds many pairs of
  selections that differ only by that person can average their differences: to bring the standard deviation of the average down to
  a quarter of a unit, enough to tell 1 from 0, takes about {pairs} distinct pairs, each with both cells at k or more, and knowing
  already who is in each selection. Thresholds, whole periods, sensitive thresholds, the small-selection guard and the same noise
  for the same question cut down the usable pairs a great deal; they do not bring them to zero.
- **Very small structures.** In a structure of a few dozen persons most cells read "< k" or "hidden", and a reader who knows
  nearly everyone learns more from a figure than elsewhere: look at such structures grouped with others.
- **Medians.** A median is not perturbed: it is the middle value (or the mean of the two middle ones) of at least k values,
  rounded to the day; it says that a duration of that order occurs among them, not whose it is.
- **Zeros.** A true zero is published as it is: "nobody in this group" stays readable when it is true, as at the ABS and the ONS.
- **Exact mode.** Without perturbation the difference of two tables gives persons back: this mode must stay with the data
  stewards, and nothing it produces may be passed on.""",
}


def _ptable_markdown(table: PTable, lang: str) -> str:
    """The p-table as a markdown table: one row per value, one column per perturbation, probabilities in %."""
    header = ("valeur" if lang == "fr" else "value", *(f"{d:+d}".replace("-", "−") if d else "0" for d in table.offsets))
    last = len(table.probabilities) - 1
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for value, probs in enumerate(table.probabilities):
        label = f"{value}+" if value == last else str(value)
        cells = (fmt_decimal(100 * p, lang) if p > 0 else "" for p in probs)
        lines.append("| " + " | ".join((label, *cells)) + " |")
    return "\n".join(lines)


def _rules(lang: str) -> str:
    """The rules with the default settings' numbers (the page adds the ones in force, see ``disclosure_rules``)."""
    d, v = int(_DEFAULTS["PARCOURS_CKM_MAX"]), float(_DEFAULTS["PARCOURS_CKM_VARIANCE"])
    table = build_ptable(d, v)
    last = len(table.probabilities) - 1
    k, k_published = int(_DEFAULTS["PARCOURS_MIN_CELL"]), int(_DEFAULTS["PARCOURS_MIN_CELL_PUBLISHED"])
    to_zero = max(value for value in range(1, d + 1) if table.row(value)[table.offsets == -value][0] > 0)
    return _RULES[lang].format(
        k=k, k_published=k_published, D=d, V=fmt_decimal(v, lang), sd=fmt_decimal(math.sqrt(2 * v), lang),
        last=last, two_d=2 * d, key_max=KEY_RANGE - 1, key_range=KEY_RANGE, to_zero=to_zero,
        bound_k=fmt_rate(exact_share_bound(k, table), lang), bound_k_published=fmt_rate(exact_share_bound(k_published, table), lang),
        bound_large=fmt_rate(float((table.row(last) ** 2).sum()), lang), pairs=math.ceil(2 * v / 0.25**2),
        ptable=_ptable_markdown(table, lang),
    )


DISCLOSURE_RULES: dict[str, str] = {lang: _rules(lang) for lang in _RULES}
"""The rules that protect persons, with the default settings' thresholds and p-table (as in ``docs/metrics.md``)."""

CHANGELOG: list[tuple[str, str, dict[str, str]]] = [
    ("1", "2026-11-21", {"fr": "Définitions initiales.", "en": "Initial definitions."}),
    ("2", "2026-12-02", {
        "fr": "Version 2 des chiffres. Protection des personnes par la méthode des clés de cellule (ABS, ONS) à la place du "
              "masquage primaire et secondaire et du contrôle des différences : les effectifs sont légèrement perturbés, un "
              "nombre d'événements n'est montré que si les personnes derrière lui atteignent k. Taux et parts arrondis au pour "
              "cent entier (ligne de commande : 2 décimales au lieu de 4), moyennes à une décimale (au lieu de deux), médianes "
              "au jour entier. Dates élargies aux périodes entières. La vue d'ensemble a une colonne `n` : le dénominateur "
              "perturbé de chaque taux affiché.",
        "en": "Version 2 of the figures. Persons are protected by the cell-key method (ABS, ONS) instead of primary and "
              "secondary suppression and the differencing check: counts are slightly perturbed, a count of events is shown only "
              "when the persons behind it reach k. Rates and shares rounded to whole percent (command line: 2 decimals instead "
              "of 4), means to one decimal (instead of two), medians to the whole day. Dates widened to whole periods. The "
              "overview has an `n` column: the perturbed denominator of each rate shown.",
    }),
]


_HEADINGS = {
    "fr": ("Définitions des chiffres", "Conventions", "Protection des personnes", "Historique des définitions", "version"),
    "en": ("Definitions of the figures", "Conventions", "Protecting persons", "Changelog of the definitions", "version"),
}


def disclosure_rules(lang: str = "fr") -> str:
    """The rules with the thresholds and the p-table in force now (settings may differ from the defaults). The
    page says above them which mode is in force."""
    k, published = thresholds(False)[0], thresholds(True)[0]
    current = {"fr": f"Seuils en vigueur : k = {k} à l'écran, {published} pour ce qui est publié.",
               "en": f"Thresholds in force: k = {k} on screen, {published} for anything published."}
    try:
        table = ptable()
    except ValueError as exc:  # PerturbationSettingError: the setting's own message, not a traceback
        return f"{DISCLOSURE_RULES[lang]}\n\n{current[lang]} {exc}"
    d, v = table.max_perturbation, fmt_decimal(table.variance, lang)
    noise = {"fr": f"Perturbation en vigueur : D = {d}, V = {v}.", "en": f"Perturbation in force: D = {d}, V = {v}."}
    return f"{DISCLOSURE_RULES[lang]}\n\n{current[lang]} {noise[lang]}"


def render_markdown(lang: str) -> str:
    """All definitions in one language, as the markdown section of ``docs/metrics.md``."""
    title, conventions, small, changelog, version = _HEADINGS[lang]
    parts = [f"## {title} ({version} {VERSION})", f"### {conventions}", CONVENTIONS[lang]]
    for metric, texts in DEFINITIONS.items():
        parts += [f"### {TITLES[metric][lang]} (`{metric}`)", texts[lang]]
    parts += [f"### {small}", DISCLOSURE_RULES[lang], f"### {changelog}"]
    parts += ["\n".join(f"- {version} {number} ({day}): {texts[lang]}" for number, day, texts in CHANGELOG)]
    return "\n\n".join(parts) + "\n"


def render_document() -> str:
    """The whole of ``docs/metrics.md``: French first, then English."""
    intro = ("# Parcours: metric definitions\n\n"
             "Generated from `dashboard/definitions.py` (`python -m dashboard.definitions > docs/metrics.md`); "
             "edit the module, not this file.\n\n")
    return intro + render_markdown("fr") + "\n" + render_markdown("en")


if __name__ == "__main__":
    sys.stdout.write(render_document())
