"""The shared vocabulary: compatibility levels, directions, policies, severities, findings,
and how a name becomes a file name (``pathnames``).

Every capability speaks these words, so this package imports nothing of contractctl's but
``core.errors``.
"""
