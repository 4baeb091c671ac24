"""Payload schemas on their own: JSON Schema refs and dialects, Avro parsing and named types,
field tables for readers, and fitting examples to a schema.

Knows nothing of contracts. May import ``source``, ``vocab`` and ``core.errors``.
"""
