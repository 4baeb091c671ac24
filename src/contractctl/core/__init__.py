"""The pure domain of contractctl, one subpackage per capability.

Read bottom-up; each subpackage may import only those listed before it (and ``errors``):

- ``vocab``     the shared words: compatibility levels, directions, policies, severities, findings
- ``source``    YAML/JSON text to data with line positions (JSON pointers)
- ``rules``     the rule catalogue and its tables (stable IDs, severities, hints)
- ``schema``    payload schemas: JSON Schema refs and dialects, Avro parsing and named types,
                field tables, example fitting
- ``contract``  the contract document: model, format, structure, config, loader, versions
- ``compat``    the compatibility engines (JSON Schema after Confluent, Avro after Apache)
- ``lint``      validate's checks of a loaded contract set
- ``registry``  registry naming and settings: subjects, levels, the documents registered
- ``flow``      the event graph, its SVG layout and the AsyncAPI model
- ``catalog``   the docs catalog's page model
- ``codegen``   contracts to an intermediate model of Python modules

Nothing below this package imports typer, rich, httpx or jinja2; ``tests/unit/test_layering.py``
holds this map as data and enforces it.
"""
