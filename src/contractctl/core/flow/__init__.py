"""Flows between services: the event graph built from producers and consumers, its checks,
its SVG layout, and the AsyncAPI model of the whole system.

May import ``contract``, ``schema``, ``rules``, ``vocab`` and ``core.errors``.
"""
