"""The iCalendar feeds, read by a real RFC 5545 parser (icalendar from PyPI)."""
import json
import urllib.request

import icalendar


def call(server, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(server + path, data=data, method=method, headers=headers)) as r:
        return r.read()


def test_site_and_personal_feeds_parse(server):
    site = icalendar.Calendar.from_ical(call(server, "GET", "/activities.ics"))
    summaries = {str(e.get("summary")) for e in site.walk("VEVENT")}
    assert "独居老人理发与探访" in summaries
    assert "妇联亲子阅读会" not in summaries  # still awaiting review
    event = next(e for e in site.walk("VEVENT") if str(e.get("summary")) == "独居老人理发与探访")
    assert event.decoded("dtend") > event.decoded("dtstart")
    assert event.get("geo") is not None

    token = json.loads(call(server, "POST", "/api/v1/auth/token", {"username": "volunteer", "password": "Diandan2026"}))["token"]
    activities = json.loads(call(server, "GET", "/api/v1/activities?per_page=100"))["items"]
    target = next(a for a in activities if a["title"] == "独居老人理发与探访")
    call(server, "POST", f"/api/v1/activities/{target['id']}/signup", {}, token)
    url = json.loads(call(server, "GET", "/api/v1/me/calendar", token=token))["url"]
    mine = icalendar.Calendar.from_ical(call(server, "GET", url.split(server)[1]))
    events = {str(e.get("uid")): e for e in mine.walk("VEVENT")}
    assert f"activity-{target['id']}@diandan" in events
    assert str(events[f"activity-{target['id']}@diandan"].get("status")) == "CONFIRMED"


def test_the_demo_county_has_a_project_and_perks(server):
    projects = json.loads(call(server, "GET", "/api/v1/projects"))
    project = next(p for p in projects if p["title"] == "叶坪红色故事汇")
    full = json.loads(call(server, "GET", f"/api/v1/projects/{project['id']}"))
    assert full["awards"][0]["amount"] == 5000
    assert full["totals"]["activities"] == 1
    token = json.loads(call(server, "POST", "/api/v1/auth/token", {"username": "volunteer", "password": "Diandan2026"}))["token"]
    titles = {p["title"] for p in json.loads(call(server, "GET", "/api/v1/perks", token=token))}
    assert {"免费乘坐城区公交一次", "志愿者健康体检一次"} <= titles
