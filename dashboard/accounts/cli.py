"""``python -m dashboard users add|list|disable|enable|grant|revoke|reset-password|bootstrap``: accounts for operators.

Passwords are never arguments (they would stay in the shell history and the process list): they are typed
without echo, twice (``getpass``), or read from the first line of standard input (``--password-stdin``), or
generated as a one-time password printed once (``--one-time``: the person chooses theirs at first sign-in).
Every change is in the audit log with the actor ``cli:<operating-system user>``. Errors exit with status 2
and a message on standard error, never a traceback.
"""

import argparse
import getpass
import json
import secrets
import sys

from dashboard.accounts.passwords import PasswordTooShort, min_length
from dashboard.accounts.roles import ROLES
from dashboard.accounts.store import (
    AccountError,
    accounts,
    add_user,
    ensure_first_admin,
    grant,
    revoke,
    set_active,
    set_password,
)
from dashboard.i18n import lang_of, t
from dashboard.terminal import printable
from models.db import get_engine
from models.settings import get_setting


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard users", description="Accounts and roles.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("add", "reset-password"):
        command = sub.add_parser(name)
        command.add_argument("username")
        how = command.add_mutually_exclusive_group()
        how.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        how.add_argument("--one-time", action="store_true", help="generate a one-time password and print it once")
    sub.add_parser("bootstrap", help="on a database without accounts, create admin with a one-time password")
    listing = sub.add_parser("list")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    for name in ("disable", "enable"):
        sub.add_parser(name).add_argument("username")
    for name in ("grant", "revoke"):
        command = sub.add_parser(name)
        command.add_argument("username")
        command.add_argument("role", choices=ROLES)
        command.add_argument("structures", nargs="+", metavar="STRUCTURE", help="structure ids, or * for all")
    return parser


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, one_time)."""
    if args.one_time:
        return secrets.token_urlsafe(12), True
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if not sys.stdin.isatty():
        raise SystemExit("no terminal to type the password: use --password-stdin or --one-time")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat: ") != first:
        raise SystemExit("the two passwords differ")
    return first, False


def _run(args: argparse.Namespace, actor: str) -> None:
    engine = get_engine()
    if args.command == "bootstrap":
        password = ensure_first_admin(engine)
        if password is not None:
            print(t("account.first_admin", lang_of(get_setting("PARCOURS_LANG")), password=password))
        return
    if args.command == "list":
        found = accounts(engine)
        if args.format == "json":
            print(json.dumps([{"username": a.username, "active": a.active, "one_time_password": a.one_time,
                               "grants": [list(g) for g in a.grants]} for a in found], indent=2))
            return
        for a in found:
            grants = ", ".join(f"{role}:{structure}" for role, structure in a.grants) or "-"
            print("\t".join(printable(v) for v in (a.username, "active" if a.active else "disabled", grants)))
    elif args.command in ("add", "reset-password"):
        password, one_time = _password(args)
        if args.command == "add":
            add_user(engine, args.username, password, actor=actor, one_time=one_time)
        else:
            set_password(engine, args.username, password, actor=actor, one_time=True)  # the person chooses theirs next
        if one_time:
            print(f"one-time password: {password}")
    elif args.command in ("disable", "enable"):
        set_active(engine, args.username, args.command == "enable", actor=actor)
    else:
        (grant if args.command == "grant" else revoke)(engine, args.username, args.role, args.structures, actor=actor)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = lang_of(get_setting("PARCOURS_LANG"))
    try:
        _run(args, actor=f"cli:{getpass.getuser()}")
    except AccountError as exc:
        print(printable(t(f"account.{exc.code}", lang, **exc.values)), file=sys.stderr)
        return 2
    except PasswordTooShort:
        print(t("auth.too_short", lang, n=min_length()), file=sys.stderr)
        return 2
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 2
        raise
    return 0
