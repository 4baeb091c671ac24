"""Schema-registry naming and settings, pure part: subject names, per-subject levels and
connection settings, and the self-contained document registered for a contract.

The HTTP client lives in ``adapters.registry``. May import ``contract``, ``schema``, ``compat``,
``vocab`` and ``core.errors``.
"""
