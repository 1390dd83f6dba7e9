"""The dispatch board: a new order appears by itself, pushed by server-sent events."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_foundation import login


def test_a_new_order_appears_without_a_reload(server, browser):
    login(browser, "admin")
    browser.open("/board")
    WebDriverWait(browser.driver, 15).until(lambda d: d.find_element(By.ID, "board-status").text == "实时")
    browser.execute_script("window.__sameDocument = true")
    req = urllib.request.Request(server + "/api/v1/auth/token", data=json.dumps({"username": "resident", "password": "Diandan2026"}).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    token = json.loads(urllib.request.urlopen(req).read())["token"]
    sites = json.loads(urllib.request.urlopen(server + "/api/v1/sites").read())
    yeping = next(s["id"] for s in sites if s["code"] == "360781201001")
    order = {"menu_item_id": 2, "station_id": yeping, "address": "叶坪村", "contact_name": "钟", "contact_phone": "13800000000"}
    created = json.loads(urllib.request.urlopen(urllib.request.Request(
        server + "/api/v1/orders", data=json.dumps(order).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})).read())
    WebDriverWait(browser.driver, 15).until(
        lambda d: any(created["number"] in li.text for li in d.find_elements(By.CSS_SELECTOR, "#board li")))
    first = browser.find_element(By.CSS_SELECTOR, "#board li")
    assert created["number"] in first.text
    assert browser.execute_script("return window.__sameDocument === true")
