"""Micro-wishes in the browser: a resident posts a wish on a phone, a volunteer claims it."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import make_driver, Browser
from test_foundation import click_and_wait, login


def test_a_resident_posts_a_wish_and_a_volunteer_claims_it(server, phone):
    login(phone, "resident")
    phone.open("/wishes")
    click_and_wait(phone, "new-wish")
    phone.find_element(By.ID, "f-title").send_keys("想学用智能手机视频通话")
    Select(phone.find_element(By.ID, "f-site_id")).select_by_visible_text("叶坪村新时代文明实践站")
    phone.find_element(By.ID, "f-description").send_keys("孩子在外地打工，想和他视频")
    click_and_wait(phone, "wish-submit")
    wish_path = phone.current_url.split(server)[1]
    assert phone.find_element(By.ID, "wish-status").text == "待认领"
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390

    volunteer = Browser(make_driver(mobile=True), server)
    try:
        login(volunteer, "volunteer")
        volunteer.open("/wishes")
        click_and_wait(volunteer, element=volunteer.find_element(By.LINK_TEXT, "想学用智能手机视频通话"))
        click_and_wait(volunteer, "do-claim")
        assert volunteer.find_element(By.ID, "wish-status").text == "已认领"
        volunteer.find_element(By.ID, "fulfil-note").send_keys("上门教会了微信视频")
        click_and_wait(volunteer, "do-fulfil")
        assert volunteer.find_element(By.ID, "wish-status").text == "待确认"
        assert volunteer.errors == []
    finally:
        volunteer.driver.quit()

    phone.open(wish_path)
    assert "上门教会了微信视频" in phone.find_element(By.ID, "wish-note").text
    click_and_wait(phone, "do-confirm")
    assert phone.find_element(By.ID, "wish-status").text == "已圆梦"
