"""Schema compatibility: changes are facts, verdicts are policy (see ``engine``)."""
