"""Regenerate src/sous_tools/data/foods.json from the USDA SR28 release.

Usage (see ../src/sous_tools/data/SOURCES.md for where the SR28 files come from):

    uv run python services/tools/scripts/build_foods.py --sr28 DIR

foods_selection.csv (next to this script) lists each food: its SR28 NDB number, the FoodData
Central SR Legacy FDC ID and description for that NDB number, what people call it, and the
portion to assume when someone gives a count without a unit ("2 eggs").
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from sr28 import NUTRIENTS, SR28

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "src" / "sous_tools" / "data"

# SR28 leaves some sugar values unanalysed. These rows ship an estimate, are marked
# "verified": false, and are listed in SOURCES.md with the reasoning.
ESTIMATED_SUGAR_G = {
    "13095": 0.0,  # raw beef rib eye: unprocessed muscle (SR28 reports 0 for the cooked cut)
    "13147": 0.0,  # raw beef short ribs: unprocessed muscle, as for rib eye above
    "10219": 0.0,  # raw ground pork: SR28 reports 0 for the cooked product (10220)
    "17011": 0.0,  # raw leg of lamb: SR28 reports 0 for raw ground lamb (17224)
    "20035": 2.67,  # quinoa, uncooked: cooked quinoa's 0.87 g scaled by energy, 368/120 kcal
    "20028": 0.34,  # couscous, dry: cooked couscous's 0.1 g scaled by energy, 376/112 kcal
    "16144": 2.03,  # red lentils, raw: the value for lentils, raw (16069)
}
FALLBACK_PORTIONS = ("medium", "large", "cup", "tbsp", "tsp", "slice", "piece", "fl oz", "oz")


def build_foods(sr28: SR28, selection: Path) -> list[dict[str, Any]]:
    foods = []
    with selection.open(newline="") as handle:
        for row in csv.DictReader(handle):
            ndb = row["ndb_number"]
            values = sr28.nutrients[ndb]
            per_100g: dict[str, float] = {}
            for field, number in NUTRIENTS.items():
                if number in values:
                    per_100g[field] = _number(values[number])
                elif field == "sugar_g" and ndb in ESTIMATED_SUGAR_G:
                    per_100g[field] = ESTIMATED_SUGAR_G[ndb]
                else:
                    raise SystemExit(f"NDB {ndb} has no value for {field}; pick another food")
            portions = sr28.portions(ndb)
            if not portions:
                raise SystemExit(f"NDB {ndb} has no household portions; pick another food")
            foods.append(
                {
                    "name": row["fdc_description"],
                    "aliases": row["aliases"].split(";"),
                    "fdc_id": int(row["fdc_id"]),
                    "dataset": "SR Legacy",
                    "per_100g": per_100g,
                    "portions": portions,
                    "default_portion": _default_portion(row["default_portion"], portions),
                    "verified": ndb not in ESTIMATED_SUGAR_G,
                }
            )
    return foods


def _default_portion(wanted: str, portions: dict[str, float]) -> str:
    if wanted in portions:
        return wanted
    return next((p for p in FALLBACK_PORTIONS if p in portions), next(iter(portions)))


def _number(value: float) -> float:
    return int(value) if value.is_integer() else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sr28", type=Path, required=True, help="folder with the SR28 .txt files")
    parser.add_argument("--out", type=Path, default=DATA / "foods.json")
    args = parser.parse_args()
    foods = build_foods(SR28.load(args.sr28), HERE / "foods_selection.csv")
    args.out.write_text(json.dumps(foods, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(foods)} foods to {args.out}")


if __name__ == "__main__":
    main()
