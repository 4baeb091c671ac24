"""Schema compatibility: changes are facts, verdicts are policy (see ``engine``).

``jsonschema`` follows Confluent's difference types, ``avro`` Apache Avro's resolution rules.
May import ``schema``, ``rules``, ``vocab`` and ``core.errors``.
"""
