"""Regenerate src/sous_tools/data/densities.json (grams per US cup) from the USDA SR28 release.

Usage (see ../src/sous_tools/data/SOURCES.md for where the SR28 files come from):

    uv run python services/tools/scripts/build_densities.py --sr28 DIR

densities_selection.csv (next to this script) names, for each ingredient, the SR28 food and the
exact USDA household measure to use ("cup, shredded" for cheddar); the FDC ID comes from
foods_selection.csv. Rows without an SR28 food carry their own grams_per_cup and source.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path
from typing import Any

from sr28 import SR28

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "src" / "sous_tools" / "data"
# How many of each measure make one US cup.
PER_CUP = {"cup": 1, "tbsp": 16, "tsp": 48, "fl oz": 8}


def build_densities(sr28: SR28, selection: Path, foods: Path) -> list[dict[str, Any]]:
    with foods.open(newline="") as handle:
        fdc_ids = {row["ndb_number"]: row["fdc_id"] for row in csv.DictReader(handle)}
    densities = []
    with selection.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["ndb_number"]:
                grams_per_cup, source = _usda_density(sr28, row, fdc_ids[row["ndb_number"]])
            else:
                grams_per_cup, source = float(row["grams_per_cup"]), row["source"]
            densities.append(
                {
                    "ingredient": row["ingredient"],
                    "aliases": [alias for alias in row["aliases"].split(";") if alias],
                    "grams_per_cup": grams_per_cup,
                    "source": source,
                }
            )
    return densities


def _usda_density(sr28: SR28, row: dict[str, str], fdc_id: str) -> tuple[float, str]:
    ndb, wanted = row["ndb_number"], row["usda_measure"]
    measure = next((m for m in sr28.measures[ndb] if m.description == wanted), None)
    if measure is None:
        raise SystemExit(f"NDB {ndb} has no USDA measure {wanted!r}")
    head = re.sub(r"\([^)]*\)", "", wanted).split(",")[0].strip()
    serving = re.fullmatch(r"serving (\d+) (.+)", head)  # "serving 8 fl oz"
    count, head = (int(serving.group(1)), serving.group(2)) if serving else (1, head)
    unit = next(u for u in PER_CUP if head == u or head.startswith(u + " "))
    grams_per_cup = round(measure.grams / (measure.amount * count) * PER_CUP[unit], 1)
    return grams_per_cup, (
        f"USDA FoodData Central {fdc_id} ({measure.amount:g} {wanted} = {measure.grams:g} g)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sr28", type=Path, required=True, help="folder with the SR28 .txt files")
    parser.add_argument("--out", type=Path, default=DATA / "densities.json")
    args = parser.parse_args()
    rows = build_densities(
        SR28.load(args.sr28), HERE / "densities_selection.csv", HERE / "foods_selection.csv"
    )
    args.out.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} densities to {args.out}")


if __name__ == "__main__":
    main()
