"""Use cases: verbs on primitives, one unit of work and one commit each."""
