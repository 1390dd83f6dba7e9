"""The big screen updates its counters without a reload."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_foundation import login


def test_counters_update_in_place(server, browser):
    login(browser, "admin")
    browser.open("/screen?every=2")
    before = int(browser.find_element(By.ID, "c-orders_today").text)
    browser.execute_script("window.__sameDocument = true")
    req = urllib.request.Request(server + "/api/v1/auth/token", data=json.dumps({"username": "resident", "password": "Diandan2026"}).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    token = json.loads(urllib.request.urlopen(req).read())["token"]
    sites = json.loads(urllib.request.urlopen(server + "/api/v1/sites").read())
    yeping = next(s["id"] for s in sites if s["code"] == "360781201001")
    order = {"menu_item_id": 2, "station_id": yeping, "address": "叶坪村", "contact_name": "钟", "contact_phone": "13800000000"}
    urllib.request.urlopen(urllib.request.Request(server + "/api/v1/orders", data=json.dumps(order).encode(), method="POST",
                                                  headers={"Content-Type": "application/json", "Authorization": "Bearer " + token}))
    WebDriverWait(browser.driver, 15).until(lambda d: int(d.find_element(By.ID, "c-orders_today").text) == before + 1)
    assert browser.execute_script("return window.__sameDocument === true")
