"""Activities in the browser: a volunteer signs up on a phone, the organiser shows the QR code,
the phone "scans" it (the code is decoded with zbarimg) and checks in at the activity's place."""
import json
import os
import subprocess
import tempfile
import urllib.request

from selenium.webdriver.common.by import By

from conftest import make_driver, Browser
from test_foundation import click_and_wait, login

ACTIVITY = "叶坪革命旧址义务讲解"


def fetch(server, path, cookies=None):
    headers = {"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in cookies)} if cookies else {}
    with urllib.request.urlopen(urllib.request.Request(server + path, headers=headers)) as r:
        return r.read()


def decode_png(data):
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(data)
        f.flush()
        return subprocess.check_output(["zbarimg", "-q", "--raw", f.name]).decode().strip()


def test_sign_up_on_a_phone_and_check_in_by_qr_code(server, phone):
    # 报名: on a phone, from the public list.
    login(phone, "volunteer")
    phone.open("/activities")
    click_and_wait(phone, element=phone.find_element(By.LINK_TEXT, ACTIVITY))
    activity_path = phone.current_url.split(server)[1]
    activity_id = activity_path.rstrip("/").split("/")[-1]
    click_and_wait(phone, "do-signup")
    assert "报名成功" in phone.find_element(By.ID, "my-signup").text
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390

    # The organiser's page shows the rotating code; the phone's camera is zbarimg here.
    admin = Browser(make_driver(), server)
    try:
        login(admin, "yeping")
        admin.open(activity_path)
        src = admin.find_element(By.ID, "qr-in").get_attribute("src").split(server)[1]
        url = decode_png(fetch(server, src + "?format=png", admin.get_cookies()))
        assert url.startswith(server + f"/activities/{activity_id}/check?k=in&t=")
        assert admin.errors == []
    finally:
        admin.driver.quit()

    # 签到: the phone opens the scanned link and shares its location — first from too far away,
    # then at the place.
    place = json.loads(fetch(server, f"/api/v1/activities/{activity_id}"))
    phone.execute_cdp_cmd("Browser.grantPermissions", {"origin": server, "permissions": ["geolocation"]})
    phone.execute_cdp_cmd("Emulation.setGeolocationOverride",
                          {"latitude": place["latitude"] + 0.01, "longitude": place["longitude"], "accuracy": 10})
    phone.open(url.split(server)[1])
    click_and_wait(phone, "do-check")
    assert "超出 200 米" in phone.find_element(By.ID, "check-message").text
    phone.execute_cdp_cmd("Emulation.setGeolocationOverride",
                          {"latitude": place["latitude"] + 0.0004, "longitude": place["longitude"], "accuracy": 10})
    click_and_wait(phone, "do-check")
    assert "签到成功" in phone.find_element(By.ID, "check-message").text
