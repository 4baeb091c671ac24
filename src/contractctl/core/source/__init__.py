"""Source text to data: YAML and JSON documents parsed with the line of every node.

Owns the position map (JSON pointer → line) that lets every finding name file, line and field.
May import ``vocab`` and ``core.errors`` only.
"""
