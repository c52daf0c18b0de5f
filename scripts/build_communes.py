"""Rebuild ``models/data/communes.csv.gz`` (INSEE commune code -> name) from the official COG.

Source: the INSEE *Code officiel géographique* 2026, as packaged by Etalab
(DINUM) in the npm package ``@etalab/decoupage-administratif`` 6.0.0
(``data/communes.json``); data under the Licence Ouverte 2.0 (Etalab), code
under MIT. Run, from the repository root::

    npm pack @etalab/decoupage-administratif@6.0.0
    tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python scripts/build_communes.py package/data/communes.json

Kept: current communes and the municipal districts of Paris, Lyon and
Marseille under their own code, then the former codes of merged communes
(``anciensCodes``), delegated and associated communes under their codes when
no current commune holds them; each reads as the name of the commune it
belongs to today, since that is where its inhabitants live now.
"""

import csv
import gzip
import io
import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "models" / "data" / "communes.csv.gz"


def rows(communes: list[dict]) -> dict[str, str]:
    current = {c["code"]: c["nom"] for c in communes if c["type"] in ("commune-actuelle", "arrondissement-municipal")}
    names = dict(current)
    for commune in communes:
        if commune["type"] == "commune-actuelle":
            for old in commune.get("anciensCodes", []):
                names.setdefault(old, commune["nom"])
    for commune in communes:
        if commune["type"] in ("commune-deleguee", "commune-associee"):
            names.setdefault(commune["code"], current.get(commune.get("chefLieu", ""), commune["nom"]))
    return names


def main(source: str) -> None:
    names = rows(json.loads(Path(source).read_text(encoding="utf-8")))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["code", "nom"])
    writer.writerows(sorted(names.items()))
    # mtime=0: the same source gives the same bytes.
    TARGET.write_bytes(gzip.compress(text.getvalue().encode("utf-8"), mtime=0))
    print(f"{len(names)} codes written to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])
