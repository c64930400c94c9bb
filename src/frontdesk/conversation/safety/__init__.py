"""The safety screen: every caller utterance is screened for crisis language first.

`screen(text)` returns a `Verdict` naming the route (DESIGN.md, "Safety routes"), every
category found, and each rule that fired with its span in the raw text and its context
modifiers (past `MATCHES_PER_RULE` matches of one rule, only those that show a new route or
experiencer are kept; the verdict is the same). After the rules, the learned net (`net`)
may raise the verdict to `crisis` or set `safety_check`; it never lowers it. It never
raises: on any internal error it fails closed to `crisis`.
"""

from __future__ import annotations

from .lexicon import Entry, Idiom, Lexicon, build_lexicon, default_lexicon, load_lexicon, load_once
from .net import Net, default_net, load_net
from .screen import screen, screen_rules
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
    "Net",
    "Verdict",
    "build_lexicon",
    "default_lexicon",
    "default_net",
    "load_lexicon",
    "load_net",
    "load_once",
    "screen",
    "screen_rules",
]
