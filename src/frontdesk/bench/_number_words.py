"""Whole numbers from zero to twenty in words, as the benchmarks spell and read them."""

from __future__ import annotations

NUMBER_WORDS: tuple[str, ...] = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
"""`NUMBER_WORDS[n]` is the number n in words."""


def number_values(lowest: int, highest: int) -> dict[str, int]:
    """Each word from `lowest` to `highest` (both included) with the number it names."""
    return {NUMBER_WORDS[n]: n for n in range(lowest, highest + 1)}
