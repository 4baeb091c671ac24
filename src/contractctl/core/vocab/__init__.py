"""The shared vocabulary: compatibility levels, directions, policies, severities and findings.

Every capability speaks these words, so this package imports nothing of contractctl's but
``core.errors``.
"""
