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
HISTORIES = [
    [("bronze", 0)],
    [("bronze", 0), ("bronze", 20), ("silver", 21)],
    [("gold", 0), ("gold", 22)],
    [("bronze", 0), ("bronze", 30)],
]


def write_records(folder: Path, count: int, seed: int = 1) -> None:
    """Write `count` records into `folder`, one country sub-folder each."""
    rnd = random.Random(seed)
    for i in range(count):
        country = COUNTRIES[i % len(COUNTRIES)]
        start = rnd.randrange(2018 * 12, 2025 * 12)
        awards = (
            "".join(
                f"  - level: {level}\n    assessed: {(start + off) // 12:04d}-{(start + off) % 12 + 1:02d}\n"
                for level, off in HISTORIES[i % len(HISTORIES)]
                if start + off < 2026 * 12 + 10
            )
            or f"  - level: bronze\n    assessed: {start // 12:04d}-{start % 12 + 1:02d}\n"
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
