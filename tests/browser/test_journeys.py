"""Journeys, as people walk them: each person starts at the home page (a 360 px phone for residents,
volunteers and leaders; a desktop for admins and clerks) and moves only by tapping what they can see
and typing into what they can see. Every step fails on a console error, an error page or a page
that scrolls sideways, and leaves a screenshot (artifacts/journeys/, kept by CI)."""
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DEMO_PASSWORD, ROOT, Browser, make_driver, start_server
from test_foundation import id_number

ARTIFACTS = os.environ.get("DIANDAN_ARTIFACTS") or os.path.join(ROOT, "artifacts", "journeys")
STATION = "叶坪村新时代文明实践站"
CATEGORY = "理论政策宣讲"
TEAM = "瑞金市妇联志愿服务队"
ACTIVITY = "叶坪革命旧址义务讲解"


class Gateway:
    """A stand-in SMS gateway: what the server texts, by number."""

    def __init__(self):
        self.texts = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                gateway.texts.append((q.get("to", [""])[0], q.get("msg", [""])[0]))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_for(self, phone, pattern, seen=0, timeout=20):
        """The first text to `phone` after the first `seen` ones that matches `pattern`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for to, text in self.texts[seen:]:
                m = re.search(pattern, text)
                if to == phone and m:
                    return m
            time.sleep(0.2)
        raise AssertionError(f"no text to {phone} matching {pattern}: {self.texts}")


@pytest.fixture(scope="module", autouse=True)
def fresh_artifacts():
    """This run's screenshots only."""
    if os.path.isdir(ARTIFACTS):
        for name in os.listdir(ARTIFACTS):
            if name.endswith(".png"):
                os.remove(os.path.join(ARTIFACTS, name))
    os.makedirs(ARTIFACTS, exist_ok=True)


@pytest.fixture(scope="module")
def gateway():
    g = Gateway()
    yield g
    g.httpd.shutdown()


@pytest.fixture(scope="module")
def county(gateway):
    """The demo county with an SMS gateway (the stand-in above) and texts sent every second."""
    yield from start_server(DIANDAN_SMS_URL=f"http://127.0.0.1:{gateway.port}/send?to={{phone}}&msg={{text}}",
                            DIANDAN_DELIVERY_SECONDS="1")


class Walk:
    """One person's walk: a browser that only taps and types what is visible, and checks every page."""

    def __init__(self, base, name, phone=True, large=False):
        self.b = Browser(make_driver(mobile=phone, width=360), base)
        self.name = name + ("-large" if large else "")
        self.large = large
        self.sized = False
        self.n = 0
        os.makedirs(ARTIFACTS, exist_ok=True)

    def start(self, path="/"):
        self.b.open(path)
        self.check("start")
        if self.large and not self.sized:
            # 长辈版: the switch in the header of the first page, remembered from then on.
            self.sized = True
            self.tap("large-text", value="size-switch")
            assert "on" in self.visible(By.ID, "size-switch").get_attribute("class").split()

    def check(self, label):
        b = self.b
        self.n += 1
        b.save_screenshot(os.path.join(ARTIFACTS, f"{self.name}-{self.n:02d}-{label}.png"))
        b.collect()
        assert b.errors == [], f"{self.name} / {label}: console errors {b.errors}"
        assert not b.find_elements(By.ID, "error-message"), f"{self.name} / {label}: error page: {b.find_element(By.TAG_NAME, 'main').text[:300]}"
        wide, room = b.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert wide <= room, f"{self.name} / {label}: the page scrolls sideways ({wide} px in {room})"
        if self.sized:
            assert b.execute_script("return document.documentElement.classList.contains('large')"), f"{self.name} / {label}: large text was lost"

    def visible(self, by, value):
        found = [e for e in self.b.find_elements(by, value) if e.is_displayed()]
        assert found, f"{self.name}: nothing visible for {value}"
        return found[0]

    def tap(self, label, element=None, by=By.ID, value=None, link=None, partial=None):
        """Taps what is visible and waits for the next page."""
        if element is None:
            if link:
                element = self.visible(By.LINK_TEXT, link)
            elif partial:
                element = self.visible(By.PARTIAL_LINK_TEXT, partial)
            else:
                element = self.visible(by, value)
        self.b.execute_script("window.__walkOld = true")
        # As a person does: scroll it to the middle of the screen, clear of the header and the tab bar.
        self.b.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        WebDriverWait(self.b.driver, 15).until(lambda d: d.execute_script(
            "return window.__walkOld === undefined && document.readyState === 'complete'"))
        self.check(label)

    def type(self, element_id, text):
        field = self.visible(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    def choose(self, element_id, text):
        Select(self.visible(By.ID, element_id)).select_by_visible_text(text)

    def text(self, element_id):
        return self.visible(By.ID, element_id).text

    def sign_in(self, username):
        self.start()
        self.tap("sign-in-page", link="登录")
        self.type("username", username)
        self.type("password", DEMO_PASSWORD)
        self.tap("landing", value="login-submit")
        assert urllib.parse.urlparse(self.b.current_url).path == "/"

    def close(self):
        self.b.collect()
        self.b.driver.quit()


def number_on(walk):
    return re.search(r"DD\d{8}-\d+", walk.text("order-notice")).group(0)


def station_admin_dispatches(base, number, phone=False, large=False):
    """The station admin: the landing shows the order waiting; dispatched from the suggestions (on a
    desktop, or on the phone a village station's clerk carries)."""
    admin = Walk(base, "station-admin-phone" if phone else "station-admin", phone=phone, large=large)
    try:
        admin.sign_in("yeping")
        waiting = admin.visible(By.ID, "work-dispatch")
        assert int(re.search(r"(\d+)\s*待派单", waiting.text).group(1)) >= 1
        admin.tap("queue", element=waiting.find_element(By.PARTIAL_LINK_TEXT, "待派单"))
        admin.tap("order", partial=number)
        row = admin.visible(By.XPATH, f"//section[@id='suggestions']//tr[td[contains(., '{TEAM}')]]")
        admin.tap("dispatched", element=row.find_element(By.TAG_NAME, "button"))
        assert admin.text("order-status") == "已派单"
        assert "已派单" in admin.text("order-notice") or "派" in admin.text("order-notice")
    finally:
        admin.close()


def leader_serves(base, number, refused_first=True, certificate=False, large=False):
    """The team leader on a phone: the team's orders → accept → reveal the phone → start → complete
    with hours (first a refused value: everything typed is kept) → their hours rise."""
    leader = Walk(base, "leader", large=large)
    try:
        leader.sign_in("leader")
        hours_before = float(leader.visible(By.ID, "work-service").find_element(By.CSS_SELECTOR, ".num").text)
        leader.tap("team-orders", element=leader.visible(By.ID, "work-team").find_element(By.PARTIAL_LINK_TEXT, "待本队处理"))
        leader.tap("order", partial=number)
        leader.tap("accepted", value="do-accept")
        assert leader.text("order-status") == "已接单"
        leader.visible(By.CSS_SELECTOR, "#order-contact-ask summary").click()
        Select(leader.visible(By.ID, "contact-reason")).select_by_index(0)
        leader.tap("contact", value="do-contact")
        call = leader.visible(By.ID, "order-call")
        assert call.get_attribute("href").startswith("tel:1")
        leader.tap("started", value="do-start")
        assert leader.text("order-status") == "服务中"
        me = leader.visible(By.XPATH, "//input[starts-with(@id, 'served-')]")
        vid = me.get_attribute("value")
        if not me.is_selected():
            me.click()
        leader.type("complete-notes", "上门讲了政策")
        if refused_first:
            # 30 hours for one service: refused before it is sent (the field states 0.5-24), nothing lost.
            leader.type(f"hours-{vid}", "30")
            leader.visible(By.ID, "do-complete").click()
            hours = leader.visible(By.ID, f"hours-{vid}")
            assert leader.b.execute_script("return !arguments[0].validity.valid", hours)
            assert leader.text("order-status") == "服务中"
            assert me.is_selected() and hours.get_attribute("value") == "30"
            assert leader.visible(By.ID, "complete-notes").get_attribute("value") == "上门讲了政策"
            leader.check("refused")
        leader.type(f"hours-{vid}", "2")
        leader.tap("completed", value="do-complete")
        assert leader.text("order-status") == "已完成"
        leader.tap("home", link="首页")
        hours_after = float(leader.visible(By.ID, "work-service").find_element(By.CSS_SELECTOR, ".num").text)
        assert hours_after >= hours_before + 2, (hours_before, hours_after)
        if certificate:
            # The leader serves as a volunteer too: their hours and stars, and a certificate to download.
            leader.tap("my-service", element=leader.visible(By.ID, "work-service").find_element(By.PARTIAL_LINK_TEXT, "服务时长"))
            assert float(leader.text("my-hours")) == hours_after
            assert "★" in leader.text("my-stars") or "☆" in leader.text("my-stars")
            leader.tap("certificate", value="issue-certificate")
            assert leader.visible(By.ID, "certificate")
            pdf = leader.visible(By.ID, "cert-pdf").get_attribute("href")
            import requests
            got = requests.get(pdf, cookies={c["name"]: c["value"] for c in leader.b.get_cookies()}, timeout=30)
            assert got.status_code == 200 and got.content.startswith(b"%PDF"), got.status_code
    finally:
        leader.close()


MODES = pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])


@MODES
def test_a_resident_signs_in_by_phone_orders_follows_and_rates(county, gateway, large):
    """A resident with no account: phone → code → first sign-in at their station → orders off the menu
    → the result → the order dispatched and accepted, in their messages → rates it."""
    resident = Walk(county, "resident", large=large)
    phone = "1397979001" + ("1" if large else "0")
    try:
        resident.start()
        resident.tap("sign-in", link="登录")
        resident.type("phone", phone)
        seen = len(gateway.texts)
        resident.tap("code", value="phone-submit")
        code = gateway.wait_for(phone, r"验证码是(\d{6})", seen).group(1)
        resident.type("code", code)
        resident.tap("welcome", value="code-submit")
        resident.type("f-display_name", "钟奶奶")
        # "The station nearest to me": the phone shares where it is (a few hundred metres from the
        # station), one tap picks it from the list.
        station = resident.b.execute_script(
            "var s = document.getElementById('f-station_id'); return [...s.options].find(o => o.text === arguments[0]).value", STATION)
        places = dict((p.split(":")[0], p.split(":")[1:]) for p in resident.visible(By.ID, "nearest").get_attribute("data-places").split(";"))
        lat, lng = float(places[station][0]), float(places[station][1])
        resident.b.execute_cdp_cmd("Browser.grantPermissions", {"origin": county, "permissions": ["geolocation"]})
        resident.b.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat + 0.002, "longitude": lng, "accuracy": 20})
        resident.visible(By.ID, "nearest").click()
        WebDriverWait(resident.b.driver, 10).until(lambda d: Select(d.find_element(By.ID, "f-station_id")).first_selected_option.text == STATION)
        assert "km" in resident.text("nearest-status")
        resident.check("nearest")
        resident.type("f-address", "叶坪村三组12号")
        resident.tap("landing", value="welcome-submit")
        assert "钟奶奶" in resident.text("work-notice")
        # The home's first tile (one of four big ones in 长辈版).
        resident.tap("menu", partial="我要点单")
        resident.tap("order-form", value="off-menu")
        assert resident.visible(By.ID, "f-contact_name").get_attribute("value") == "钟奶奶"
        assert resident.visible(By.ID, "f-address").get_attribute("value") == "叶坪村三组12号"
        resident.choose("f-category_id", CATEGORY)
        resident.choose("f-station_id", STATION)
        resident.type("f-details", "想请志愿者给村里老人讲讲新农合政策")
        resident.tap("placed", value="order-submit")
        assert "点单成功" in resident.text("order-notice")
        number = number_on(resident)
        assert resident.text("order-status") == "待派单"

        # Meanwhile the station dispatches it and the team serves it (their own journeys).
        station_admin_dispatches(county, number, large=large)
        leader_serves(county, number, certificate=True, large=large)

        # Back on the phone: the messages say it was dispatched and accepted.
        resident.tap("home", link="首页")
        resident.tap("inbox", value="tab-inbox")
        inbox = resident.text("inbox")
        assert number in inbox and "已派给" in inbox and "服务队接单" in inbox, inbox
        resident.tap("order", element=resident.visible(By.XPATH, f"//*[@id='inbox']//button[contains(., '{number}') and contains(., '完成服务')]"))
        assert resident.text("order-status") == "已完成"
        assert not any(r.is_selected() for r in resident.b.find_elements(By.CSS_SELECTOR, "#score input"))
        resident.visible(By.ID, "score-5").click()
        resident.type("comment", "讲得很清楚")
        resident.tap("rated", value="do-rate")
        assert resident.text("order-status") == "已评价"
    finally:
        resident.close()


@MODES
def test_an_order_taken_by_phone_is_followed_from_the_text(county, gateway, large):
    """A practitioner takes a call and records the order (代点单); the resident, who has no account,
    follows the texted link and rates the service."""
    clerk = Walk(county, "practitioner", phone=False, large=large)
    phone = "1397979002" + ("1" if large else "0")
    try:
        clerk.sign_in("practitioner")
        clerk.tap("by-phone", element=clerk.visible(By.ID, "work-orders").find_element(By.PARTIAL_LINK_TEXT, "代点单（电话/上门）"))
        clerk.choose("f-channel", "电话")
        clerk.type("f-contact_name", "刘大爷")
        clerk.type("f-contact_phone", phone)
        clerk.type("f-address", "叶坪村五组3号")
        clerk.choose("f-station_id", STATION)
        clerk.choose("f-category_id", CATEGORY)
        clerk.type("f-details", "老人想了解养老保险怎么交")
        seen = len(gateway.texts)
        clerk.tap("placed", value="order-submit")
        notice = clerk.text("order-notice")
        assert "点单成功" in notice and "139****" + phone[-4:] in notice
        number = number_on(clerk)
    finally:
        clerk.close()

    link = gateway.wait_for(phone, r"(https?://\S+/follow/\S+)", seen).group(1)
    assert number in gateway.wait_for(phone, r".*", seen).group(0)
    station_admin_dispatches(county, number, phone=True, large=large)
    leader_serves(county, number, refused_first=False, large=large)

    # The resident taps the link in the text: the first page they see.
    resident = Walk(county, "follow", large=large)
    try:
        resident.start(urllib.parse.urlparse(link).path)
        assert number in resident.text("follow-number")
        assert resident.text("follow-status") == "已完成"
        assert "负荷" not in resident.b.page_source and phone not in resident.b.page_source
        resident.visible(By.ID, "score-5").click()
        resident.type("comment", "很热心")
        resident.tap("rated", value="follow-submit")
        assert "谢谢" in resident.text("follow-thanks")
        assert resident.text("follow-rating") == "★★★★★"
    finally:
        resident.close()


@MODES
def test_a_centre_admin_reads_the_assessment_drills_down_and_exports(county, large):
    """The county's admin on a desktop: the landing → the assessment → one township → its export."""
    admin = Walk(county, "centre-admin", phone=False, large=large)
    try:
        admin.sign_in("admin")
        admin.tap("assessment", element=admin.visible(By.ID, "work-more").find_element(By.PARTIAL_LINK_TEXT, "考核"))
        heading = admin.b.find_element(By.TAG_NAME, "h1").text
        drill = [e for e in admin.b.find_elements(By.CSS_SELECTOR, "section.sub table a") if e.is_displayed()]
        assert drill, "the assessment offers no site to drill into"
        place = drill[0].text
        admin.tap("drilled", element=drill[0])
        assert place in admin.b.find_element(By.TAG_NAME, "h1").text and admin.b.find_element(By.TAG_NAME, "h1").text != heading
        admin.tap("export", value="orders-export-start")
        WebDriverWait(admin.b.driver, 60).until(lambda d: d.find_element(By.ID, "export-ready").is_displayed())
        download = admin.visible(By.ID, "export-download").get_attribute("href")
        import requests
        cookies = {c["name"]: c["value"] for c in admin.b.get_cookies()}
        got = requests.get(download, cookies=cookies, timeout=30)
        assert got.status_code == 200 and "订单号" in got.content.decode("utf-8-sig"), got.status_code
        admin.check("export-ready")
    finally:
        admin.close()


def decode_qr(base, src, cookies):
    import requests
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(requests.get(src + "?format=png", cookies=cookies, timeout=30).content)
        f.flush()
        return subprocess.check_output(["zbarimg", "-q", "--raw", f.name]).decode().strip()


@MODES
def test_a_volunteer_registers_signs_up_and_checks_in_by_the_code(county, large):
    """A new volunteer on a phone: register → signed in → an activity → signed up → the organiser's
    code, scanned (zbarimg is the camera) → checked in at the place → it is on their landing page."""
    volunteer = Walk(county, "volunteer", large=large)
    phone = "1397979003" + ("1" if large else "0")
    organiser = None
    try:
        volunteer.start()
        volunteer.tap("register", link="注册成为志愿者")
        volunteer.type("f-real_name", "钟晓梅")
        volunteer.type("f-id_number", id_number("360781", "19950312", 613 if large else 612))
        volunteer.type("f-phone", phone)
        volunteer.choose("f-site_id", "\u3000\u3000" + STATION)
        volunteer.type("f-password", "Yeping2026")
        consent = volunteer.visible(By.ID, "f-consent")
        volunteer.b.execute_script("arguments[0].scrollIntoView({block: 'center'})", consent)
        consent.click()
        volunteer.tap("registered", value="register-submit")
        assert volunteer.text("registered-username") == phone
        volunteer.tap("activities", value="registered-activities")
        volunteer.tap("activity", link=ACTIVITY)
        volunteer.tap("signed-up", value="do-signup")
        assert "报名成功" in volunteer.text("my-signup")

        organiser = Walk(county, "organiser", phone=False, large=large)
        organiser.sign_in("yeping")
        organiser.tap("activities", link="志愿活动")
        organiser.tap("activity", link=ACTIVITY)
        src = organiser.visible(By.ID, "qr-in").get_attribute("src")
        url = decode_qr(county, src, {c["name"]: c["value"] for c in organiser.b.get_cookies()})
        assert "/check?k=in&t=" in url

        # The scan opens the link on the phone, which shares where it is: at the place.
        place = requests_json(county + "/api/v1/activities/" + url.split("/activities/")[1].split("/")[0])
        volunteer.b.execute_cdp_cmd("Browser.grantPermissions", {"origin": county, "permissions": ["geolocation"]})
        volunteer.b.execute_cdp_cmd("Emulation.setGeolocationOverride",
                                    {"latitude": place["latitude"] + 0.0004, "longitude": place["longitude"], "accuracy": 10})
        volunteer.start(urllib.parse.urlparse(url).path + "?" + urllib.parse.urlparse(url).query)
        volunteer.tap("checked-in", value="do-check")
        assert "签到成功" in volunteer.text("check-message")
        volunteer.tap("home", link="首页")
        assert ACTIVITY in volunteer.text("work-service")
    finally:
        volunteer.close()
        if organiser:
            organiser.close()


def requests_json(url):
    import requests
    return requests.get(url, timeout=30).json()
