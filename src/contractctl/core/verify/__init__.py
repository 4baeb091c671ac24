"""Real events held to their contracts: matching, per-event checks, findings and the report.

Owns ``contractctl verify``'s domain: which contract an event answers to, what it breaks,
the tally of findings with capped samples, and the sagas its stream forms (through
``flow.instances``). Pure: events arrive as bytes or parsed values from adapters; the only
outside call is an injected schema-id lookup. May import ``flow``, ``contract``, ``schema``,
``rules``, ``vocab`` and ``core.errors``.
"""
