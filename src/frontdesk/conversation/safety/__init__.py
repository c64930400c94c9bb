"""The safety screen: every caller utterance is screened for crisis language first.

`screen(text)` returns a `Verdict` naming the route (DESIGN.md, "Safety routes"), every
category found, and each rule that fired with its span in the raw text and its context
modifiers (past `MATCHES_PER_RULE` matches of one rule, only those that show a new route or
experiencer are kept; the verdict is the same). It never raises: on any internal error it
fails closed to `crisis`.
"""

from __future__ import annotations

from .lexicon import Entry, Idiom, Lexicon, build_lexicon, default_lexicon, load_lexicon, load_once
from .screen import screen
from .verdict import SCREEN_ERROR, Category, Experiencer, Match, Modifier, Verdict

__all__ = [
    "SCREEN_ERROR",
    "Category",
    "Entry",
    "Experiencer",
    "Idiom",
    "Lexicon",
    "Match",
    "Modifier",
    "Verdict",
    "build_lexicon",
    "default_lexicon",
    "load_lexicon",
    "load_once",
    "screen",
]
