"""The built site in a real browser: headless Chromium, driven by chromedriver through Selenium.

Serves the site from a sub-path of a server on 127.0.0.1 and also opens it from file://;
asserts no console errors, filters with the search box, follows a link to an event page and
finds the flow diagram. Screenshots go to $CONTRACTCTL_TEST_OUTPUT/browser (default: the
test's tmp_path). Skipped, with the reason, when Chromium, chromedriver or selenium is absent.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from contractctl.app.docs import DocsRequest, build_docs
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
        "chromium-driver); .ci/run installs them",
    ),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium from PyPI")
By = pytest.importorskip("selenium.webdriver.common.by").By
Service = pytest.importorskip("selenium.webdriver.chrome.service").Service
Select = pytest.importorskip("selenium.webdriver.support.ui").Select

SUB_PATH = "team/catalog"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    www = tmp_path_factory.mktemp("www")
    old = Path.cwd()
    os.chdir(REPO)
    try:
        build_docs(DocsRequest([Path("contracts")], www / SUB_PATH))
    finally:
        os.chdir(old)
    return www


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/{SUB_PATH}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must never download
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    base = os.environ.get("CONTRACTCTL_TEST_OUTPUT")
    out = Path(base) / "browser" if base else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def console_errors(drv: Any) -> list[str]:
    return [e["message"] for e in drv.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def visible_rows(drv: Any) -> list[str]:
    rows = drv.find_elements(By.CSS_SELECTOR, "tr.event-row")
    return [r.find_element(By.CSS_SELECTOR, "td a").text for r in rows if r.is_displayed()]


def test_search_link_and_flow_over_http(driver: Any, server: str, shots: Path) -> None:
    driver.get(server + "index.html")
    assert driver.title == "Event catalog"
    everything = visible_rows(driver)
    assert len(everything) == 9

    driver.find_element(By.ID, "q").send_keys("paymentfailed")
    assert visible_rows(driver) == ["payments.PaymentFailed"]
    assert driver.find_element(By.ID, "count").text == "1 event"
    driver.save_screenshot(str(shots / "index-search.png"))

    driver.find_element(By.ID, "q").clear()
    # clear() fires no input event; the page must re-filter on the next one.
    driver.execute_script("document.getElementById('q').dispatchEvent(new Event('input'))")
    Select(driver.find_element(By.NAME, "consumer")).select_by_value("shipping-service")
    assert visible_rows(driver) == ["inventory.InventoryReserved"]

    driver.find_element(By.LINK_TEXT, "inventory.InventoryReserved").click()
    assert driver.current_url == server + "events/inventory.InventoryReserved.html"
    assert "inventory.InventoryReserved" in driver.find_element(By.TAG_NAME, "h1").text
    assert driver.find_elements(By.CSS_SELECTOR, "table.fields tbody tr")
    driver.save_screenshot(str(shots / "event.png"))

    driver.find_element(By.LINK_TEXT, "Flows").click()
    svg = driver.find_element(By.CSS_SELECTOR, "#flow-diagram svg.flow")
    assert svg.is_displayed()
    nodes = driver.find_elements(By.CSS_SELECTOR, "#flow-diagram g.node")
    assert len(nodes) >= 9
    driver.save_screenshot(str(shots / "flow.png"))
    assert console_errors(driver) == []


def test_opens_from_file_url(driver: Any, site: Path, shots: Path) -> None:
    driver.get((site / SUB_PATH / "events" / "orders.OrderPlaced.html").as_uri())
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("orders.OrderPlaced")
    driver.find_element(By.LINK_TEXT, "Events").click()
    driver.find_element(By.ID, "q").send_keys("shipment")
    assert visible_rows(driver) == ["shipping.ShipmentCreated"]
    css = driver.execute_script(
        "return getComputedStyle(document.querySelector('header.top')).borderBottomStyle"
    )
    assert css == "solid", "the stylesheet loads from file://"
    driver.save_screenshot(str(shots / "file-url.png"))
    assert console_errors(driver) == []
