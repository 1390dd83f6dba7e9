"""Browser tests: the built server on a fresh SQLite file with the demo county, driven by headless
Chromium. Every test fails if any page it visited logged a console error."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webelement import WebElement

_click = WebElement.click


def _click_in_view(self):
    """Taps as a person does: the thing scrolled to the middle of the screen first, clear of the
    sticky header and the phone's tab bar (Selenium alone scrolls it to the bottom edge, under the bar)."""
    self.parent.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", self)
    _click(self)


WebElement.click = _click_in_view

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO_PASSWORD = "Diandan2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(sqlite_path=None, database_url=None, **extra_env):
    """The built server with the demo county, on a fresh SQLite file unless given one (or a
    PostgreSQL URL and schema); yields its base address."""
    binary = os.environ.get("DIANDAN_BIN") or os.path.join(ROOT, ".build", "debug", "diandan")
    workdir = tempfile.mkdtemp(prefix="diandan-browser-")
    port = free_port()
    env = dict(os.environ,
               DIANDAN_SQLITE_PATH=sqlite_path or os.path.join(workdir, "browser.sqlite"),
               DIANDAN_RESOURCES_DIR=ROOT + "/",
               DIANDAN_BCRYPT_COST="4",
               DIANDAN_OUTBOX_SECONDS="1",
               DIANDAN_SEED_DEMO="true",
               # The suite signs in and orders faster than people do; the limits have their own tests.
               DIANDAN_RATE_LIMITS="off",
               LOG_LEVEL="warning")
    env.update(extra_env)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log = open(os.path.join(workdir, "server.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                            cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/ready", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + open(log.name).read())
    else:
        proc.kill()
        raise RuntimeError("server did not become ready: " + open(log.name).read())
    try:
        yield base
        # A server that died during the tests is a failure, whatever the tests saw.
        if proc.poll() is not None:
            text = open(log.name).read()
            shutil.copy(log.name, os.path.join(tempfile.gettempdir(), "diandan-server-died.log"))
            start = max(0, min([i for i in (text.find("Fatal error"), text.find("Crash")) if i >= 0], default=len(text) - 5000))
            raise RuntimeError(f"server exited with {proc.returncode}: " + text[start:start + 6000])
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    yield from start_server()


@pytest.fixture(scope="module")
def own_server():
    """A server of the module's own, for tests that place orders the browser tests do not expect."""
    yield from start_server()


def make_driver(mobile=False, width=390):
    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if mobile:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": 780 if width < 390 else 844, "pixelRatio": 3.0},
            "userAgent": "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"})
    else:
        options.add_argument(f"--window-size={width if width >= 700 else 1280},900")
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


class Browser:
    """A driver that records console errors of every page it shows."""

    def __init__(self, driver, base):
        self.driver = driver
        self.base = base
        self.errors = []

    def collect(self):
        page = self.driver.current_url.split("?")[0]
        for entry in self.driver.get_log("browser"):
            if entry.get("level") != "SEVERE":
                continue
            message = entry["message"]
            # A form re-shown with 401/409/422 is the page answering as designed, not a fault;
            # a stylesheet or image that fails to load still counts.
            if message.split(" ")[0].split("?")[0] == page and "status of 4" in message:
                continue
            self.errors.append(message)

    def open(self, path):
        self.collect()
        self.driver.get(self.base + path)
        self.collect()

    def __getattr__(self, name):
        return getattr(self.driver, name)


@pytest.fixture
def browser(server):
    driver = make_driver()
    b = Browser(driver, server)
    yield b
    b.collect()
    driver.quit()
    assert b.errors == [], f"console errors: {b.errors}"


@pytest.fixture
def phone(server):
    driver = make_driver(mobile=True)
    b = Browser(driver, server)
    yield b
    b.collect()
    driver.quit()
    assert b.errors == [], f"console errors: {b.errors}"
