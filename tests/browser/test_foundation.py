"""The foundation's browser flows: log in and out, switch language, register a volunteer on a phone,
an admin creates a team."""
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DEMO_PASSWORD

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(region, birth, seq):
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def click_and_wait(b, element_id=None, element=None):
    """Clicks something that loads a new page and waits until that page has loaded: the old
    window object carries a mark that a new document does not."""
    b.driver.execute_script("window.__diandanOld = true")
    (element or b.find_element(By.ID, element_id)).click()
    WebDriverWait(b.driver, 15).until(lambda d: d.execute_script(
        "return window.__diandanOld === undefined && document.readyState === 'complete'"))
    b.collect()


def login(b, username, password=DEMO_PASSWORD):
    b.open("/login")
    b.find_element(By.ID, "username").send_keys(username)
    b.find_element(By.ID, "password").send_keys(password)
    click_and_wait(b, "login-submit")


def test_log_in_and_out(browser):
    login(browser, "admin", "not-the-password1")
    assert "用户名或密码错误" in browser.find_element(By.ID, "login-error").text
    login(browser, "admin")
    # Everyone lands on their own work: for an admin, the queues and the way to the administration.
    assert urlparse(browser.current_url).path == "/"
    assert browser.find_element(By.ID, "current-user").text == "admin"
    assert "您好" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.ID, "work-dispatch").is_displayed()
    click_and_wait(browser, element=browser.find_element(By.CSS_SELECTOR, '#work-more a[href="/admin"]'))
    assert "管理后台" in browser.find_element(By.TAG_NAME, "h1").text
    click_and_wait(browser, "logout")
    assert browser.find_elements(By.ID, "login-link")
    browser.open("/admin")
    assert "/login" in browser.current_url


def test_switch_language_is_remembered(browser):
    browser.open("/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    click_and_wait(browser, "lang-switch")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Residents order, volunteers serve" in browser.page_source
    browser.open("/register")
    assert "Register as a volunteer" in browser.find_element(By.TAG_NAME, "h1").text
    click_and_wait(browser, "lang-switch")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert browser.current_url.endswith("/register")


def test_register_a_volunteer_on_a_phone(phone):
    phone.open("/register")
    width = phone.execute_script("return window.innerWidth")
    assert width == 390
    # Nothing wider than the phone's screen.
    assert phone.execute_script("return document.documentElement.scrollWidth") <= width
    click_and_wait(phone, "register-submit")
    assert "此项必填" in phone.page_source
    number = id_number("360781", "19920815", 457)
    phone.find_element(By.ID, "f-real_name").send_keys("钟晓东")
    phone.find_element(By.ID, "f-id_number").send_keys(number)
    phone.find_element(By.ID, "f-phone").send_keys("13607970001")
    Select(phone.find_element(By.ID, "f-site_id")).select_by_visible_text("\u3000\u3000叶坪村新时代文明实践站")
    phone.find_element(By.ID, "f-skills").send_keys("摄影，急救")
    phone.find_element(By.ID, "f-password").send_keys("Yeping2026")
    phone.find_element(By.ID, "f-consent").click()
    click_and_wait(phone, "register-submit")
    assert phone.find_element(By.ID, "volunteer-number").text.startswith("ZY")
    # Registered and signed in at once, with the phone number to sign in with next time.
    assert phone.find_element(By.ID, "registered-username").text == "13607970001"
    assert "钟晓东" in phone.find_element(By.ID, "registered-name").text
    assert number not in phone.page_source
    # Signed in: 我的 (the tab bar's last place) names them by the masked number (it is their username).
    click_and_wait(phone, "tab-me")
    assert phone.find_element(By.ID, "me-username").text == "136****0001"
    assert "13607970001" not in phone.page_source
    # The same person cannot register twice.
    phone.open("/register")
    phone.find_element(By.ID, "f-real_name").send_keys("钟晓东")
    phone.find_element(By.ID, "f-id_number").send_keys(number)
    phone.find_element(By.ID, "f-phone").send_keys("13607970001")
    phone.find_element(By.ID, "f-password").send_keys("Yeping2026")
    phone.find_element(By.ID, "f-consent").click()
    click_and_wait(phone, "register-submit")
    assert "该身份证号码已注册过志愿者" in phone.page_source


def test_an_admin_creates_a_team(browser):
    login(browser, "xianghu")
    browser.open("/admin/teams")
    assert browser.find_elements(By.ID, "new-link")
    browser.open("/admin/teams/new")
    browser.find_element(By.ID, "f-name").send_keys("红都社区读书志愿服务队")
    Select(browser.find_element(By.ID, "f-site_id")).select_by_visible_text("\u3000\u3000红都社区新时代文明实践站")
    Select(browser.find_element(By.ID, "f-category_ids[]")).select_by_visible_text("助学支教")
    maximum = browser.find_element(By.ID, "f-max_concurrent_orders")
    maximum.clear()
    maximum.send_keys("2")
    click_and_wait(browser, "save")
    assert "/admin/teams/" in browser.current_url
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "红都社区读书志愿服务队"
    browser.open("/admin/teams?q=读书")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert len(rows) == 1 and "红都社区新时代文明实践站" in rows[0].text
    # The institute admin sees only the institute's teams.
    browser.open("/admin/teams")
    assert "叶坪乡" not in browser.find_element(By.CSS_SELECTOR, "table.list").text


def test_a_resident_signs_in_from_the_home_page_and_lands_on_ordering(phone):
    """A resident on a phone: from the home page to sign-in, back to their own page, on to the menu,
    only by what they can see and tap."""
    phone.open("/")
    click_and_wait(phone, element=next(e for e in phone.find_elements(By.LINK_TEXT, "登录") if e.is_displayed()))
    phone.find_element(By.ID, "username").send_keys("resident")
    phone.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    click_and_wait(phone, "login-submit")
    assert urlparse(phone.current_url).path == "/"
    work = phone.find_element(By.ID, "work-orders")
    assert "我要点单" in work.text and "我的订单" in work.text
    assert phone.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    click_and_wait(phone, element=work.find_element(By.PARTIAL_LINK_TEXT, "我要点单"))
    assert urlparse(phone.current_url).path == "/menu"
    assert phone.find_elements(By.CSS_SELECTOR, ".menu-item")


def test_a_resident_is_asked_before_cancelling_an_order(server, phone):
    """From the home page to an order and its cancellation, asked first in a dialog: staying keeps the
    order; going on cancels it and says so."""
    import requests
    token = requests.post(server + "/api/v1/auth/token", json={"username": "resident", "password": DEMO_PASSWORD}).json()["token"]
    sites = requests.get(server + "/api/v1/sites").json()
    station = next(s["id"] for s in sites if s["code"] == "360781201001")
    categories = requests.get(server + "/open311/v2/services.json", params={"jurisdiction_id": "360781201001"}).json()
    category = int(next(s["service_code"] for s in categories if s["service_code"].startswith("C"))[1:])
    placed = requests.post(server + "/api/v1/orders", headers={"Authorization": "Bearer " + token}, json={
        "category_id": category, "details": "想请人帮忙修一下水管", "station_id": station, "address": "叶坪村5组",
        "contact_name": "钟奶奶", "contact_phone": "13800138111"})
    assert placed.status_code == 201, placed.text
    number = placed.json()["number"]

    phone.open("/")
    click_and_wait(phone, element=next(e for e in phone.find_elements(By.LINK_TEXT, "登录") if e.is_displayed()))
    phone.find_element(By.ID, "username").send_keys("resident")
    phone.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    click_and_wait(phone, "login-submit")
    click_and_wait(phone, element=phone.find_element(By.PARTIAL_LINK_TEXT, number))
    phone.find_element(By.ID, "reason-cancel").send_keys("家里人来帮忙了")
    phone.find_element(By.ID, "do-cancel").click()
    dialog = WebDriverWait(phone.driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "dialog.confirm"))
    assert "确定取消订单" in dialog.text and number in dialog.text
    phone.find_element(By.ID, "dialog-no").click()
    WebDriverWait(phone.driver, 5).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog.confirm"))
    assert phone.find_element(By.ID, "order-status").text != "已取消"
    phone.find_element(By.ID, "do-cancel").click()
    WebDriverWait(phone.driver, 5).until(lambda d: d.find_element(By.ID, "dialog-yes").is_displayed())
    click_and_wait(phone, "dialog-yes")
    assert phone.find_element(By.ID, "order-status").text == "已取消"
    assert "已完成" in phone.find_element(By.ID, "order-notice").text
