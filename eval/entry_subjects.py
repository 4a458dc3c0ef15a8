"""Do the entries of `powers propose` go to the bodies the gold names? Scored behind the gold categories.

    python eval/entry_subjects.py [GOLD]

For every gold unit with a category and at least one gold subject, and for each of its gold categories, the bodies
that get an entry (`pipeline.propose.acting_bodies` over the bodies `pipeline.mentions.find_acting` reads) are
compared, span for span, with the unit's gold subjects: recall is the share of gold bodies that get an entry of that
category, precision the share of entries whose body is a gold one. The classifier is left out (gold categories), so
this measures the reading of bodies and their sharing out among categories, not whether a unit is a power.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.gold import load_annotations, load_splits, split
from pipeline.mentions import find_acting
from pipeline.propose import acting_bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=Path("annotations/gold"))
    units = split(load_annotations(parser.parse_args().gold), load_splits())
    print("split  units  P      R      (entry bodies right / entries / gold bodies)")
    for name in ("train", "dev", "test"):
        right = entries = wanted = counted = 0
        for unit in units.get(name, []):
            gold = {(span.start, span.end) for span in unit.subjects}
            if not unit.categories or not gold:
                continue
            counted += 1
            found = find_acting(unit.text)
            for category in unit.categories:
                chosen = {(span.start, span.end) for span in acting_bodies(unit.text, found, category)}
                right, entries, wanted = right + len(chosen & gold), entries + len(chosen), wanted + len(gold)
        print(f"{name:6} {counted:5}  {right / max(entries, 1):.3f}  {right / max(wanted, 1):.3f}  "
              f"({right} / {entries} / {wanted})")


if __name__ == "__main__":
    main()
