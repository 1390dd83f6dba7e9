"""Open311 GeoReport v2 as the spec (http://wiki.open311.org/GeoReport_v2) writes it, checked with the
client libraries where they can say it (civicbot posts, georeport reads) and requests where they
cannot (headers, other methods, raw number text). Each test names what a probe of the server found
(issue 17): tokens that were the client's own keys, media_url dropped, contact fields required,
errors in the wrong shape, float noise in coordinates, services listed that could not be ordered."""
import json
import re
import xml.etree.ElementTree as ET

import pytest
import requests
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from conftest import DEMO_PASSWORD

STATION = "360781201001"  # 叶坪村 station of the demo county (lat 25.906 in the seed)
COUNTY = "360781"
# Where the demo seed puts the centre and the institutes (DemoSeeder.run); a POST to a
# jurisdiction that is not a station is placed near these.
SEED_COORDINATES = {
    "360781": (25.8857, 116.0270),
    "360781101": (25.8820, 116.0160),
    "360781201": (25.9200, 116.1000),
    "360781301": (25.8560, 115.9840),
    "360781401": (26.0400, 116.0900),
}
PERSON = {"first_name": "秀英", "last_name": "刘", "phone": "13900139000"}


def signed_in(base, username):
    s = requests.Session()
    page = s.get(base + "/login").text
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    r = s.post(base + "/login", data={"_csrf": token, "username": username, "password": DEMO_PASSWORD, "next": ""})
    assert r.status_code == 200, r.text[:500]
    return s


def issue_key(base, name="12345 热线"):
    admin = signed_in(base, "admin")
    form = admin.get(base + "/admin/integrations/new").text
    token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    county = re.search(r'<select[^>]*name="site_id"[^>]*>.*?<option value="(\d+)"', form, re.S).group(1)
    page = admin.post(base + "/admin/integrations", data={"_csrf": token, "name": name, "site_id": county}).text
    return re.search(r"dd311_[A-Za-z0-9_-]+", page).group(0)


def client(base, jurisdiction=STATION):
    endpoint = Endpoint(id="diandan", name="Diandan", base_url=base + "/open311/v2", write=True)
    return Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)), jurisdiction_id=jurisdiction)


def post(base, key, headers=None, **form):
    data = {"api_key": key, "jurisdiction_id": STATION, "service_code": "M2", "address_string": "叶坪村二组8号", **form}
    return requests.post(base + "/open311/v2/requests.json", data={k: v for k, v in data.items() if v is not None}, headers=headers or {})


def assert_error_document(r, fmt):
    """The spec's error shape: a list of {code, description} in JSON, <errors><error>… in XML."""
    if fmt == "xml":
        assert r.headers["Content-Type"].startswith("text/xml"), r.headers
        root = ET.fromstring(r.content)
        assert root.tag == "errors", r.text
        errors = root.findall("error")
        assert errors and all(e.findtext("code") and e.findtext("description") for e in errors), r.text
    else:
        assert r.headers["Content-Type"].startswith("application/json"), r.headers
        body = r.json()
        assert isinstance(body, list) and body, r.text
        assert all(set(e) >= {"code", "description"} and e["description"] for e in body), r.text


@pytest.fixture(scope="module")
def keys(own_server):
    return issue_key(own_server, "12345 热线"), issue_key(own_server, "县融媒体中心")


# 1. A token names one request, whoever else uses the same words.

def test_a_token_resolves_to_the_request_it_was_given_for(own_server, keys):
    base = own_server
    answers = []
    for key in keys:
        r = post(base, key, headers={"Idempotency-Key": "retry-1"}, description="同一个幂等键", **PERSON)
        assert r.status_code in (200, 201), r.text
        answers.append(r.json()[0])
    assert answers[0]["service_request_id"] != answers[1]["service_request_id"]
    tokens = [a.get("token") for a in answers]
    if all(tokens):
        assert tokens[0] != tokens[1], "two integrations got the same token"
    for a in answers:
        if a.get("token"):
            # The token is the server's, not the client's retry key echoed back.
            assert a["token"] != "retry-1"
            resolved = client(base).get_token(a["token"])
            assert resolved[0]["service_request_id"] == a["service_request_id"]


def test_an_app_idempotency_key_is_no_open311_token(own_server):
    base = own_server
    bearer = requests.post(base + "/api/v1/auth/token", json={"username": "resident", "password": DEMO_PASSWORD}).json()["token"]
    r = requests.post(base + "/api/v1/orders", headers={"Authorization": "Bearer " + bearer, "Idempotency-Key": "open311:from-the-app"},
                      json={"menu_item_id": "2", "station_id": "8", "address": "叶坪村三组", "contact_name": "居民", "contact_phone": "13700137000"})
    assert r.status_code in (200, 201), r.text
    t = requests.get(base + "/open311/v2/tokens/from-the-app.json")
    assert t.status_code == 404, t.text
    assert_error_document(t, "json")


# 2. media_url is kept and given back.

def test_media_url_posted_is_media_url_read(own_server, keys):
    base = own_server
    url = "https://example.org/photos/lamp-42.jpg"
    sent = client(base).create_request("M2", dry_run=False, confirm=CONFIRM_TOKEN, api_key=keys[0], validate_remote=True,
                                       address_string="叶坪村二组8号", description="路灯坏了", media_url=url, **PERSON)
    number = sent.response[0]["service_request_id"]
    r = requests.get(f"{base}/open311/v2/requests/{number}.json", params={"api_key": keys[0]})
    assert r.json()[0]["media_url"] == url, r.text


# 3. Contact fields are optional; an e-mail or a landline is a way to reach someone.

@pytest.mark.parametrize("contact", [
    {"email": "xiuying@example.org"},
    {"email": "xiuying@example.org", "first_name": "Xiuying", "last_name": "Liu"},
    {"first_name": "秀英", "last_name": "刘", "phone": "0797-1234567"},  # a Ruijin landline
], ids=["email", "email-and-name", "landline"])
def test_contact_fields_are_optional(own_server, keys, contact):
    try:
        sent = client(own_server).create_request("M2", dry_run=False, confirm=CONFIRM_TOKEN, api_key=keys[0], validate_remote=True,
                                                 address_string="叶坪村二组8号", description="联系方式测试", **contact)
    except HttpError as e:
        pytest.fail(f"refused: {e.status} {e.body}")
    assert sent.response[0]["service_request_id"]


def test_someone_to_call_back_is_needed_and_said_so(own_server, keys):
    """Nobody to call back at all (no phone, no e-mail): refused, the spec's error naming the field."""
    r = post(own_server, keys[0], description="没有联系方式")
    assert r.status_code == 400, r.text
    assert any(e["description"].startswith("phone:") for e in r.json()), r.text


# 4. Every error under /open311/v2 is the spec's error document, in the format asked for.

@pytest.mark.parametrize("method,path,statuses", [
    ("GET", "/open311/v2/nothing.json", {404}),
    ("GET", "/open311/v2/nothing.xml", {404}),
    ("GET", "/open311/v2/a/b/c.json", {404}),
    ("GET", "/open311/v2/a/b/c.xml", {404}),
    ("GET", "/open311/v2/requests/XYZ.xml", {404}),
    # A method the resource does not have: 400 by the spec's "400 for any other error", or 405.
    ("GET", "/open311/v2", {404}),
    # A method no resource here has: 405, with the methods that are served.
    ("DELETE", "/open311/v2/requests.json", {405}),
    ("PUT", "/open311/v2/requests.json", {405}),
    ("PATCH", "/open311/v2/requests/XYZ.xml", {405}),
    ("DELETE", "/open311/v2/requests/XYZ.xml", {405}),
    ("OPTIONS", "/open311/v2/requests.json", {405}),
    ("POST", "/open311/v2/services.json", {404}),
])
def test_errors_have_the_spec_shape(own_server, method, path, statuses):
    r = requests.request(method, own_server + path)
    assert r.status_code in statuses, (r.status_code, r.text)
    if r.status_code == 405:
        assert r.headers.get("Allow") == "GET, POST", r.headers
    assert_error_document(r, "xml" if path.endswith(".xml") else "json")


# 5. Coordinates are written as numbers people wrote, not binary noise.

def test_coordinates_have_no_float_noise(own_server, keys):
    base = own_server
    assert post(base, keys[0], description="坐标测试", **PERSON).status_code in (200, 201)
    noisy = re.compile(r"\.\d{9,}")
    for params in ({}, {"api_key": keys[0]}):
        text = requests.get(base + "/open311/v2/requests.json", params=params).text
        coordinates = re.findall(r'"(?:lat|long)":(-?[0-9.eE+-]+)', text)
        assert coordinates
        assert not [c for c in coordinates if noisy.search(c)], sorted(set(c for c in coordinates if noisy.search(c)))[:5]
        xml = requests.get(base + "/open311/v2/requests.xml", params=params).text
        assert not re.findall(r"<(lat|long)>[-0-9]+\.\d{9,}</", xml)
    reader = GeoReport(base + "/open311/v2", jurisdiction=STATION)
    for r in reader.get_service_requests():
        assert len(str(r["lat"]).split(".")[-1]) <= 8 and len(str(r["long"]).split(".")[-1]) <= 8, r


# 6. What services.json lists in a jurisdiction, a POST in that jurisdiction accepts.

def test_every_listed_service_can_be_requested_in_its_jurisdiction(own_server, keys):
    base = own_server
    refused = []
    for site in requests.get(base + "/api/v1/sites").json():
        code = site["code"]
        lat, lon = SEED_COORDINATES.get(code, SEED_COORDINATES[COUNTY])
        for service in GeoReport(base + "/open311/v2", jurisdiction=code).get_service_list():
            form = dict(PERSON, jurisdiction_id=code, service_code=service["service_code"], description="辖区一致性",
                        address_string="某村某组")
            if site["kind"] != "station":
                form.update(lat=str(lat), long=str(lon))
            r = post(base, keys[0], **form)
            if r.status_code >= 400:
                refused.append((code, service["service_code"], r.status_code, r.text[:120]))
    assert not refused, refused


def test_a_client_that_checks_the_service_list_is_not_refused_at_the_county(own_server, keys):
    """civicbot's validate_remote checks the code against services.json before posting."""
    county = client(own_server, COUNTY)
    menu = [s["service_code"] for s in county.list_services() if s["service_code"].startswith("M")]
    lat, lon = SEED_COORDINATES[COUNTY]
    for code in menu:
        try:
            county.create_request(code, dry_run=False, confirm=CONFIRM_TOKEN, api_key=keys[0], validate_remote=True,
                                  lat=lat, lng=lon, address_string="瑞金市", description="县级辖区", **PERSON)
        except HttpError as e:
            pytest.fail(f"{code} listed at {COUNTY} but refused: {e.status} {e.body}")


# 7. Smaller disagreements with the spec's text.

def test_an_address_string_is_a_full_location_in_any_jurisdiction(own_server, keys):
    r = post(own_server, keys[0], jurisdiction_id="360781201", service_code="M2", description="只有地址", **PERSON)
    assert r.status_code in (200, 201), r.text


def test_unknown_jurisdiction_or_service_code_is_404(own_server, keys):
    r = requests.get(own_server + "/open311/v2/services/M2.json", params={"jurisdiction_id": "sfgov.org"})
    assert r.status_code == 404, r.text
    r = post(own_server, keys[0], service_code="M999", **PERSON)
    assert r.status_code == 404, r.text
    assert_error_document(r, "json")


def test_a_description_of_4000_characters_is_accepted(own_server, keys):
    r = post(own_server, keys[0], description="路" * 4000, **PERSON)
    assert r.status_code in (200, 201), r.text
