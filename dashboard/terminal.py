"""Text from the database made safe to print on a terminal (the dashboard's twin of ``etl.terminal``).

A structure id or a name comes from a loaded file: an ANSI escape sequence
in it could recolour or rewrite the researcher's screen, a carriage return
or a newline could forge a line, a bidirectional override could reorder
what is read. ``printable`` writes every such character as a visible escape
(``\\x1b``, ``\\r``, ``\\u202e``). Messages on standard error go through it;
CSV and JSON on standard output are data and stay as they are.
"""

from __future__ import annotations

import unicodedata

# Cc: C0 and C1 controls (ESC, CR, LF, TAB, CSI ...); Cf: format characters (bidirectional overrides,
# zero-width characters); Zl, Zp: the Unicode line and paragraph separators.
_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: object) -> str:
    """``text`` with every control, format or line-separator character written as an escape."""
    return "".join(_escape(c) if unicodedata.category(c) in _UNSAFE else c for c in str(text))
