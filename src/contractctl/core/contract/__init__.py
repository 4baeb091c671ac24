"""The contract document: its model, format and structure, the config, loading a contract
set from disk, version arithmetic and the baseline protocol the gate compares against.

May import ``schema``, ``source``, ``rules``, ``vocab`` and ``core.errors``.
"""
