"""Validate's checks of a loaded contract set: structure, schemas, examples, references and
governance rules, each reported under a rule from ``rules``.

May import ``contract``, ``schema``, ``source``, ``rules``, ``vocab`` and ``core.errors``.
"""
