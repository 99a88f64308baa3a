"""Real-browser tests: the app served from a thread, driven by Playwright in Debian's Chromium.

htmx's CDN URL is fulfilled from the npm copy (the browser still checks the SRI hash); every
other non-loopback request is aborted so the tests never touch the network.
"""

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.config import HTMX_URL
from portal.demo import load_demo
from portal.extensions import db

HERE = Path(__file__).parent
MODULES = HERE / "node_modules"
HTMX_FILE = MODULES / "htmx.org" / "dist" / "htmx.min.js"
AXE_FILE = MODULES / "axe-core" / "axe.min.js"
VNU_JAR = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", HERE.parent.parent / "test-artifacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests with a reason when their tools are missing, except in CI."""
    missing = []
    if not CHROMIUM:
        missing.append("no Chromium found (apt-get install chromium)")
    if not HTMX_FILE.exists() or not AXE_FILE.exists():
        missing.append("browser-test assets missing (cd tests/e2e && npm ci)")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if missing:
                if os.environ.get("CI") == "true":
                    raise pytest.UsageError("under CI=true the browser tests must run: "
                                            + "; ".join(missing))
                item.add_marker(pytest.mark.skip(reason="; ".join(missing)))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets axe be injected; the portal's own pages still send their CSP.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture
def demo_people(app):
    with app.app_context():
        load_demo()
        db.session.remove()


@pytest.fixture
def context(context):
    def route(route_obj):
        url = route_obj.request.url
        if url == HTMX_URL:
            route_obj.fulfill(path=str(HTMX_FILE), content_type="text/javascript",
                              headers={"Access-Control-Allow-Origin": "*"})
        elif url.startswith(("http://127.0.0.1", "http://localhost")):
            route_obj.continue_()
        else:
            route_obj.abort()

    context.route("**/*", route)
    return context


@pytest.fixture
def shoot():
    """shoot(page, name): a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")

    return take


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the current page (empty when accessible)."""
    page.add_script_tag(path=str(AXE_FILE))
    result = page.evaluate("() => axe.run()")
    return [{"id": v["id"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def validate_html(paths: list[Path]) -> str:
    """Errors the Nu HTML checker finds in the files ('' when valid)."""
    if not shutil.which("java") or not VNU_JAR.exists():
        if os.environ.get("CI") == "true":
            raise AssertionError("java or vnu.jar missing under CI=true")
        pytest.skip("java or vnu.jar not available")
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", *map(str, paths)],
        capture_output=True, text=True, timeout=120,
    )
    return done.stderr.strip()


def check_phone_page(page, shoot, name: str, path: str) -> Path:
    """Open `path` (375 px wide): no sideways scrolling, axe finds nothing, a screenshot; return
    the HTML the server sent, for the Nu checker (not the live DOM, which holds axe and htmx)."""
    served = page.goto(path)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, name
    assert_accessible(page)
    shoot(page, name)
    source = ARTIFACTS / f"{name}.served.html"
    source.write_text(served.text(), encoding="utf-8")
    return source
