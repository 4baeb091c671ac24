"""Adopting an existing estate: registry subjects and AsyncAPI documents turned into contract
files, the manifest that keeps a rerun from overwriting hand edits, and the drift between
contracts and a registry.

Pure: callers fetch and write. May import ``registry``, ``flow``, ``compat``, ``contract``,
``schema``, ``source``, ``vocab`` and ``core.errors``.
"""
