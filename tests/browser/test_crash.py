"""Crash safety: the server takes many concurrent order creations and volunteer registrations, is
killed with SIGKILL in the middle, and is started again on the same database. Every request that was
answered with success is stored exactly once (retrying it with its Idempotency-Key finds it, and a
registration's ID number is taken), the unanswered ones are stored at most once (their retry either
finds them or makes them), nothing is half-written (`diandan check`: integrity, timelines, facts,
rollups, hours, points) — on SQLite and on PostgreSQL. The counts it checked are printed."""
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import DEMO_PASSWORD, ROOT, free_port

STATION = "360781201001"
ORDERS = 400
REGISTRATIONS = 200
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(rng):
    """A valid GB 11643 number of someone born 1970-1999 in Ruijin."""
    body = "360781" + f"{rng.randint(1970, 1999)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + f"{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


class Server:
    def __init__(self, env, say=print):
        self.say = say
        self.binary = os.environ.get("DIANDAN_BIN") or os.path.join(ROOT, ".build", "debug", "diandan")
        self.env = env
        self.proc = None

    def start(self):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)
        self.proc = subprocess.Popen([self.binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=self.env,
                                     cwd=self.env["WORKDIR"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/ready", timeout=1).status == 200:
                    return self.base
            except OSError:
                time.sleep(0.2)
            assert self.proc.poll() is None, open(self.log.name).read()
        raise RuntimeError("server did not become ready")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def check(self):
        run = subprocess.run([self.binary, "check"], env=self.env, cwd=self.env["WORKDIR"], capture_output=True, text=True, timeout=300)
        self.say("diandan check: " + run.stdout.strip().replace("\n", " / "))
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout


@pytest.mark.parametrize("store", ["sqlite", "sqlite-group-commit", "postgres"])
def test_a_killed_server_loses_nothing_it_answered(store, capsys):
    pg = os.environ.get("TEST_DATABASE_URL")
    if store == "postgres" and not pg:
        pytest.skip("no PostgreSQL (TEST_DATABASE_URL) in this run")
    workdir = tempfile.mkdtemp(prefix="diandan-crash-")
    schema = "crash_" + uuid.uuid4().hex[:12]
    env = dict(os.environ, WORKDIR=workdir, DIANDAN_SQLITE_PATH=os.path.join(workdir, "crash.sqlite"), DIANDAN_RESOURCES_DIR=ROOT + "/",
               DIANDAN_BCRYPT_COST="4", DIANDAN_SEED_DEMO="true", DIANDAN_RATE_LIMITS="off", LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    if store == "sqlite-group-commit":
        env["DIANDAN_GROUP_COMMIT"] = "on"
    if store == "postgres":
        subprocess.run(["psql", pg, "-qc", f"CREATE SCHEMA {schema}"], check=True)
        env.update(DATABASE_URL=pg, DIANDAN_PG_SCHEMA=schema)
    def say(text):
        # Shown in the suite's output even when the test passes: the counts it checked.
        with capsys.disabled():
            print(text, flush=True)

    server = Server(env, say)
    try:
        base = server.start()
        token = requests.post(base + "/api/v1/auth/token", json={"username": "resident", "password": DEMO_PASSWORD}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        station = next(s["id"] for s in requests.get(base + "/api/v1/sites").json() if s["code"] == STATION)
        services = requests.get(base + "/open311/v2/services.json", params={"jurisdiction_id": STATION}).json()
        # An auto-accepted item when there is one, so each order is also dispatched in its transaction.
        menu = [s for s in services if s["service_code"].startswith("M")]
        item = int(next((s for s in menu if s["type"] == "realtime"), menu[0])["service_code"][1:])
        before = requests.get(base + "/api/v1/orders", headers=auth).json()["total"]

        rng = random.Random(2026)
        keys = [f"crash-{i}" for i in range(ORDERS)]
        people = [dict(real_name=f"测试{i}", id_number=id_number(rng), phone=f"139{rng.randint(0, 99999999):08d}", site_id=station,
                       consent=True, skills=[]) for i in range(REGISTRATIONS)]
        assert len({p["id_number"] for p in people}) == REGISTRATIONS
        answered = {}  # key or ID number -> the order id, or True for a registration
        lock = threading.Lock()

        def order(key):
            body = {"menu_item_id": item, "station_id": station, "address": "叶坪村", "contact_name": "王大爷", "contact_phone": "13800138000"}
            try:
                r = requests.post(base + "/api/v1/orders", headers=dict(auth, **{"Idempotency-Key": key}), json=body, timeout=30)
            except requests.RequestException:
                return
            if r.status_code in (200, 201):
                with lock:
                    answered[key] = r.json()["id"]

        def register(p):
            try:
                r = requests.post(base + "/api/v1/volunteers", json=p, timeout=30)
            except requests.RequestException:
                return
            if r.status_code == 201:
                with lock:
                    answered[p["id_number"]] = True

        jobs = [(order, k) for k in keys] + [(register, p) for p in people]
        rng.shuffle(jobs)
        with ThreadPoolExecutor(max_workers=32) as pool:
            futures = [pool.submit(f, arg) for f, arg in jobs]
            # Kill it once a good share has been answered, with many requests in flight.
            deadline = time.time() + 60
            while len(answered) < (ORDERS + REGISTRATIONS) // 3 and time.time() < deadline:
                time.sleep(0.01)
            server.kill()
            for f in futures:
                f.result()
        answered_orders = {k: v for k, v in answered.items() if k.startswith("crash-")}
        answered_people = [p for p in people if p["id_number"] in answered]
        assert 0 < len(answered_orders) < ORDERS, "the kill must land mid-run"
        say(f"\n{store}: killed after {len(answered_orders)} of {ORDERS} orders and {len(answered_people)} of {REGISTRATIONS} registrations were answered")

        # Down: the database as the kill left it.
        report = server.check()
        assert "no problems" in report

        base = server.start()
        found = made = 0
        for k in keys:
            r = requests.post(base + "/api/v1/orders", headers=dict(auth, **{"Idempotency-Key": k}), json={
                "menu_item_id": item, "station_id": station, "address": "叶坪村", "contact_name": "王大爷", "contact_phone": "13800138000"})
            assert r.status_code in (200, 201), r.text
            if k in answered_orders:
                assert r.status_code == 200 and r.json()["id"] == answered_orders[k], f"answered order {k} was lost or doubled"
            found += r.status_code == 200
            made += r.status_code == 201
        total = requests.get(base + "/api/v1/orders", headers=auth).json()["total"]
        assert total - before == ORDERS, f"{total - before} orders for {ORDERS} keys"
        taken = 0
        for p in people:
            r = requests.post(base + "/api/v1/volunteers", json=p)
            if p in answered_people:
                assert r.status_code == 409, f"answered registration lost: {r.status_code}"
            assert r.status_code in (201, 409), r.text
            taken += r.status_code == 409
        for p in people:
            assert requests.post(base + "/api/v1/volunteers", json=p).status_code == 409
        server.stop()
        say(f"{store}: after the restart {found} orders were found stored (every one answered among them), {made} unanswered ones made anew; "
              f"{ORDERS} orders for {ORDERS} keys; {taken} registrations stored before the retry, {REGISTRATIONS} now, none twice")
        server.check()
    finally:
        server.stop()
        if store == "postgres":
            subprocess.run(["psql", pg, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE"], check=False, capture_output=True)
