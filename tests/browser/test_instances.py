"""Two `serve` processes on one database behave as one: orders placed through either escalate once,
and each notice reaches the inbox and the integration's webhook exactly once, although both
processes run the deadline scanner, the notice dispatcher and the webhook sender every second.
On SQLite (one file) and, when the suite has one, on PostgreSQL (one schema)."""
import hashlib
import hmac
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from conftest import DEMO_PASSWORD, start_server
from test_open311 import signed_in

STATION = "360781101001"  # 红都社区, an urban station: its deadline is DIANDAN_URBAN_RESPONSE_MINUTES
ORDERS = 12
# The webhook receiver listens on this machine: private targets allowed for these servers.
FAST = dict(DIANDAN_SCAN_SECONDS="1", DIANDAN_OUTBOX_SECONDS="1", DIANDAN_DELIVERY_SECONDS="1", DIANDAN_URBAN_RESPONSE_MINUTES="1",
            DIANDAN_WEBHOOK_ALLOW_PRIVATE="true")


class Receiver(BaseHTTPRequestHandler):
    calls = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        with Receiver.lock:
            Receiver.calls.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def issue_key_with_webhook(base, url):
    admin = signed_in(base, "admin")
    form = admin.get(base + "/admin/integrations/new").text
    token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    county = re.search(r'<select[^>]*name="site_id"[^>]*>.*?<option value="(\d+)"', form, re.S).group(1)
    page = admin.post(base + "/admin/integrations", data={"_csrf": token, "name": "市民热线", "site_id": county, "webhook_url": url}).text
    return re.search(r"dd311_[A-Za-z0-9_-]+", page).group(0), re.search(r"whsec_[A-Za-z0-9_-]+", page).group(0)


def events(base, token, number):
    auth = {"Authorization": f"Bearer {token}"}
    listed = requests.get(base + "/api/v1/orders", headers=auth, params={"per_page": 100}).json()["items"]
    oid = next(o["id"] for o in listed if o["number"] == number)
    return [e["action"] for e in requests.get(base + f"/api/v1/orders/{oid}", headers=auth).json()["events"]]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_two_serve_processes_act_as_one(store):
    pg = os.environ.get("TEST_DATABASE_URL")
    if store == "postgres" and not pg:
        pytest.skip("no PostgreSQL (TEST_DATABASE_URL) in this run")
    workdir = tempfile.mkdtemp(prefix="diandan-twins-")
    schema = "twins_" + uuid.uuid4().hex[:12]
    where = dict(sqlite_path=os.path.join(workdir, "one.sqlite")) if store == "sqlite" else dict(database_url=pg, DIANDAN_PG_SCHEMA=schema)
    if store == "postgres":
        subprocess.run(["psql", pg, "-qc", f"CREATE SCHEMA {schema}"], check=True)
    Receiver.calls = []
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    # The second starts once the first has migrated and seeded the database.
    first = start_server(**where, **FAST)
    a = next(first)
    second = start_server(**where, **FAST)
    b = next(second)
    try:
        key, secret = issue_key_with_webhook(a, f"http://127.0.0.1:{hook.server_port}/hook")
        services = requests.get(a + "/open311/v2/services.json", params={"jurisdiction_id": STATION}).json()
        off_menu = next(s["service_code"] for s in services if s["service_code"].startswith("C"))
        numbers = []
        for i in range(ORDERS):
            base = a if i % 2 == 0 else b
            r = requests.post(base + "/open311/v2/requests.json", data={
                "api_key": key, "service_code": off_menu, "jurisdiction_id": STATION, "address_string": f"红都社区{i}号",
                "first_name": "大妈", "last_name": "李", "phone": "13800138000", "description": f"第{i}件事：需要人帮忙"})
            assert r.status_code == 201, r.text
            numbers.append(r.json()[0]["service_request_id"])

        # The deadline is a minute; both scanners look every second.
        token = requests.post(a + "/api/v1/auth/token", json={"username": "admin", "password": DEMO_PASSWORD}).json()["token"]
        deadline = time.time() + 150
        while time.time() < deadline:
            if all("escalate" in events(a, token, n) for n in numbers):
                break
            time.sleep(2)
        time.sleep(5)  # the dispatchers and senders catch up
        for n in numbers:
            assert Counter(events(b, token, n))["escalate"] == 1, (n, events(b, token, n))

        # Each webhook event once, signed; the institute's admin told once per order.
        with Receiver.lock:
            calls = list(Receiver.calls)
        ids = Counter(h["X-Diandan-Delivery"] for h, _ in calls)
        assert ids and max(ids.values()) == 1, [i for i, c in ids.items() if c > 1]
        for headers, body in calls:
            signed = hmac.new(secret.encode(), f'{headers["X-Diandan-Timestamp"]}.{body}'.encode(), hashlib.sha256).hexdigest()
            assert headers["X-Diandan-Signature"] == "sha256=" + signed
        per_order = Counter((json.loads(body)["order"]["service_request_id"], json.loads(body)["event"]) for _, body in calls)
        for n in numbers:
            assert per_order[(n, "order.submitted")] == 1, per_order
            assert per_order[(n, "order.escalated")] == 1, per_order
        xianghu = requests.post(a + "/api/v1/auth/token", json={"username": "xianghu", "password": DEMO_PASSWORD}).json()["token"]
        inbox = requests.get(b + "/api/v1/notifications", headers={"Authorization": f"Bearer {xianghu}"}).json()["items"]
        escalated = Counter(item["order_id"] for item in inbox if item["topic"] == "order.escalated")
        assert len(escalated) == ORDERS and set(escalated.values()) == {1}, escalated
    finally:
        next(second, None)
        next(first, None)
        hook.shutdown()
        if store == "postgres":
            subprocess.run(["psql", pg, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE"], check=False, capture_output=True)
