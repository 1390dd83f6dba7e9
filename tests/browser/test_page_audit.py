"""The page audit: every page of the route table, as each role that may open it, on a 360 px phone
and a 1366 px desktop, in Chinese and English, with normal and large text (长辈版). On each: no
sideways scroll (on phones also at 320 and 414 px), no field without a label, focus visible at
each of the first Tabs (desktop), no text under 12 px (16 px on the pages of residents and visitors, 18 px in large
mode), no target under 44 px (48 px in large mode), no text under 4.5:1 contrast (from the rendered
styles), no console error. Violations fail the test; the screenshots make a contact sheet
(artifacts/audit/index.html).

Pages come from the server's own route table (`diandan routes`): a GET route is either audited or
listed below as not a page, so a new page cannot slip past. Routes with ids are opened through the
links the audited pages show (the first link that fits the route, for each role)."""
import contextlib
import html
import os
import re
import subprocess
import tempfile
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import ROOT, DEMO_PASSWORD, Browser, make_driver, start_server

ARTIFACTS = os.path.join(ROOT, "artifacts", "audit")
AUDIT_JS = open(os.path.join(os.path.dirname(__file__), "audit.js")).read()
# Where the keyboard is (after a Tab): whether it shows, by an outline at least 2 px wide or a shadow.
FOCUS_JS = """
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const st = getComputedStyle(el);
const ring = st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2;
if (ring || (st.boxShadow && st.boxShadow !== "none")) return null;
return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ' "' + (el.textContent || el.value || "").trim().slice(0, 30) + '"';
"""
# Tabs pressed on each page (desktop, standard text, Chinese) to see the focus.
TABS = 6

# Who opens pages: a visitor, then each demo account (one per role and level).
ROLES = ["anonymous", "resident", "volunteer", "leader", "practitioner", "yeping", "admin", "auditor"]
# Pages residents and visitors read: their text is at least 16 px.
PEOPLE = {"anonymous", "resident"}
WIDTHS = [360, 1366]
# Phones from the smallest to the largest common width, checked on each phone page for sideways scroll.
PHONE_SWEEP = [320, 414]
MODES = ["normal", "large"]
LANGS = ["zh-CN", "en"]

# GET routes that are not pages a person reads, and why.
NOT_PAGES = {
    "/lang/:code": "switches the language, then redirects",
    "/display/:mode": "switches large text, then redirects",
    "/favicon.ico": "redirects to the icon", "/health": "probe", "/ready": "probe", "/metrics": "Prometheus text",
    "/orders/:id/photos/:photo": "an image", "/wishes/:id/photo": "an image", "/showcase/photos/:id": "an image",
    "/activities/:id/qr/:kind": "a QR image", "/trainings/:id/qr": "a QR image",
    "/exports/:id/status": "JSON for the progress bar", "/exports/:id/download": "the file",
    "/board/events": "server-sent events", "/screen/data": "JSON for the screen", "/screen/events": "server-sent events",
    "/calendar/:file": "an iCalendar feed", "/activities.ics": "an iCalendar feed",
    "/showcase/feed.atom": "an Atom feed", "/showcase/:site/feed.atom": "an Atom feed",
    "/assessment/export.csv": "a CSV file", "/assessment/export.xlsx": "a spreadsheet",
    "/certificates/:number/pdf": "a PDF", "/me/data.json": "the person's data as JSON",
    "/surveys-sw.js": "a service worker",
}
NOT_PAGE_PREFIXES = ("/api/", "/open311/")

# Pages opened from a code people scan rather than a link: an expired code's page is what is audited.
FROM_A_CODE = {
    "/activities/:id/check": ("/activities/:id", "/check?k=in&t=1&s=00"),
    "/trainings/:id/check": ("/trainings/:id/code", "?t=1&s=00"),
}


def route_table():
    env = dict(os.environ, DIANDAN_SQLITE_PATH=os.path.join(tempfile.mkdtemp(prefix="diandan-routes-"), "r.sqlite"),
               DIANDAN_RESOURCES_DIR=ROOT + "/", LOG_LEVEL="error")
    env.pop("DATABASE_URL", None)
    binary = os.environ.get("DIANDAN_BIN") or os.path.join(ROOT, ".build", "debug", "diandan")
    out = subprocess.run([binary, "routes"], env=env, capture_output=True, text=True, timeout=120).stdout
    routes = sorted({m.group(1) for m in re.finditer(r"\|\s*GET\s*\|\s*(\S+)\s*\|", out)})
    assert len(routes) > 50, out[-2000:]
    return routes


def is_page(route):
    return route not in NOT_PAGES and not route.startswith(NOT_PAGE_PREFIXES)


NUMERIC = {"id", "site", "photo"}


def pattern(route):
    def part(m):
        return r"[0-9]+" if m.group(1) in NUMERIC else r"[^/?#.]+"
    return re.compile("^" + re.sub(r":([a-z_]+)", part, re.escape(route).replace(r"\:", ":")) + r"(\?.*)?$")


class Auditor:
    def __init__(self, base):
        self.base = base
        self.violations = []
        self.opened = {}      # route -> set of roles that opened it
        self.shots = []       # (route, role, width, mode, lang, file)

    def driver(self, role, width):
        b = Browser(make_driver(mobile=width < 700, width=width), self.base)
        if role != "anonymous":
            b.open("/login")
            b.find_element(By.ID, "username").send_keys(role)
            b.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
            b.find_element(By.ID, "login-submit").click()
            time.sleep(0.3)
            assert b.find_elements(By.ID, "tab-bar"), f"{role} could not sign in"
        return b

    def opens(self, b, path):
        """Opens a page; whether this person may see it (not an error, not sent to sign in)."""
        b.open(path)
        here = b.current_url[len(self.base):]
        return not b.find_elements(By.ID, "error-message") and not here.startswith("/login") or path.startswith("/login")

    def links(self, b):
        return [h for h in b.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))") if h.startswith("/")]

    def discover(self, role, routes, extra=()):
        """The pages this role may open, with ids taken from the links of the pages it sees (and
        those only a form leads to, `extra`). Where a route's link shows only on some items (the
        showcase of a finished activity), more items are opened until one shows it."""
        b = self.driver(role, WIDTHS[0])
        try:
            pages = {}
            seen_links = list(extra)
            visited = set()
            for r in routes:
                if ":" not in r and self.opens(b, r):
                    pages[r] = r
                    seen_links += self.links(b)
            pending = [r for r in routes if ":" in r]
            progress = True
            while pending and progress:
                progress = False
                for r in list(pending):
                    rx = pattern(r)
                    url = next((h for h in seen_links if rx.match(h)), None)
                    if url is None and r in FROM_A_CODE and FROM_A_CODE[r][0] in pages:
                        parent, tail = FROM_A_CODE[r]
                        url = pages[parent].split("?")[0] + tail
                    if url is None:
                        continue
                    pending.remove(r)
                    progress = True
                    visited.add(url)
                    if self.opens(b, url) or r in FROM_A_CODE:
                        pages[r] = url
                        seen_links += self.links(b)
                if not progress and pending:
                    # Open a few more items of the routes already found, for the links they show.
                    found = [pattern(r) for r in pages if ":" in r]
                    more = [h for h in dict.fromkeys(seen_links) if h not in visited and any(rx.match(h) for rx in found)][:12]
                    for h in more:
                        visited.add(h)
                        if self.opens(b, h):
                            seen_links += self.links(b)
                            progress = True
            b.collect()
            self.violations += [f"{role} · discovery: console error {e}" for e in b.errors]
            return pages
        finally:
            b.driver.quit()

    def audit(self, role, width, pages, shoot):
        b = self.driver(role, width)
        try:
            for mode in MODES:
                b.open(f"/display/{mode}?next=/")
                for lang in LANGS:
                    b.open(f"/lang/{lang}?next=/")
                    limits = {"minText": 18 if mode == "large" else (16 if role in PEOPLE else 12),
                              "minTarget": 48 if mode == "large" else 44, "width": width}
                    for route, url in pages.items():
                        b.errors = []
                        b.open(url)
                        where = f"{url} · {role} · {width}px · {lang} · {mode}"
                        if b.find_elements(By.ID, "error-message") and route not in FROM_A_CODE:
                            self.violations.append(f"{where}: the page failed")
                            continue
                        for v in b.execute_script(AUDIT_JS, limits):
                            self.violations.append(f"{where}: {v}")
                        if width == 360:
                            for other in PHONE_SWEEP:
                                self.phone_width(b, other)
                                for v in b.execute_script(AUDIT_JS, dict(limits, width=other, scrollOnly=True)):
                                    self.violations.append(f"{url} · {role} · {other}px · {lang} · {mode}: {v}")
                            self.phone_width(b, 360)
                        if width == 1366 and mode == "normal" and lang == "zh-CN":
                            for _ in range(TABS):
                                ActionChains(b.driver).send_keys(Keys.TAB).perform()
                                hidden = b.execute_script(FOCUS_JS)
                                if hidden:
                                    self.violations.append(f"{where}: no visible focus on {hidden}")
                        b.collect()
                        self.violations += [f"{where}: console error {e}" for e in b.errors]
                        if lang == "zh-CN" and (route, width, mode) in shoot:
                            name = re.sub(r"[^a-z0-9]+", "-", f"{route}-{role}-{width}-{mode}".lower()).strip("-") + ".png"
                            b.save_screenshot(os.path.join(ARTIFACTS, name))
                            self.shots.append((route, role, width, mode, name))
        finally:
            b.driver.quit()

    @staticmethod
    def phone_width(b, width):
        b.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                 {"width": width, "height": 780 if width < 390 else 844, "deviceScaleFactor": 3, "mobile": True})

    def contact_sheet(self):
        cells = "\n".join(
            f'<figure><a href="{n}"><img src="{n}" loading="lazy" alt=""></a><figcaption>{html.escape(r)}<br>{role} · {w}px · {m}</figcaption></figure>'
            for r, role, w, m, n in sorted(self.shots))
        with open(os.path.join(ARTIFACTS, "index.html"), "w") as f:
            f.write('<!doctype html><meta charset="utf-8"><title>Page audit</title><style>body{font:14px sans-serif;margin:1rem}'
                    'main{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:1rem}img{width:100%;border:1px solid #ccc}'
                    f'</style><h1>Page audit: {len(self.shots)} screenshots, {len(self.violations)} violations</h1><main>{cells}</main>')
        with open(os.path.join(ARTIFACTS, "violations.txt"), "w") as f:
            f.write("\n".join(self.violations) + "\n")


SQLITE = os.path.join(tempfile.mkdtemp(prefix="diandan-audit-"), "audit.sqlite")


@pytest.fixture(scope="module")
def audit_server():
    yield from start_server(sqlite_path=SQLITE)


def test_every_page_as_every_role_on_phone_and_desktop_in_both_languages_and_both_text_sizes(audit_server):
    os.makedirs(ARTIFACTS, exist_ok=True)
    for f in os.listdir(ARTIFACTS):
        os.remove(os.path.join(ARTIFACTS, f))
    routes = route_table()
    page_routes = [r for r in routes if is_page(r)]
    auditor = Auditor(audit_server)
    extra = prepare(audit_server)
    found = {role: auditor.discover(role, page_routes, extra.get(role, ())) for role in ROLES}
    for route in page_routes:
        if not any(route in pages for pages in found.values()):
            auditor.violations.append(f"{route}: no role opened it (no link leads to it, or every role was refused)")
    shot_by = {}
    for role in ROLES:
        for route in found[role]:
            shot_by.setdefault(route, role)
    for role in ROLES:
        for width in WIDTHS:
            shoot = {(r, width, m) for r, who in shot_by.items() if who == role for m in MODES}
            auditor.audit(role, width, found[role], shoot)
    auditor.contact_sheet()
    audited = sum(len(p) for p in found.values())
    print(f"page audit: {len(page_routes)} pages, {audited} page × role pairs, {audited * len(WIDTHS) * len(MODES) * len(LANGS)} views")
    assert not auditor.violations, f"{len(auditor.violations)} violations (artifacts/audit/violations.txt):\n" + "\n".join(auditor.violations[:80])


@contextlib.contextmanager
def signed_in(base, role):
    b = Auditor(base).driver(role, 1366)
    try:
        yield b
    finally:
        b.driver.quit()


def click(b, element_id):
    element = b.find_element(By.ID, element_id)
    b.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    time.sleep(0.4)


def prepare(base):
    """What some pages need to exist — an order taken by phone (its follow link), served to the end
    (its showcase form), an export, a certificate, an integration — and the addresses only a form
    leads to, for the roles that reach them."""
    extra = {}
    with signed_in(base, "practitioner") as b:
        b.open("/orders/by-phone")
        Select(b.find_element(By.ID, "f-channel")).select_by_index(1)
        b.find_element(By.ID, "f-contact_name").send_keys("刘大爷")
        b.find_element(By.ID, "f-contact_phone").send_keys("13979790009")
        b.find_element(By.ID, "f-address").send_keys("叶坪村五组3号")
        Select(b.find_element(By.ID, "f-station_id")).select_by_visible_text("叶坪村新时代文明实践站")
        Select(b.find_element(By.ID, "f-category_id")).select_by_index(1)
        b.find_element(By.ID, "f-details").send_keys("老人想了解养老保险怎么交")
        click(b, "order-submit")
        assert b.find_elements(By.ID, "order-notice"), "the by-phone order was not placed"
        order = b.current_url[len(base):].split("?")[0]
        follow = re.search(r"/follow/[0-9A-Za-z_-]+", b.page_source)
        assert follow, "the development banner shows no follow link"
        extra["anonymous"] = [follow.group(0)]
    with signed_in(base, "yeping") as b:
        b.open(order)
        row = b.find_element(By.XPATH, "//section[@id='suggestions']//tr[td[contains(., '瑞金市妇联志愿服务队')]]//button")
        click(b, row.get_attribute("id"))
    with signed_in(base, "leader") as b:
        b.open(order)
        click(b, "do-accept")
        click(b, "do-start")
        served = b.find_element(By.XPATH, "//input[starts-with(@id, 'served-')]")
        if not served.is_selected():
            b.execute_script("arguments[0].click()", served)
        hours = b.find_element(By.ID, "hours-" + served.get_attribute("value"))
        hours.clear()
        hours.send_keys("2")
        click(b, "do-complete")
        assert "已完成" in b.find_element(By.ID, "order-status").text
        b.open("/me/service")
        click(b, "issue-certificate")
        extra["leader"] = [b.current_url[len(base):]]
    with signed_in(base, "admin") as b:
        b.open("/assessment")
        click(b, "orders-export-start")
        extra["admin"] = [b.current_url[len(base):]]
        b.open("/admin/integrations/new")
        b.find_element(By.ID, "f-name").send_keys("12345 热线")
        click(b, "save")
    # An activity that has ended (the demo's past one), whose organisers may publish its showcase.
    import sqlite3
    with sqlite3.connect(SQLITE) as db:
        ended = db.execute("SELECT id FROM activities WHERE ends_at < CAST(strftime('%s', 'now') AS REAL) ORDER BY id LIMIT 1").fetchone()
    assert ended, "the demo county has no activity that has ended"
    for role in ("yeping", "admin"):
        extra.setdefault(role, []).append(f"/activities/{ended[0]}")
    return extra
