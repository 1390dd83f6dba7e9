"""Open311 GeoReport v2 driven by real client libraries from PyPI: civicbot's Open311Client (JSON,
the only maintained Python client that posts requests) and georeport (reads, here in XML). A key
issued on the admin pages; the request posted through the library shows up in the station admin's
queue like any other order."""
import re

import requests
from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from conftest import DEMO_PASSWORD

STATION = "360781201001"  # 叶坪村 station of the demo county


def signed_in(base, username):
    s = requests.Session()
    page = s.get(base + "/login").text
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    r = s.post(base + "/login", data={"_csrf": token, "username": username, "password": DEMO_PASSWORD, "next": ""})
    assert r.status_code == 200, r.text[:500]
    return s


def issue_key(base):
    admin = signed_in(base, "admin")
    form = admin.get(base + "/admin/integrations/new").text
    token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    county = re.search(r'<select[^>]*name="site_id"[^>]*>.*?<option value="(\d+)"', form, re.S).group(1)
    page = admin.post(base + "/admin/integrations", data={"_csrf": token, "name": "12345 热线", "site_id": county}).text
    return re.search(r"dd311_[A-Za-z0-9_-]+", page).group(0)


def test_a_client_library_places_and_follows_a_request(own_server):
    base = own_server
    key = issue_key(base)
    endpoint = Endpoint(id="diandan", name="Diandan", base_url=base + "/open311/v2", write=True)
    client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)), jurisdiction_id=STATION)

    services = client.list_services()
    menu = [s for s in services if s["service_code"].startswith("M")]
    assert menu, services
    service = menu[0]
    definition = client.get_service_definition(service["service_code"])
    assert [a["code"] for a in definition["attributes"]] == ["window_start", "window_end", "people", "notes"]

    # validate_remote: the library checks the payload against our service list and definition.
    sent = client.create_request(service["service_code"], dry_run=False, confirm=CONFIRM_TOKEN, api_key=key, validate_remote=True,
                                 address_string="叶坪村二组8号", first_name="秀英", last_name="刘", phone="13900139000",
                                 description="家里老人想量量血压", attributes={"people": 2})
    answer = sent.response[0]
    number = answer["service_request_id"]
    assert number and answer["token"]

    followed = client.get_request(number)
    assert followed["status"] == "open"
    assert followed["service_code"] == service["service_code"]
    assert followed["service_name"] == service["service_name"]
    assert client.get_token(answer["token"])[0]["service_request_id"] == number
    assert number in [r["service_request_id"] for r in client.list_requests(status="open")]

    # georeport reads the same request as XML.
    reader = GeoReport(base + "/open311/v2", jurisdiction=STATION, output_format="xml")
    assert service["service_code"] in [s["service_code"] for s in reader.get_service_list()]
    single = reader.get_service_request(number)
    assert single["service_request_id"] == number and single["status"] == "open"
    listed = reader.get_service_requests(status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert number in [r["service_request_id"] for r in listed]

    # In the station admin's queue like any other order, marked as coming from Open311.
    queue = signed_in(base, "yeping").get(base + "/orders/queue").text
    assert number in queue

    # A revoked or wrong key is refused with the spec's error list.
    r = requests.post(base + "/open311/v2/requests.json", data={"api_key": "dd311_wrong", "service_code": service["service_code"],
                                                                 "jurisdiction_id": STATION, "address_string": "x"})
    assert r.status_code == 403
    assert r.json()[0]["code"] == 403 and r.json()[0]["description"]
