"""The import from the data·inclusion API, emulated on 127.0.0.1: pagination, 429 then success, 401, 403."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.__main__ import main
from bot.importers.data_inclusion import ApiSource, ReadProblem, read_api
from tests.auxil.di_api import NO_SCOPE_TOKEN, TOKEN, DataInclusionApiEmulator
from tests.test_import_data_inclusion import FIXTURES, WRITTEN, imported

SERVICES = json.loads((FIXTURES / "services.json").read_text(encoding="utf-8"))
STRUCTURES = json.loads((FIXTURES / "structures.json").read_text(encoding="utf-8"))


def run_api(capsys: pytest.CaptureFixture[str], content: object, api: DataInclusionApiEmulator,
            *args: str) -> tuple[int, str, str]:
    code = main(["import", "data-inclusion", "--content", str(content), "--api", api.url, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def api() -> object:
    with DataInclusionApiEmulator(services=SERVICES, structures=STRUCTURES) as emulator:
        yield emulator


def test_pages_are_read_until_the_last_with_the_departement_filtered_on_the_server(
        capsys: pytest.CaptureFixture[str], content_copy: object, api: DataInclusionApiEmulator) -> None:
    code, out, _ = run_api(capsys, content_copy, api, "--token", TOKEN, "--page-size", "1")
    assert code == 0
    services = [q for resource, q in api.requests if resource == "services"]
    assert [q["page"] for q in services] == ["1", "2", "3", "4"]  # 4 services located in the 93, 1 a page
    assert {q["code_departement"] for q in services} == {"93"} and {q["size"] for q in services} == {"1"}
    # served by the département's filter: the ones located in the 93 (the MGP one, located in Paris, is not)
    assert "di-test-entreprise-mgp.yaml" not in imported(content_copy)
    assert "di-test-francais-bondy.yaml" not in imported(content_copy)  # no code_insee of its own
    assert "di-test-handicap-aulnay.yaml" in imported(content_copy)
    assert "read 4 records from API services, 3 valid" in out


def test_the_whole_country_is_read_and_selected_here(capsys: pytest.CaptureFixture[str], content_copy: object,
                                                     api: DataInclusionApiEmulator,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DI_API_TOKEN", TOKEN)
    code, out, _ = run_api(capsys, content_copy, api, "--whole-country")
    assert code == 0 and sorted(imported(content_copy)) == WRITTEN  # the same cards as from the files
    assert all("code_departement" not in q for _, q in api.requests)
    assert "added: 5" in out


def test_a_429_is_retried_after_the_pause_it_asks_then_the_import_goes_on(
        capsys: pytest.CaptureFixture[str], content_copy: object, api: DataInclusionApiEmulator) -> None:
    api.fail("services", 429, retry_after="0")
    code, out, err = run_api(capsys, content_copy, api, "--token", TOKEN, "--whole-country")
    assert code == 0, out + err
    assert [r for r, _ in api.requests].count("services") == 2
    assert sorted(imported(content_copy)) == WRITTEN


def test_a_refused_token_gives_one_sentence_and_no_traceback(capsys: pytest.CaptureFixture[str],
                                                            content_copy: object,
                                                            api: DataInclusionApiEmulator) -> None:
    code, out, err = run_api(capsys, content_copy, api, "--token", "wrong")
    assert code == 1
    assert "API services: The data·inclusion API refused the token (401): check --token or $DI_API_TOKEN." in out
    assert "Traceback" not in out + err and len(api.requests) == 2  # services, then structures: no retry
    assert imported(content_copy) == {}


def test_a_token_without_access_gives_one_sentence(capsys: pytest.CaptureFixture[str], content_copy: object,
                                                   api: DataInclusionApiEmulator) -> None:
    code, out, _ = run_api(capsys, content_copy, api, "--token", NO_SCOPE_TOKEN)
    assert code == 1 and "token may not read this data (403)" in out


def test_still_429_after_the_tries_gives_one_sentence(capsys: pytest.CaptureFixture[str], content_copy: object,
                                                      api: DataInclusionApiEmulator) -> None:
    api.fail("services", 429, retry_after="0", times=5)
    code, out, _ = run_api(capsys, content_copy, api, "--token", TOKEN)
    assert code == 1
    assert "API services: The data·inclusion API still limits the requests (429) after 5 tries: run the import " \
           "again later." in out


def test_server_errors_are_retried_with_a_growing_pause(api: DataInclusionApiEmulator) -> None:
    api.fail("services", 503, times=2)
    pauses: list[float] = []
    source = ApiSource(api.url, TOKEN, None, page_size=100)
    with httpx.Client() as client:
        records = list(read_api(source, "services", client=client, sleep=pauses.append))
    assert pauses == [1.0, 2.0]
    assert len(records) == len(SERVICES) and not any(isinstance(r, ReadProblem) for r in records)


def test_a_retry_after_date_or_number_is_honoured_within_bounds() -> None:
    from bot.importers.data_inclusion.api import _retry_after

    assert _retry_after("7", 1.0) == 7.0
    assert _retry_after("100000", 1.0) == 300.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1.0) == 0.0  # in the past
    assert _retry_after("soon", 4.0) == 4.0


def test_the_api_needs_a_token(capsys: pytest.CaptureFixture[str], content_copy: object,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DI_API_TOKEN", raising=False)
    code = main(["import", "data-inclusion", "--content", str(content_copy), "--api", "http://127.0.0.1:9"])
    assert code == 2 and "--api needs a token: --token … or $DI_API_TOKEN." in capsys.readouterr().err
