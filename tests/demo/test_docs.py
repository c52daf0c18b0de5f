"""docs/demo-data.md quotes the planted effects with their true values."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from etl.demo import effects

DOC = Path(__file__).resolve().parents[2] / "docs" / "demo-data.md"
ROW = re.compile(r"^\| `([A-Z_0-9]+)` \| `([^`]+)` \|", re.MULTILINE)


def test_every_quoted_constant_has_its_value_in_code() -> None:
    quoted = ROW.findall(DOC.read_text(encoding="utf-8"))
    assert len(quoted) >= 35
    for name, value in quoted:
        assert hasattr(effects, name), name
        assert ast.literal_eval(value) == getattr(effects, name), name


def test_the_main_effects_are_documented() -> None:
    quoted = {name for name, _ in ROW.findall(DOC.read_text(encoding="utf-8"))}
    assert {
        "CHRS_SPIP_SHARE",
        "ATTENDANCE_STANDING_SLOPE",
        "REGULAR_GAIN_TARGET",
        "NATURAL_GAIN_PER_QUARTER",
        "HOUSING_LOGIT",
        "EMPLOYMENT_LOGIT",
        "IMPLAUSIBLE_AGE_RATE",
        "OPEN_OVER_3_YEARS",
    } <= quoted
