"""Needs surveys (问需) in the browser: a practitioner opens the survey again with the network cut
(the page is kept on the phone) and fills in households; the answers wait on the phone and arrive
exactly once when the connection returns — also when the upload is sent again. An admin then turns
the top unmet need into a menu item."""
import json
import time

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DEMO_PASSWORD, Browser, make_driver
from test_foundation import click_and_wait, login

QUEUE = "diandan.survey.outbox"


def token(base, username):
    return requests.post(base + "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}).json()["token"]


def results(base, auth, survey):
    r = requests.get(f"{base}/api/v1/surveys/{survey}/results", headers={"Authorization": f"Bearer {auth}"})
    assert r.status_code == 200, r.text
    return r.json()


def option_count(res, question, label):
    q = next(q for q in res["questions"] if q["id"] == question)
    return next(o["count"] for o in q["options"] if o["label"] == label)


def waiting(phone):
    return phone.execute_script(f"return JSON.parse(localStorage.getItem('{QUEUE}') || '[]').length")


def fill(phone, household, need, often, score, wish):
    phone.find_element(By.ID, "f-household").send_keys(household)
    phone.find_element(By.XPATH, f"//fieldset[@data-question='1']//label[contains(., '{need}')]/input").click()
    phone.find_element(By.XPATH, f"//fieldset[@data-question='2']//label[contains(., '{often}')]/input").click()
    phone.find_element(By.XPATH, f"//fieldset[@data-question='3']//input[@value='{score}']").click()
    phone.find_element(By.ID, "q4").send_keys(wish)
    phone.find_element(By.ID, "survey-submit").click()


def test_offline_answers_arrive_exactly_once(own_server):
    base = own_server
    admin = token(base, "admin")
    phone = Browser(make_driver(mobile=True), base)
    try:
        login(phone, "practitioner")
        phone.open("/surveys")
        click_and_wait(phone, element=phone.find_element(By.LINK_TEXT, "入户填写"))
        survey = int(phone.current_url.split("/surveys/")[1].split("/")[0])
        before = results(base, admin, survey)
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
        # A choice's radio button sits beside its label, not stretched across the line above it.
        radio = next(e for e in phone.find_elements(By.CSS_SELECTOR, "input[type=radio]") if e.is_displayed())
        assert radio.size["width"] < 40

        # The page is kept on the phone (a service worker), so it opens again without a connection.
        WebDriverWait(phone.driver, 15).until(lambda d: d.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)"))
        phone.driver.refresh()
        WebDriverWait(phone.driver, 10).until(lambda d: d.find_elements(By.ID, "survey-form"))

        # No signal in the village: the page opens all the same; two households answered, both kept on the phone.
        phone.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
        phone.driver.refresh()
        WebDriverWait(phone.driver, 10).until(lambda d: d.find_elements(By.ID, "survey-form"))
        fill(phone, "7组3号", "法律服务", "偶尔", 5, "想请律师讲讲土地流转")
        WebDriverWait(phone.driver, 10).until(lambda d: waiting(phone) == 1)
        fill(phone, "7组5号", "法律服务", "很少", 4, "")
        WebDriverWait(phone.driver, 10).until(lambda d: waiting(phone) == 2)
        status = phone.find_element(By.ID, "outbox-status").text
        assert "2" in status and ("保存" in status or "没有网络" in status), status
        kept = phone.execute_script(f"return localStorage.getItem('{QUEUE}')")
        assert len({e["client_id"] for e in json.loads(kept)}) == 2
        assert results(base, admin, survey)["responses"] == before["responses"]

        # The connection returns: both are sent, once each.
        phone.delete_network_conditions()
        WebDriverWait(phone.driver, 40).until(lambda d: waiting(phone) == 0)
        after = results(base, admin, survey)
        assert after["responses"] == before["responses"] + 2
        assert option_count(after, 1, "法律服务") == option_count(before, 1, "法律服务") + 2
        assert option_count(after, 2, "很少") == option_count(before, 2, "很少") + 1
        WebDriverWait(phone.driver, 10).until(lambda d: "全部已发送" in phone.find_element(By.ID, "outbox-status").text)

        # The answers to those uploads lost on the way: the phone sends both again. Still two.
        phone.execute_script(f"localStorage.setItem('{QUEUE}', arguments[0]); window.dispatchEvent(new Event('online'))", kept)
        WebDriverWait(phone.driver, 40).until(lambda d: waiting(phone) == 0)
        again = results(base, admin, survey)
        assert again["responses"] == after["responses"]
        assert option_count(again, 1, "法律服务") == option_count(after, 1, "法律服务")

        # Fetches refused while the network was cut are the test's doing, not the page's.
        phone.collect()
        phone.errors = [e for e in phone.errors if "ERR_INTERNET_DISCONNECTED" not in e and "FetchEvent" not in e]
        assert phone.errors == []
    finally:
        phone.driver.quit()


def test_an_admin_turns_the_top_unmet_need_into_a_menu_item(server, browser):
    login(browser, "admin")
    browser.open("/admin/surveys")
    click_and_wait(browser, element=browser.find_element(By.LINK_TEXT, "叶坪乡入户问需"))
    survey_page = browser.current_url.split(browser.base)[1]
    top = browser.find_elements(By.CSS_SELECTOR, "#needs tbody tr")[0]
    category, offered = top.find_elements(By.TAG_NAME, "td")[0].text, int(top.find_elements(By.TAG_NAME, "td")[2].text)
    # The chart of unmet needs writes each value on its bar.
    assert browser.find_element(By.CSS_SELECTOR, ".chart .bar-chart .bar-value").text.strip() != ""
    click_and_wait(browser, element=top.find_element(By.LINK_TEXT, "加入菜单"))

    # The form arrives filled in from the need: its category, a title, the survey's area.
    assert Select(browser.find_element(By.ID, "f-category_id")).first_selected_option.text == category
    assert browser.find_element(By.ID, "f-title").get_attribute("value") == category + "服务"
    assert [o.text.strip() for o in Select(browser.find_element(By.ID, "f-site_ids[]")).all_selected_options] == ["叶坪乡新时代文明实践所"]
    browser.find_element(By.ID, "f-title").clear()
    browser.find_element(By.ID, "f-title").send_keys(category + "上门服务")
    click_and_wait(browser, element=browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
    assert "/admin/menu/" in browser.current_url and not browser.current_url.endswith("/new")

    # The survey now counts one more item offered in that category.
    browser.open(survey_page)
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#needs tbody tr") if r.find_elements(By.TAG_NAME, "td")[0].text == category)
    assert int(row.find_elements(By.TAG_NAME, "td")[2].text) == offered + 1
