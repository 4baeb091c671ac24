"""HttpRegistry on httpx.MockTransport: each server's documented responses, auth and faults."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from contractctl.adapters.registry.api import SchemaSubmission
from contractctl.adapters.registry.client import HttpRegistry
from contractctl.core.errors import (
    RegistryAuthError,
    RegistryConflict,
    RegistryError,
    RegistryNotFound,
    RegistryUnavailable,
)
from contractctl.core.registry.config import RegistrySettings, Secret

SR = "application/vnd.schemaregistry.v1+json"
AVRO = SchemaSubmission('{"type":"record","name":"Order","fields":[]}', "AVRO")
JSON_S = SchemaSubmission('{"type":"object"}', "JSON")

Handler = Callable[[httpx.Request], httpx.Response]


def reply(status: int, body: Any, content_type: str = SR, **headers: str) -> httpx.Response:
    text = body if isinstance(body, str) else json.dumps(body)
    return httpx.Response(
        status, content=text.encode(), headers={"content-type": content_type, **headers}
    )


def run(handler: Handler, call: Callable[[HttpRegistry], Any], **settings: Any) -> Any:
    sleeps: list[float] = []

    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    async def main() -> Any:
        opts: dict[str, Any] = {"urls": ("https://sr.example",), "retries": 3, **settings}
        reg = HttpRegistry(
            RegistrySettings(**opts), transport=httpx.MockTransport(handler), sleep=sleep
        )
        async with reg:
            result = await call(reg)
        return result, sleeps, reg.requests

    return asyncio.run(main())


# -- the shared protocol -----------------------------------------------------------------


def test_request_headers_and_encoded_subject() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return reply(200, {"subject": "a/b", "version": 1, "id": 3, "schema": AVRO.schema})

    result, _, _ = run(handler, lambda r: r.version("a/b-value", "latest"))
    assert seen[0].url.raw_path == b"/subjects/a%2Fb-value/versions/latest"
    assert SR in seen[0].headers["accept"]
    assert result.schema_type == "AVRO"  # schemaType absent means AVRO


def test_register_sends_schema_type_only_for_non_avro_and_reads_only_id() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        # CP 8 returns more fields; only id is read.
        return reply(200, {"id": 7, "version": 2, "guid": "x", "schemaType": "JSON", "ts": 1})

    assert run(handler, lambda r: r.register("s", JSON_S))[0] == 7
    assert run(handler, lambda r: r.register("s", AVRO))[0] == 7
    assert bodies[0]["schemaType"] == "JSON"
    assert "schemaType" not in bodies[1]
    assert bodies[0]["schema"] == JSON_S.schema


@pytest.mark.parametrize("code", [409, 40901])
def test_incompatible_register_is_a_conflict_with_either_error_code(code: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return reply(
            409, {"error_code": code, "message": "Incompatible schema, compatibility_mode=BACKWARD"}
        )

    with pytest.raises(RegistryConflict, match="Incompatible schema"):
        run(handler, lambda r: r.register("s", AVRO))


def test_new_subject_versions_and_lookup_are_absent_not_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/subjects/new-value":
            return reply(404, {"error_code": 40403, "message": "Schema not found"})
        if request.url.path.startswith("/config/"):
            return reply(404, {"error_code": 40408, "message": "no subject-level compatibility"})
        return reply(404, {"error_code": 40401, "message": "Subject 'new-value' not found."})

    assert run(handler, lambda r: r.versions("new-value"))[0] == []
    assert run(handler, lambda r: r.version("new-value", "latest"))[0] is None
    assert run(handler, lambda r: r.lookup("new-value", AVRO))[0] is None
    assert run(handler, lambda r: r.subject_level("new-value"))[0] is None


def test_bare_404_means_wrong_base_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return reply(404, "Not Found", "text/html")

    with pytest.raises(RegistryNotFound, match="ccompat"):
        run(handler, lambda r: r.versions("s"))


def test_levels_from_both_field_names() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/config":
            return reply(200, {"compatibilityLevel": "BACKWARD"})
        return reply(200, {"compatibility": "full_transitive"})

    assert run(handler, lambda r: r.global_level())[0] == "BACKWARD"
    assert run(handler, lambda r: r.subject_level("s"))[0] == "FULL_TRANSITIVE"


def test_subjects_pages_until_a_short_page() -> None:
    names = [f"s{i}" for i in range(2500)]

    def handler(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return reply(200, names[offset : offset + limit])

    assert run(handler, lambda r: r.subjects())[0] == names


def test_subjects_when_the_server_ignores_pagination() -> None:  # Karapace
    names = [f"s{i}" for i in range(1000)]
    result, _, requests = run(lambda request: reply(200, names), lambda r: r.subjects())
    assert result == names
    assert requests == 2  # the second page brought nothing new


# -- compatibility endpoint: Confluent, Karapace, Apicurio ---------------------------------


def test_confluent_verbose_messages() -> None:
    messages = [
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'…'}",
        "{oldSchemaVersion: 1}",
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["verbose"] == "true"
        return reply(200, {"is_compatible": False, "messages": messages})

    verdict = run(handler, lambda r: r.test_compatibility("s", AVRO))[0]
    assert not verdict.compatible
    assert verdict.messages == tuple(messages)


def test_confluent_new_subject_latest_is_200_true() -> None:
    verdict = run(
        lambda r: reply(200, {"is_compatible": True}), lambda r: r.test_compatibility("s", AVRO)
    )[0]
    assert verdict.compatible


def test_karapace_new_subject_latest_is_404_40402() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return reply(404, {"error_code": 40402, "message": "Version -1 not found."})

    verdict = run(handler, lambda r: r.test_compatibility("s", AVRO))[0]
    assert verdict.compatible
    assert verdict.new_subject


def test_karapace_has_no_all_versions_endpoint_so_latest_is_asked() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.endswith("/versions"):
            return reply(404, '"Not Found"', "application/json")
        return reply(200, {"is_compatible": False, "messages": ["currency"]})

    verdict = run(handler, lambda r: r.test_compatibility("s", AVRO, all_versions=True))[0]
    assert paths == [
        "/compatibility/subjects/s/versions",
        "/compatibility/subjects/s/versions/latest",
    ]
    assert verdict.messages == ("currency",)


def test_apicurio_never_returns_messages_and_uses_its_prefix() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path.startswith("/apis/ccompat/v7/")
        return reply(200, {"is_compatible": False}, "application/json")

    verdict = run(
        handler,
        lambda r: r.test_compatibility("s", AVRO),
        urls=("https://apicurio.example/apis/ccompat/v7",),
    )[0]
    assert not verdict.compatible
    assert verdict.messages == ()


def test_messages_as_a_single_string() -> None:
    verdict = run(
        lambda r: reply(200, {"is_compatible": False, "messages": "one message"}),
        lambda r: r.test_compatibility("s", AVRO),
    )[0]
    assert verdict.messages == ("one message",)


def test_karapace_validation_error_message_list() -> None:
    body = {
        "error_code": 422,
        "message": [{"type": "enum", "loc": ["body", "schemaType"], "msg": "bad"}],
    }
    with pytest.raises(RegistryError, match=r"bad at body\.schemaType") as info:
        run(lambda r: reply(422, body), lambda r: r.register("s", AVRO))
    assert "\n" not in str(info.value)


def test_non_json_error_body() -> None:
    with pytest.raises(RegistryError, match="HTTP 415: <html> Unsupported") as info:
        run(
            lambda r: reply(415, "<html>\nUnsupported</html>", "text/html"),
            lambda r: r.register("s", AVRO),
        )
    assert "\n" not in info.value.one_line()


# -- auth ------------------------------------------------------------------------------------


def test_basic_auth_header_and_401_without_leaking_the_secret() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return reply(401, {"message": "Unauthorized"}, "application/json")

    with pytest.raises(RegistryAuthError) as info:
        run(handler, lambda r: r.subjects(), username="key", password=Secret("s3cr3t-value"))
    assert seen[0].startswith("Basic ")
    assert "s3cr3t-value" not in info.value.one_line()
    assert "401" in info.value.one_line()
    assert len(seen) == 1  # auth failures are not retried


def test_bearer_token_and_403() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer tok-123456"
        assert request.headers["target-sr-cluster"] == "lsrc-1"
        return reply(403, {"error_code": 40301, "message": "Forbidden tok-123456"})

    with pytest.raises(RegistryAuthError, match="lack permission") as info:
        run(
            handler,
            lambda r: r.set_level("s", "FULL"),
            token=Secret("tok-123456"),
            headers={"target-sr-cluster": "lsrc-1"},
        )
    assert "tok-123456" not in info.value.one_line()  # even when the server echoes it


def test_401_without_credentials_says_so() -> None:
    with pytest.raises(RegistryAuthError, match="no credentials are configured"):
        run(lambda r: reply(401, {"message": "Unauthorized"}), lambda r: r.subjects())


# -- faults -----------------------------------------------------------------------------------


def flaky(
    failures: list[Callable[[httpx.Request], httpx.Response]], then: httpx.Response
) -> Handler:
    calls = iter(failures)

    def handler(request: httpx.Request) -> httpx.Response:
        step = next(calls, None)
        return step(request) if step else then

    return handler


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def reset(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadError("Connection reset by peer", request=request)


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("Connection refused", request=request)


def server_error(request: httpx.Request) -> httpx.Response:
    return reply(500, {"error_code": 50001, "message": "Error in the backend data store"})


def truncated(request: httpx.Request) -> httpx.Response:
    return reply(200, '{"id": 1')


def throttled(request: httpx.Request) -> httpx.Response:
    return reply(429, {"message": "slow down"}, **{"Retry-After": "7"})


def test_retries_every_transient_fault_then_succeeds() -> None:
    handler = flaky([timeout, reset, server_error, truncated], reply(200, {"id": 9}))
    result, sleeps, requests = run(handler, lambda r: r.register("s", AVRO), retries=4, backoff=0.1)
    assert result == 9
    assert requests == 5
    # exponential backoff with jitter: each delay within [ceiling/2, ceiling]
    for attempt, delay in enumerate(sleeps):
        ceiling = 0.1 * 2**attempt
        assert ceiling / 2 <= delay <= ceiling


def test_429_honours_retry_after() -> None:
    result, sleeps, _ = run(
        flaky([throttled], reply(200, {"id": 1})), lambda r: r.register("s", AVRO)
    )
    assert result == 1
    assert sleeps == [7.0]


def test_gives_up_with_one_line_unavailable() -> None:
    with pytest.raises(RegistryUnavailable) as info:
        run(server_error, lambda r: r.register("s", AVRO), retries=2)
    line = info.value.one_line()
    assert "gave up after 3 attempts" in line
    assert "HTTP 500" in line
    assert info.value.exit_code == 4


def test_truncated_json_on_every_attempt_is_unavailable() -> None:
    with pytest.raises(RegistryUnavailable, match="not valid JSON"):
        run(truncated, lambda r: r.register("s", AVRO), retries=1)


def test_fails_over_to_the_next_url() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if request.url.host == "sr1.example":
            raise httpx.ConnectError("refused", request=request)
        return reply(200, ["a"])

    result, _, _ = run(
        handler, lambda r: r.subjects(), urls=("https://sr1.example", "https://sr2.example")
    )
    assert result == ["a"]
    assert hosts[:2] == ["sr1.example", "sr2.example"]


def test_retry_after_too_long_fails_now() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return reply(503, {"message": "maintenance"}, **{"Retry-After": "3600"})

    with pytest.raises(RegistryUnavailable, match="retry after 3600s"):
        run(handler, lambda r: r.subjects())


def test_url_userinfo_never_appears_in_errors() -> None:
    from contractctl.core.registry.config import parse_registry_settings

    settings = parse_registry_settings({"url": "https://user:hunter22@sr.example"})
    assert settings.urls == ("https://sr.example",)
    assert settings.password == Secret("hunter22")

    async def main() -> None:
        reg = HttpRegistry(
            settings, transport=httpx.MockTransport(refused), sleep=lambda d: asyncio.sleep(0)
        )
        async with reg:
            await reg.subjects()

    with pytest.raises(RegistryUnavailable) as info:
        asyncio.run(main())
    assert "hunter22" not in info.value.one_line()
