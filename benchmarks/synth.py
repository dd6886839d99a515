"""Writes N synthetic, valid cluster records for benchmarks (deterministic for a given N)."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

COUNTRIES = [
    "AT",
    "BE",
    "CZ",
    "DE",
    "DK",
    "ES",
    "FI",
    "FR",
    "GR",
    "IT",
    "NL",
    "NO",
    "PL",
    "PT",
    "SE",
    "TR",
]
SECTORS = ["ICT", "Biotechnology", "Food industry", "Construction", "Energy and environment"]
# Award histories as month offsets before the latest award, which falls in 2025-01..2026-10,
# so that every synthetic cluster holds a valid label from 2026-11 through 2026-12.
HISTORIES = [
    [("bronze", 0)],
    [("bronze", -21), ("bronze", -1), ("silver", 0)],
    [("gold", -22), ("gold", 0)],
    [("bronze", -30), ("bronze", -12), ("bronze", 0)],
]


def write_records(folder: Path, count: int, seed: int = 1) -> None:
    """Write `count` records into `folder`, one country sub-folder each."""
    rnd = random.Random(seed)
    for i in range(count):
        country = COUNTRIES[i % len(COUNTRIES)]
        latest = rnd.randrange(2025 * 12, 2026 * 12 + 10)
        awards = "".join(
            f"  - level: {level}\n    assessed: {(latest + off) // 12:04d}-{(latest + off) % 12 + 1:02d}\n"
            for level, off in HISTORIES[i % len(HISTORIES)]
        )
        sectors = "".join(f"  - {s}\n" for s in rnd.sample(SECTORS, 2))
        text = (
            f"name: Synthetic Cluster {i:05d}\n"
            f"country: {country}\ncity: Town {i % 97}\n"
            f"coordinates: [{rnd.uniform(36, 68):.2f}, {rnd.uniform(-9, 30):.2f}]\n"
            f"website: https://cluster-{i:05d}.example.org/\n"
            f"sectors:\n{sectors}"
            f"description: A synthetic record for measuring the build.\n"
            f"labels:\n{awards}"
        )
        target = folder / country.lower() / f"synthetic-cluster-{i:05d}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    write_records(args.folder, args.count)
