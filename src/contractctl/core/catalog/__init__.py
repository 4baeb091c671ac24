"""The docs catalog's page model: what each event, version, service and flow page shows, and
the URL of every page. Rendering it (Jinja2) is ``adapters.site_render``'s job.

May import ``flow``, ``compat``, ``contract``, ``schema``, ``vocab`` and ``core.errors``.
"""
