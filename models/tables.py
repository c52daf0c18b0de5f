"""Every table of Parcours, one class per table, each with its grain.

Tables loaded from a dataset mirror the data contract (version 1): English
identifiers here, the contract's French column name in each column's
``info["source"]``. Codes are stored as the contract's code values
(``ACCEPTEE``, ``SPIP``...); labels live in ``code_labels``.
"""

from datetime import date, datetime

from sqlalchemy import DDL, Index, event
from sqlmodel import Field, SQLModel

from models.fields import contract_field

# --- Loaded from datasets -------------------------------------------------


class StructureBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Identifier of the structure.", fr="Identifiant de la structure.", primary_key=True
    )
    name: str = contract_field(
        "nom",
        "Name of the structure (an organisation, never a person).",
        fr="Nom de la structure (une organisation, jamais une personne).",
    )
    type: str | None = contract_field("type", "Kind of structure.", fr="Type de structure.", codes="TYPE_STRUCTURE")
    territory: str | None = contract_field(
        "territoire",
        "Coarse area (commune, district, INSEE code).",
        fr="Zone large (commune, arrondissement, code INSEE), jamais une adresse.",
    )


class Structure(StructureBase, table=True):
    """One row per structure (an organisation or one of its sites)."""

    __tablename__ = "structures"


class PersonBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Structure accompanying the person.", fr="Structure qui accompagne la personne.", primary_key=True
    )
    person_id: str = contract_field(
        "personne_id", "Pseudonymous identifier of the person.", fr="Identifiant pseudonyme de la personne.", primary_key=True
    )
    sex: str | None = contract_field("sexe", "Sex.", fr="Sexe.", codes="SEXE")
    birth_year: int | None = contract_field(
        "annee_naissance", "Year of birth (never the full date).", fr="Année de naissance (jamais la date complète).", ge=1900
    )
    household: str | None = contract_field(
        "composition_familiale", "Household composition.", fr="Composition familiale.", codes="COMPOSITION"
    )
    resources: str | None = contract_field(
        "ressources", "Main resource at first contact.", fr="Ressource principale au premier contact.", codes="RESSOURCES"
    )
    nationality: str | None = contract_field("nationalite", "Nationality group.", fr="Groupe de nationalité.", codes="NATIONALITE")
    french_level: str | None = contract_field("maitrise_francais", "Command of French.", fr="Maîtrise du français.", codes="MAITRISE")
    justice: str | None = contract_field(
        "situation_justice", "Situation with the justice system.", fr="Situation judiciaire.", codes="JUSTICE"
    )
    territory: str | None = contract_field("territoire", "Coarse area of residence.", fr="Zone de résidence (large).")
    priority_area: bool | None = contract_field(
        "qpv", "Lives in a priority neighbourhood (QPV).", fr="Habite un quartier prioritaire de la ville (QPV)."
    )


class Person(PersonBase, table=True):
    """One row per person accompanied by a structure."""

    __tablename__ = "persons"


class ReferralBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Structure receiving the referral.", fr="Structure qui reçoit l'orientation.", primary_key=True
    )
    referral_id: str = contract_field(
        "orientation_id", "Identifier of the referral.", fr="Identifiant de l'orientation.", primary_key=True
    )
    person_id: str = contract_field(
        "personne_id", "Person referred; exists in persons.", fr="Personne orientée ; doit exister dans personnes."
    )
    referral_date: date = contract_field(
        "date_orientation", "Date the referral was received.", fr="Date de réception de l'orientation."
    )
    source: str = contract_field("source", "Who referred the person.", fr="Qui a orienté la personne.", codes="SOURCE")
    program: str | None = contract_field("dispositif", "Program asked for.", fr="Dispositif demandé.", codes="DISPOSITIF")
    decision: str = contract_field(
        "decision", "Decision; missing means EN_ATTENTE.", fr="Décision ; vide = EN_ATTENTE.", codes="DECISION", default="EN_ATTENTE"
    )
    decision_date: date | None = contract_field(
        "date_decision", "Date of the decision; not before the referral.", fr="Date de la décision ; pas avant l'orientation."
    )


class Referral(ReferralBase, table=True):
    """One row per referral (orientation) received."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_structure_date", "structure_id", "referral_date"),)


class SupportPeriodBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Structure running the program.", fr="Structure qui porte le dispositif.", primary_key=True
    )
    support_id: str = contract_field(
        "accompagnement_id", "Identifier of the support period.", fr="Identifiant de l'accompagnement.", primary_key=True
    )
    person_id: str = contract_field(
        "personne_id", "Person supported; exists in persons.", fr="Personne accompagnée ; doit exister dans personnes."
    )
    referral_id: str | None = contract_field(
        "orientation_id",
        "Referral it answers; exists in referrals if given.",
        fr="Orientation à laquelle il répond ; doit exister dans orientations si renseignée.",
    )
    program: str = contract_field("dispositif", "Program.", fr="Dispositif.", codes="DISPOSITIF")
    entry_date: date = contract_field("date_entree", "First day of the support period.", fr="Premier jour de l'accompagnement.")
    exit_date: date | None = contract_field(
        "date_sortie", "Exit date; missing means still in progress.", fr="Date de sortie ; vide = en cours."
    )
    exit_reason: str | None = contract_field("motif_sortie", "Reason for the exit.", fr="Motif de sortie.", codes="MOTIF_SORTIE")
    exit_housing: str | None = contract_field(
        "logement_sortie", "Housing situation at exit.", fr="Situation de logement à la sortie.", codes="LOGEMENT_SORTIE"
    )
    exit_employment: str | None = contract_field(
        "emploi_sortie", "Employment situation at exit.", fr="Situation d'emploi à la sortie.", codes="EMPLOI_SORTIE"
    )


class SupportPeriod(SupportPeriodBase, table=True):
    """One row per stay or support period of a person in a program."""

    __tablename__ = "support_periods"
    __table_args__ = (
        Index("ix_support_periods_structure_entry", "structure_id", "entry_date"),
        Index("ix_support_periods_structure_exit", "structure_id", "exit_date"),
    )


class AssessmentBase(SQLModel):
    structure_id: str = contract_field("structure_id", "Structure that assessed.", fr="Structure qui a évalué.", primary_key=True)
    person_id: str = contract_field(
        "personne_id", "Person assessed; exists in persons.", fr="Personne évaluée ; doit exister dans personnes.", primary_key=True
    )
    assessment_date: date = contract_field("date_evaluation", "Date of the assessment.", fr="Date de l'évaluation.", primary_key=True)
    domain: str = contract_field("domaine", "Life domain assessed.", fr="Domaine de vie évalué.", codes="DOMAINE", primary_key=True)
    level: int = contract_field(
        "niveau",
        "1 in crisis, 2 vulnerable, 3 stabilised, 4 progressing, 5 autonomous.",
        fr="1 en crise, 2 vulnérable, 3 stabilisé, 4 en progression, 5 autonome.",
        ge=1,
        le=5,
    )


class Assessment(AssessmentBase, table=True):
    """One row per life domain assessed for a person on a date."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_structure_date", "structure_id", "assessment_date"),)


class WorkshopBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Structure running the workshop.", fr="Structure qui anime l'atelier.", primary_key=True
    )
    workshop_id: str = contract_field("atelier_id", "Identifier of the workshop.", fr="Identifiant de l'atelier.", primary_key=True)
    name: str = contract_field(
        "nom", 'Name of the workshop, e.g. "Couture", "FLE".', fr="Nom de l'atelier, par exemple « Couture », « FLE »."
    )
    category: str = contract_field("categorie", "Category of workshop.", fr="Catégorie d'atelier.", codes="CATEGORIE_ATELIER")
    modality: str | None = contract_field("modalite", "Collective or individual.", fr="Collectif ou individuel.", codes="MODALITE")
    facilitator: str | None = contract_field(
        "intervenant",
        "Internal staff or external professional.",
        fr="Salarié de la structure ou intervenant extérieur.",
        codes="INTERVENANT",
    )
    co_constructed: bool | None = contract_field(
        "co_construit", "Chosen or designed with the participants.", fr="Choisi ou conçu avec les participants."
    )


class Workshop(WorkshopBase, table=True):
    """One row per workshop run by a structure."""

    __tablename__ = "workshops"


class WorkshopSessionBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Structure running the session.", fr="Structure qui anime la séance.", primary_key=True
    )
    session_id: str = contract_field("seance_id", "Identifier of the session.", fr="Identifiant de la séance.", primary_key=True)
    workshop_id: str = contract_field("atelier_id", "Workshop; exists in workshops.", fr="Atelier ; doit exister dans ateliers.")
    session_date: date = contract_field("date_seance", "Date the session took place.", fr="Date de la séance.")
    duration_minutes: int | None = contract_field(
        "duree_minutes", "Duration in minutes, above 0.", fr="Durée en minutes, supérieure à 0.", ge=1
    )


class WorkshopSession(WorkshopSessionBase, table=True):
    """One row per session of a workshop that took place."""

    __tablename__ = "workshop_sessions"
    __table_args__ = (Index("ix_workshop_sessions_structure_date", "structure_id", "session_date"),)


class AttendanceBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Structure running the session.", fr="Structure qui anime la séance.", primary_key=True
    )
    session_id: str = contract_field(
        "seance_id", "Session; exists in workshop_sessions.", fr="Séance ; doit exister dans seances.", primary_key=True
    )
    person_id: str = contract_field(
        "personne_id", "Person expected; exists in persons.", fr="Personne attendue ; doit exister dans personnes.", primary_key=True
    )
    presence: str = contract_field("presence", "Present, absent or excused.", fr="Présent, absent ou excusé.", codes="PRESENCE")


class Attendance(AttendanceBase, table=True):
    """One row per person expected at a workshop session."""

    __tablename__ = "attendances"
    __table_args__ = (Index("ix_attendances_structure_person", "structure_id", "person_id"),)


class MilestoneBase(SQLModel):
    structure_id: str = contract_field(
        "structure_id", "Structure recording the milestone.", fr="Structure qui enregistre le jalon.", primary_key=True
    )
    person_id: str = contract_field(
        "personne_id", "Person; exists in persons.", fr="Personne ; doit exister dans personnes.", primary_key=True
    )
    milestone_date: date = contract_field(
        "date_jalon", "Date the milestone was reached.", fr="Date à laquelle le jalon est atteint.", primary_key=True
    )
    kind: str = contract_field("type", "Kind of milestone.", fr="Type de jalon.", codes="JALON", primary_key=True)


class Milestone(MilestoneBase, table=True):
    """One row per milestone reached by a person."""

    __tablename__ = "milestones"
    __table_args__ = (Index("ix_milestones_structure_date", "structure_id", "milestone_date"),)


# --- Load log -------------------------------------------------------------


class Load(SQLModel, table=True):
    """One row per load of a dataset (dry runs are not recorded)."""

    __tablename__ = "loads"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(description="When the load started (UTC).")
    finished_at: datetime = Field(description="When the load was committed (UTC).")
    source: str = Field(description="Path of the dataset as given.")
    structures: str = Field(description="Structures the dataset covers, comma-separated.")
    replace: bool = Field(default=False, description="Whether --replace was used.")
    pseudonymised: bool = Field(default=False, description="Whether ids were pseudonymised by the ETL.")


class LoadFile(SQLModel, table=True):
    """One row per file (or sheet) read by a load."""

    __tablename__ = "load_files"
    load_id: int = Field(foreign_key="loads.id", primary_key=True)
    file_name: str = Field(primary_key=True, description="File name (or workbook!sheet).")
    table_name: str = Field(description="Contract table the file holds.")
    sha256: str = Field(description="SHA-256 of the file's bytes.")
    rows: int = Field(description="Data rows read.")


class LoadTableCount(SQLModel, table=True):
    """One row per table touched by a load, with what happened to its rows."""

    __tablename__ = "load_table_counts"
    load_id: int = Field(foreign_key="loads.id", primary_key=True)
    table_name: str = Field(primary_key=True)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


class LoadWarning(SQLModel, table=True):
    """One row per warning raised by a load (the load went on)."""

    __tablename__ = "load_warnings"
    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="loads.id", index=True)
    table_name: str
    line: int | None = None
    column_name: str | None = None
    value: str | None = None
    code: str = Field(description="Kind of warning, e.g. AGE_IMPLAUSIBLE.")
    message: str = Field(description="The warning in the load's language.")


class LoadQuality(SQLModel, table=True):
    """One row per data-quality measure of one structure in one load (``models.quality``).

    ``measure`` is ``missing:<table>.<column>`` or ``unknown:<table>.<column>`` (rows = cells, total = cells
    where a value is expected), ``rule:<CODE>`` (rows flagged, total = rows judged), ``timely:<table>`` (rows
    first brought by this load at most ``ON_TIME_DAYS`` after their event, total = rows it first brought) or
    ``lag:<table>`` (rows = median days from event to load over them, total = rows it first brought).
    """

    __tablename__ = "load_quality"
    load_id: int = Field(foreign_key="loads.id", primary_key=True)
    structure_id: str = Field(primary_key=True)
    measure: str = Field(primary_key=True)
    rows: int = 0
    total: int = 0


# --- Reference data (seeded at creation) ----------------------------------


class CodeLabel(SQLModel, table=True):
    """One row per code of a code list, with its French and English labels."""

    __tablename__ = "code_labels"
    code_list: str = Field(primary_key=True)
    code: str = Field(primary_key=True)
    label_fr: str
    label_en: str
    position: int = Field(description="Display order within the list.")


class DomainReading(SQLModel, table=True):
    """One row per life domain: its kind of need and its pillar.

    Reference data that a structure can change (``python -m etl domain``).
    """

    __tablename__ = "domain_readings"
    domain: str = Field(primary_key=True)
    kind: str = Field(description="PRATIQUE (short-time, urgent) or STRATEGIQUE (long-time).")
    pillar: str | None = Field(default=None, description="LOGEMENT, EMPLOI, SANTE, LIENS or none.")


# --- Researchers' work (dashboard/cohorts) ---------------------------------


class SavedCohort(SQLModel, table=True):
    """One row per saved cohort: its name and definition (``dashboard.cohorts.Cohort`` as JSON).

    The definitions version it was made under travels with it: a cohort saved under other definitions is
    reopened with a warning that its figures may differ.
    """

    __tablename__ = "saved_cohorts"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, description="The name the researcher gave it (unique).")
    definition: str = Field(description="The cohort's definition, JSON (dashboard.cohorts.Cohort.to_json).")
    definitions_version: int = Field(description="dashboard.definitions.VERSION when it was saved.")
    created_at: datetime = Field(description="When it was saved (UTC).")
    created_by: str | None = Field(default=None, description="Who saved it (a username), when accounts are on.")


# --- Accounts and audit (dashboard/accounts) -------------------------------


class User(SQLModel, table=True):
    """One row per account that can sign in (a local password, or a single sign-on subject)."""

    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, description="Sign-in name, lower case.")
    password_hash: str | None = Field(default=None, description="Argon2id hash; never the password. None: SSO only.")
    active: bool = Field(default=True, description="False once disabled: no sign-in, sessions refused.")
    must_change_password: bool = Field(default=False, description="A one-time password was set (first start, reset).")
    oidc_subject: str | None = Field(default=None, description="Issuer and subject of a single sign-on account.")
    created_at: datetime = Field(description="When the account was created (UTC).")


class RoleGrant(SQLModel, table=True):
    """One row per role a user holds on one structure (``*``: every structure)."""

    __tablename__ = "role_grants"
    user_id: int = Field(foreign_key="users.id", primary_key=True)
    role: str = Field(primary_key=True, description="administrator, staff, board or researcher.")
    structure_id: str = Field(primary_key=True, description="A structure id, or * for all structures.")
    granted_at: datetime = Field(description="When the role was granted (UTC).")
    granted_by: str = Field(description="Who granted it (a username or the operator's command line).")


class AuthSession(SQLModel, table=True):
    """One row per sign-in session, known by the SHA-256 of its random token (never the token)."""

    __tablename__ = "auth_sessions"
    token_hash: str = Field(primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime
    expires_at: datetime = Field(description="Absolute end of the session (UTC).")
    last_seen_at: datetime = Field(description="Last use; an idle session ends sooner.")
    ended_at: datetime | None = Field(default=None, description="Sign-out, disabling or password reset.")


class SignInFailure(SQLModel, table=True):
    """One row per failed sign-in attempt still counted by the throttle (cleared on success)."""

    __tablename__ = "sign_in_failures"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, description="Name typed, lower case (the account may not exist).")
    address: str = Field(index=True, description="Client address as the server saw it.")
    at: datetime = Field(index=True)


class AuditEvent(SQLModel, table=True):
    """One row per audited action: sign-ins and failures, loads, extracts, downloads, account changes.

    Append-only: triggers on SQLite and PostgreSQL refuse UPDATE and DELETE.
    """

    __tablename__ = "audit_events"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True, description="When it happened (UTC).")
    actor: str = Field(index=True, description="Username, or cli:<name> for the operator's command line.")
    action: str = Field(index=True, description="SIGN_IN, SIGN_IN_FAILED, LOAD, EXTRACT, ROLE_GRANT, ...")
    address: str | None = Field(default=None, description="Client address, for actions from the app.")
    structures: str | None = Field(default=None, description="Structures concerned, comma-separated.")
    detail: str = Field(default="{}", description="Parameters as JSON (files and hashes, filters, target user).")


_APPEND_ONLY = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS audit_events_no_{op.lower()} BEFORE {op} ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        for op in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
    ],
}
for _dialect, _statements in _APPEND_ONLY.items():
    for _statement in _statements:
        event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))  # type: ignore[attr-defined]
