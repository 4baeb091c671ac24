"""The pure domain of contractctl: contracts, rules, findings and compatibility.

Nothing below this package imports typer, rich, httpx or jinja2 (a test enforces it).
"""
