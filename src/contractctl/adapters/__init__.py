"""Adapters to the outside world: HTTP (registries, remote refs), git, templates."""
