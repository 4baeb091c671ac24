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
from contractctl.core.catalog.model import diff_url, event_url
from contractctl.core.contract.config import load_config
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
Keys = pytest.importorskip("selenium.webdriver.common.keys").Keys

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
        config = load_config(REPO / "contractctl.yaml")
        build_docs(DocsRequest([Path("contracts")], www / SUB_PATH, config=config))
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
    assert driver.current_url == server + event_url("inventory.InventoryReserved")
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
    driver.get((site / SUB_PATH / event_url("orders.OrderPlaced")).as_uri())
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


# -- the catalog a team browses: fit, zoom, focus, widths, and legibility at 250 events ------

MEASURE = """
const svg = document.querySelector('#flow-diagram svg.flow, .diagram svg.flow');
const box = svg.closest('.diagram').getBoundingClientRect();
const r = svg.getBoundingClientRect();
const scale = r.width / svg.viewBox.baseVal.width;
const font = parseFloat(getComputedStyle(svg.querySelector('text')).fontSize);
const rects = Array.from(svg.querySelectorAll('text')).map(t => t.getBoundingClientRect())
  .sort((a, b) => a.left - b.left);
let overlaps = 0;
for (let i = 0; i < rects.length; i++) {
  for (let j = i + 1; j < rects.length && rects[j].left < rects[i].right; j++) {
    const a = rects[i], b = rects[j];
    if (a.top < b.bottom && b.top < a.bottom) { overlaps += 1; }
  }
}
return {labels: rects.length, overlaps: overlaps, label_px: font * scale,
        width: r.width, height: r.height, box_width: box.width,
        fits_width: r.left >= box.left - 0.5 && r.right <= box.right + 0.5,
        viewport_height: window.innerHeight,
        page_overflow: document.documentElement.scrollWidth - window.innerWidth};
"""


def width(drv: Any, px: int, height: int = 1000) -> None:
    # Emulation gives exact CSS widths (a window cannot be made 375 px wide everywhere).
    drv.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": px, "height": height, "deviceScaleFactor": 1, "mobile": px < 600},
    )


def measure(drv: Any) -> dict[str, Any]:
    result: dict[str, Any] = drv.execute_script(MEASURE)
    return result


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 250-event, 50-service system of ``benchmarks/docs.py``."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from docs import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    root = tmp_path_factory.mktemp("big")
    generate(root / "contracts", 1000)
    build_docs(DocsRequest([root / "contracts"], root / "site"))
    return root / "site"


def test_flow_fits_zooms_and_focuses(driver: Any, site: Path, shots: Path) -> None:
    width(driver, 1280)
    driver.get((site / SUB_PATH / "flows" / "index.html").as_uri())
    fitted = measure(driver)
    assert fitted["fits_width"], fitted
    assert fitted["overlaps"] == 0, fitted
    assert fitted["label_px"] >= 12, fitted
    assert fitted["height"] <= fitted["viewport_height"], fitted
    driver.save_screenshot(str(shots / "flow-fit.png"))

    wrap = driver.find_element(By.CSS_SELECTOR, "#flow-diagram [data-diagram]")
    svg = driver.find_element(By.CSS_SELECTOR, "#flow-diagram svg.flow")

    def view_box() -> list[float]:
        text = driver.execute_script("return arguments[0].getAttribute('viewBox')", svg)
        return [float(v) for v in text.split()]

    full = view_box()
    wrap.find_element(By.CSS_SELECTOR, "button[data-zoom=in]").click()
    wrap.find_element(By.CSS_SELECTOR, "button[data-zoom=in]").click()
    assert float(wrap.get_attribute("data-zoom")) > 1.5
    assert measure(driver)["label_px"] > fitted["label_px"] * 1.5
    assert measure(driver)["fits_width"], "zooming changes what is shown, not the box"
    driver.save_screenshot(str(shots / "flow-zoomed.png"))
    wrap.find_element(By.CSS_SELECTOR, "button[data-zoom=out]").click()
    wrap.find_element(By.CSS_SELECTOR, "button[data-zoom=out]").click()
    assert wrap.get_attribute("data-zoom") == "1.00"
    assert view_box() == full, "zoomed out again, the whole drawing shows"

    # The wheel zooms around the pointer; the keyboard too, once the diagram has focus.
    driver.execute_script(
        "const s = arguments[0], r = s.getBoundingClientRect();"
        "s.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + 10,"
        " clientY: r.top + 10, bubbles: true, cancelable: true}));",
        svg,
    )
    assert float(wrap.get_attribute("data-zoom")) > 1
    diagram = driver.find_element(By.CSS_SELECTOR, "#flow-diagram .diagram")
    diagram.send_keys("0")
    assert wrap.get_attribute("data-zoom") == "1.00"
    diagram.send_keys("+")
    assert float(wrap.get_attribute("data-zoom")) > 1
    diagram.send_keys("0")

    # Focus: the first click keeps a node's neighbourhood and fades the rest.
    before = driver.current_url
    node = driver.find_element(
        By.CSS_SELECTOR, '#flow-diagram g.node[data-id="event:orders.OrderPlaced"] rect'
    )
    node.click()
    assert driver.current_url == before, "the first click focuses, it does not navigate"
    faded = driver.find_elements(By.CSS_SELECTOR, "#flow-diagram g.node.faded")
    kept = driver.find_elements(By.CSS_SELECTOR, "#flow-diagram g.node:not(.faded)")
    kept_ids = {k.get_attribute("data-id") for k in kept}
    assert faded
    assert {"event:orders.OrderPlaced", "service:order-service", "service:payment-service"} <= (
        kept_ids
    )
    assert "service:shipping-service" not in kept_ids
    assert "Focus: orders.OrderPlaced" in wrap.find_element(By.CSS_SELECTOR, ".focus-info").text
    driver.save_screenshot(str(shots / "flow-focus.png"))
    diagram.send_keys(Keys.ESCAPE)
    assert not driver.find_elements(By.CSS_SELECTOR, "#flow-diagram g.node.faded")
    node.click()
    node.click()  # the second click on the focused node follows its link
    assert driver.current_url.endswith(event_url("orders.OrderPlaced"))
    assert console_errors(driver) == []


PAGES = (
    "index.html",
    event_url("orders.OrderPlaced"),
    diff_url("orders.OrderPlaced", "1.0.0", "1.1.0"),
    "services/order-service.html",
    "services.html",
    "teams/team-orders.html",
    "flows/index.html",
    "flows/orders.html",
)


@pytest.mark.parametrize("px", [375, 1280])
def test_no_page_overflows_at_phone_and_desktop_widths(
    driver: Any, site: Path, shots: Path, px: int
) -> None:
    width(driver, px)
    try:
        for page in PAGES:
            driver.get((site / SUB_PATH / page).as_uri())
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, (page, px, overflow)
            name = page.replace("/", "_").removesuffix(".html")
            driver.save_screenshot(str(shots / f"w{px}-{name}.png"))
        assert console_errors(driver) == []
    finally:
        width(driver, 1280)


def test_schemas_markdown_and_teams(driver: Any, site: Path, shots: Path) -> None:
    width(driver, 1280)
    driver.get((site / SUB_PATH / event_url("orders.OrderPlaced")).as_uri())
    # A field of ../../common/address.json, reached through an external $ref.
    row = driver.find_element(By.ID, "field-shipping_address.city")
    assert row.is_displayed()
    assert "object (address)" in driver.find_element(By.ID, "field-shipping_address").text
    driver.find_element(By.PARTIAL_LINK_TEXT, "changes from 1.0.0").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "orders.OrderPlaced 1.0.0 → 1.1.0"
    assert driver.find_elements(By.CSS_SELECTOR, "table.changes tbody tr")

    driver.find_element(By.LINK_TEXT, "Services").click()
    driver.find_element(By.LINK_TEXT, "notification-service").click()
    strong = driver.find_element(By.CSS_SELECTOR, ".description strong")
    assert strong.text == "never", "Markdown in a description renders"
    # The search finds events by the owner of a service around them, too.
    driver.find_element(By.LINK_TEXT, "Events").click()
    driver.find_element(By.ID, "q").send_keys("team-customer-care")
    found = visible_rows(driver)
    assert len(found) == 8, "all that notification-service (team-customer-care) consumes"
    assert "inventory.InventoryReservationFailed" not in found
    driver.find_element(By.ID, "q").clear()
    driver.find_element(By.ID, "q").send_keys("postal_code")
    assert visible_rows(driver) == ["orders.OrderPlaced"], "a field of a $ref'd file"
    driver.find_element(By.LINK_TEXT, "Teams").click()
    driver.find_element(By.LINK_TEXT, "team-orders").click()
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("team-orders")
    assert driver.find_element(By.LINK_TEXT, "order-service").is_displayed()
    assert driver.find_element(By.LINK_TEXT, "orders.OrderPlaced").is_displayed()
    driver.save_screenshot(str(shots / "team.png"))
    assert console_errors(driver) == []


def test_250_events_are_legible_by_default(
    driver: Any, big_site: Path, shots: Path, record_property: Any
) -> None:
    """The figures the issue asks for, printed and kept as test properties."""
    width(driver, 1280)
    driver.get((big_site / "flows" / "index.html").as_uri())
    driver.execute_script("document.getElementById('flow-diagram').scrollIntoView()")
    whole = measure(driver)
    record_property("whole_system", whole)
    print("250 events, whole system:", whole)
    driver.save_screenshot(str(shots / "big-whole.png"))
    assert whole["overlaps"] == 0, whole
    assert whole["label_px"] >= 12, whole
    assert whole["fits_width"], whole
    assert whole["height"] <= whole["viewport_height"], "the whole diagram is in view"
    for domain in ("orders", "payments"):
        driver.get((big_site / "flows" / f"{domain}.html").as_uri())
        part = measure(driver)
        record_property(f"domain_{domain}", part)
        print(f"250 events, {domain} domain:", part)
        driver.save_screenshot(str(shots / f"big-{domain}.png"))
        assert part["overlaps"] == 0, part
        assert part["label_px"] >= 12, part
        assert part["fits_width"], part
        assert part["page_overflow"] <= 0, part
    driver.get((big_site / "index.html").as_uri())
    driver.find_element(By.ID, "q").send_keys("event042")
    assert visible_rows(driver) == ["inventory.Event042Happened"]
    assert console_errors(driver) == []


def test_split_index_and_flow_files_from_file_url(
    driver: Any, tmp_path: Path, shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog past the thresholds (lowered here): domain pages search on their own, and
    a flow drawn into its own SVG file shows in the page with the site's styles."""
    monkeypatch.setattr("contractctl.core.catalog.model.INDEX_EVENTS_UP_TO", 3)
    monkeypatch.setattr("contractctl.core.catalog.flows.INLINE_ELEMENTS_UP_TO", 20)
    build_docs(DocsRequest([REPO / "contracts"], tmp_path / "site"))
    width(driver, 1280)
    driver.get((tmp_path / "site" / "index.html").as_uri())
    assert visible_rows(driver) == []
    driver.find_element(By.LINK_TEXT, "orders").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Events in orders"
    driver.find_element(By.ID, "q").send_keys("cancel")
    assert visible_rows(driver) == ["orders.OrderCancelled"]
    driver.find_element(By.LINK_TEXT, "orders.OrderCancelled").click()
    driver.find_element(By.LINK_TEXT, "See the orders flow").click()
    drawn = driver.execute_script(
        "const o = document.querySelector('object.flow-file');"
        "return o && o.getBoundingClientRect().height;"
    )
    assert drawn is not None
    assert drawn > 100, drawn
    driver.save_screenshot(str(shots / "split-flow.png"))
    driver.get((tmp_path / "site" / "flows" / "orders.svg").as_uri())
    stroke = driver.execute_script(
        "return getComputedStyle(document.querySelector('.node.service rect')).stroke"
    )
    assert stroke not in ("", "none"), "site.css styles the standalone drawing"
    driver.save_screenshot(str(shots / "split-flow-file.png"))
    assert console_errors(driver) == []
