"""The effects planted in the demo data, with their sizes.

Every number an analysis of the demo data could try to recover lives here,
and ``docs/demo-data.md`` quotes them: a metric that is checked against the
demo data is checked against these constants, not against folklore.
Probabilities are per row unless said otherwise; "logit" effects are added
to the log-odds of a probability.
"""

# --- Calendar -------------------------------------------------------------

START_YEAR = 2018
# Relative weight of each calendar month (January first) for referral dates:
# a summer dip in July-August, a September peak ("la rentrée"), a quieter December.
MONTH_WEIGHTS = (1.05, 1.0, 1.05, 1.0, 1.0, 0.95, 0.6, 0.45, 1.5, 1.15, 1.05, 0.8)
# Workshops do not meet during these closures (month, first day, last day).
SUMMER_CLOSURE = ((7, 14), (8, 31))  # from 14 July to 31 August
WINTER_CLOSURE = ((12, 24), (1, 1))  # Christmas week
SESSION_CANCELLED = 0.04  # share of ordinary weeks where a session does not take place

# --- Referrals --------------------------------------------------------------

# Referrals per person, by kind of structure (the first one is the person's first contact).
REFERRALS_PER_PERSON = {"CS": 2.0, "CHRS": 1.25, "CPAS": 1.4}
# The single social centre of size S receives this many referrals a year instead (whatever `today` is).
S_REFERRALS_PER_YEAR = 85
# Share of referrals from the probation service in CHRS-like structures.
CHRS_SPIP_SHARE = 0.6
# Decision delay in days: gamma(shape 2) with this mean, by kind.
DECISION_DELAY_MEAN_DAYS = {"CS": 8.0, "CHRS": 21.0, "CPAS": 12.0}
# Decision of a referral once decided: ACCEPTEE, REFUSEE, SANS_SUITE.
DECISION_PROBABILITIES = {"CS": (0.84, 0.06, 0.10), "CHRS": (0.72, 0.18, 0.10), "CPAS": (0.80, 0.10, 0.10)}
FIRST_REFERRAL_ACCEPTED_BOOST = 0.08  # added to ACCEPTEE (taken from REFUSEE) for a person's first referral

# --- Attendance (with confounding) ------------------------------------------

# P(PRESENT) for a person's sessions = sigmoid(intercept + slope * standing at entry + person noise), where the
# standing is the mean over the structure's grid of (level recorded at the entry assessment - NEUTRAL_LEVEL),
# a skipped domain counting as neutral. The confounding: people who arrive in better shape (who are also less
# vulnerable, and improve faster: VULNERABILITY_GAIN_SLOPE) attend more. Attendance follows only what staff
# record at entry, never the latent vulnerability itself: given the recorded levels, who attends is as good as
# random (the assumption of the adjusted estimates holds by construction, so the demo can show them recover the
# planted effect while the naive difference does not).
ATTENDANCE_INTERCEPT = 0.5
ATTENDANCE_STANDING_SLOPE = 1.0  # one level higher across the grid at entry raises the logit by 1
NEUTRAL_LEVEL = 3  # the middle of the 1-5 scale
ATTENDANCE_PERSON_SD = 1.0
EXCUSED_SHARE_OF_MISSED = 0.35  # a missed session is EXCUSE with this probability, else ABSENT
REGULAR_MIN_SHARE = 0.5  # "regular": PRESENT at half of one's expected sessions or more
REGULAR_MIN_SESSIONS = 4  # ... out of at least this many expected sessions

# --- Needs --------------------------------------------------------------------

# Latent level at entry = BASE_LEVEL + domain offset (by kind) + slope * vulnerability + noise.
BASE_LEVEL = 3.0
VULNERABILITY_LEVEL_SLOPE = -0.7  # per SD of baseline vulnerability
BASE_LEVEL_NOISE_SD = 0.6  # person-by-domain spread at entry
LEVEL_NOISE_SD = 0.35  # spread of each assessment around the latent level
# Improvement of the latent level per quarter (91.3 days) since the first assessment.
NATURAL_GAIN_PER_QUARTER = 0.08
VULNERABILITY_GAIN_SLOPE = -0.03  # per SD: more vulnerable people also improve more slowly
# Extra improvement per quarter spent in workshops, for regular attendees only:
REGULAR_GAIN_TARGET = 0.15  # in the domains the workshop category works on (WORKSHOP_TARGETS)
REGULAR_GAIN_STRATEGIC = 0.05  # in every other strategic domain
GAIN_CAP = 2.0  # total improvement of the latent level never exceeds this
# Workshop category -> domains it works on.
WORKSHOP_TARGETS = {
    "LANGUE_SAVOIRS": ("LANGUE_FRANCAISE",),
    "NUMERIQUE": ("NUMERIQUE",),
    "BIEN_ETRE": ("ESTIME_DE_SOI", "SANTE_MENTALE"),
    "EXPRESSION": ("ESTIME_DE_SOI", "LIENS_SOCIAUX_FAMILIAUX"),
    "VIE_QUOTIDIENNE": ("RESSOURCES_BUDGET", "ALIMENTATION"),
    "EMPLOI": ("EMPLOI_FORMATION",),
    "CULTURE_SORTIES": ("LIENS_SOCIAUX_FAMILIAUX",),
    "TECHNIQUE": ("EMPLOI_FORMATION", "ESTIME_DE_SOI"),
    "AUTRE": ("SANTE_PHYSIQUE",),
}
ASSESSMENT_INTERVAL_DAYS = (90, 180)  # reassessed every 3 to 6 months while supported
MAX_ASSESSMENTS = 8
SKIPPED_DOMAIN = 0.05  # a domain of the grid left unassessed on a date

# --- Exits --------------------------------------------------------------------

# Success score at exit = SCORE_GAIN * improvement reached + SCORE_VULNERABILITY * vulnerability + N(0, 1).
SCORE_GAIN = 1.2
SCORE_VULNERABILITY = -0.5
DEATH = {"CS": 0.004, "CHRS": 0.012, "CPAS": 0.006}  # share of exits by DECES
UNKNOWN_MOTIF = 0.04  # share of exits with motif INCONNU
# P(positive motif) = sigmoid(MOTIF_POSITIVE_LOGIT + score); P(negative | not positive) = sigmoid(-0.3 - 0.8 score).
MOTIF_POSITIVE_LOGIT = 0.0
# P(housing exit LOGEMENT_AUTONOME or LOGEMENT_ACCOMPAGNE) = sigmoid(logit + HOUSING_SCORE_SLOPE * score),
# for housing programs and for every exit of a CHRS-like structure.
HOUSING_LOGIT = {
    "HEBERGEMENT_INSERTION": 0.4,
    "LOGEMENT_ACCOMPAGNE": 0.8,
    "HEBERGEMENT_URGENCE": -1.0,
    "OTHER_CHRS": -0.8,
}
HOUSING_SCORE_SLOPE = 1.0
# P(dynamic exit: EMPLOI_DURABLE, EMPLOI_TRANSITION or SORTIE_POSITIVE) = sigmoid(logit + 0.8 * score),
# with the split of dynamic exits between those three.
EMPLOYMENT_LOGIT = {"CHANTIER_INSERTION": 0.4, "ACCOMPAGNEMENT_EMPLOI": 0.0, "OTHER": -2.2}
EMPLOYMENT_SCORE_SLOPE = 0.8
DYNAMIC_SPLIT = {
    "CHANTIER_INSERTION": (0.25, 0.55, 0.20),
    "ACCOMPAGNEMENT_EMPLOI": (0.40, 0.35, 0.25),
    "OTHER": (0.30, 0.40, 0.30),
}
EXIT_DESTINATION_MISSING = 0.08  # logement_sortie / emploi_sortie left empty

# --- Missing values on persons (share empty, share NR) -------------------------

PERSON_MISSING = {
    "sexe": (0.03, 0.02),
    "annee_naissance": (0.04, 0.0),
    "composition_familiale": (0.10, 0.05),
    "ressources": (0.08, 0.05),
    "nationalite": (0.06, 0.04),
    "maitrise_francais": (0.10, 0.05),
    "situation_justice": (0.12, 0.08),
    "territoire": (0.07, 0.0),
    "qpv": (0.12, 0.0),
}

# --- Planted warnings (never errors): count per structure = max(1, round(rate * base)) -----

IMPLAUSIBLE_AGE_RATE = 0.002  # of persons: aged under 16 or over 100 at first contact
NO_PATHWAY_RATE = 0.002  # of persons: no referral and no support period
PENDING_OVER_90_RATE = 0.003  # of referrals: still EN_ATTENTE more than 90 days later
EXIT_WITHOUT_MOTIF_RATE = 0.02  # of exits: date_sortie set, motif_sortie empty
OPEN_OVER_3_YEARS = 1  # support periods per structure left open for over three years
