"""Registry subject names for contracts: Confluent's naming strategies, or an explicit subject.

TopicNameStrategy names a subject after the topic (``<topic>-value`` / ``<topic>-key``),
RecordNameStrategy after the record's full name, TopicRecordNameStrategy after both
(``<topic>-<record>``). An explicit ``schema.subject`` in a contract wins over all three.

A new major version is a new compatibility line (``check`` compares 2.x only with 2.x), so it
can get a subject of its own while 1.x stays registered: with
``registry.major_subject_suffix: "-v{major}"`` the topic or record name of 2.0.0 and later
takes the suffix ``-v<major>``. For TopicNameStrategy that is the subject a producer on the
topic ``<topic>-v2`` uses, the usual way to run a new major beside the old one. The default
(``""``) keeps one subject for every major, as registries populated before (and trees
imported from them) have it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from contractctl.core.errors import ConfigError

if TYPE_CHECKING:
    from contractctl.core.contract.model import Contract


class SubjectStrategy(StrEnum):
    TOPIC = "topic"
    RECORD = "record"
    TOPIC_RECORD = "topic_record"

    @classmethod
    def parse(cls, text: str) -> SubjectStrategy:
        key = text.strip().lower().replace("-", "_")
        aliases = {
            "topic": cls.TOPIC,
            "topicnamestrategy": cls.TOPIC,
            "record": cls.RECORD,
            "recordnamestrategy": cls.RECORD,
            "topic_record": cls.TOPIC_RECORD,
            "topicrecord": cls.TOPIC_RECORD,
            "topicrecordnamestrategy": cls.TOPIC_RECORD,
        }
        if key not in aliases:
            raise ValueError(
                f"unknown subject strategy {text!r}; use topic, record or topic_record"
            )
        return aliases[key]


def record_name(contract: Contract) -> str:
    """The record's full name: Avro ``namespace.name``; JSON Schema ``title``; else the event."""
    doc = contract.schema.document
    if contract.schema.schema_type == "AVRO" and isinstance(doc, dict):
        name = doc.get("name")
        if isinstance(name, str) and name:
            if "." in name:
                return name
            space = doc.get("namespace")
            return f"{space}.{name}" if isinstance(space, str) and space else name
    if isinstance(doc, dict):
        title = doc.get("title")
        # Confluent's JsonSchema.name() is the title; a title with spaces is no record name.
        if isinstance(title, str) and title and " " not in title:
            return title
    return contract.name


DEFAULT_MAJOR_SUFFIX = ""
#: The suggested value: each major version registers under its own subject.
MAJOR_LINE_SUFFIX = "-v{major}"


def major_suffix(contract: Contract, template: str = DEFAULT_MAJOR_SUFFIX) -> str:
    """``-v2`` for a 2.x contract, ``""`` for 0.x/1.x or when ``template`` is empty."""
    try:
        major = contract.semver.major
    except ValueError:
        return ""  # validate reports the version; the subject stays the line's first
    return template.format(major=major) if template and major >= 2 else ""


def subject_for(
    contract: Contract,
    strategy: SubjectStrategy,
    *,
    key: bool = False,
    major_line: str = DEFAULT_MAJOR_SUFFIX,
) -> str:
    """The subject ``contract``'s payload schema is registered under (its major's line)."""
    if contract.schema.subject:
        return contract.schema.subject
    line = major_suffix(contract, major_line)
    if strategy is SubjectStrategy.RECORD:
        return record_name(contract) + line
    topic = contract.channel
    if not topic:
        raise ConfigError(
            f"{contract.id} has no channel (topic), which the {strategy.value} subject "
            "strategy needs; set `channel` or an explicit `schema.subject`",
            file=str(contract.path),
        )
    if strategy is SubjectStrategy.TOPIC:
        return f"{topic}{line}-{'key' if key else 'value'}"
    return f"{topic}{line}-{record_name(contract)}"
