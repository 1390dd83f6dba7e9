"""Uploads against the real server (the in-process test client hands handlers bodies already in memory):
found by probing, 40 MB multipart bodies were read and parsed before the caller, the form's token and
the right to act on the order were checked, and four 20 MB requests without sign-in left /health
unanswered for about 70 s. Now the body is not read until those checks pass, then streamed to its
limit and parsed off the event loop, a few at a time."""
import socket
import threading
import time
from urllib.parse import urlparse

import requests

from conftest import DEMO_PASSWORD

STATION = "360781201001"
TEAM = "瑞金市妇联志愿服务队"
BOUNDARY = "diandan-probe"


def token(base, username):
    r = requests.post(base + "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 201, r.text
    return {"Authorization": "Bearer " + r.json()["token"]}


def order_in_service(base):
    """An order off the menu at 叶坪村, dispatched to the leader's team, accepted and started."""
    resident, admin, leader = token(base, "resident"), token(base, "yeping"), token(base, "leader")
    station = next(s["id"] for s in requests.get(base + "/api/v1/sites").json() if s["code"] == STATION)
    placed = requests.post(base + "/api/v1/orders", headers=resident, json={
        "category_id": 1, "details": "想请人来修修收音机", "station_id": station, "address": "叶坪村三组", "contact_name": "钟奶奶",
        "contact_phone": "13907970022"})
    assert placed.status_code == 201, placed.text
    oid = placed.json()["id"]
    team = next(s["team_id"] for s in requests.get(f"{base}/api/v1/orders/{oid}/suggestions", headers=admin).json() if s["team_name"] == TEAM)
    assert requests.post(f"{base}/api/v1/orders/{oid}/dispatch", headers=admin, json={"team_id": team}).status_code == 200
    for step in ("accept", "start"):
        r = requests.post(f"{base}/api/v1/orders/{oid}/{step}", headers=leader, json={})
        assert r.status_code == 200, r.text
    return oid, leader


def send_head_and_a_little(base, path, headers, total):
    """Sends a request's head saying `total` bytes follow, then only 64 KB of them, and reads what
    the server answers meanwhile: it must answer without waiting for the rest."""
    url = urlparse(base)
    s = socket.create_connection((url.hostname, url.port), timeout=10)
    head = [f"POST {path} HTTP/1.1", f"Host: {url.hostname}:{url.port}", f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
            f"Content-Length: {total}"] + [f"{k}: {v}" for k, v in headers.items()]
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    s.sendall((f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photos[]\"; filename=\"a.jpg\"\r\n\r\n").encode() + b"\xff" * 65536)
    started = time.monotonic()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        s.close()
    return answer.split(b"\r\n", 1)[0].decode(), time.monotonic() - started


def test_an_upload_is_refused_before_its_body_is_read(own_server):
    base = own_server
    oid, leader = order_in_service(base)
    resident = token(base, "resident")
    cases = [
        ("/api/v1/orders/999999/complete", {}, "401"),          # nobody
        (f"/api/v1/orders/{oid}/complete", {}, "401"),
        (f"/api/v1/orders/{oid}/complete", resident, "403"),     # the requester may not complete it
        ("/api/v1/orders/999999/complete", leader, "404"),       # an order that does not exist
        (f"/orders/{oid}/complete", {}, "303"),                  # the page, signed out: to the sign-in page
        (f"/orders/{oid}/showcase", {}, "303"),
    ]
    for path, headers, status in cases:
        line, waited = send_head_and_a_little(base, path, headers, 20_000_000)
        # Answered, though 19.9 MB of the body were never sent.
        assert f" {status} " in line, (path, line)
    assert requests.get(base + "/health", timeout=5).status_code == 200


def test_health_answers_while_large_uploads_arrive(own_server):
    """Four uploads of 25 MB by the serving leader (each allowed, so each is read): they are read in
    turn and parsed off the event loop; /health answers all the while."""
    base = own_server
    oid, leader = order_in_service(base)
    junk = b"\xff\xd8\xff" + b"\x00" * (4 * 1024 * 1024)
    files = [("photos[]", (f"p{i}.jpg", junk, "image/jpeg")) for i in range(6)]
    answers = []

    def upload():
        r = requests.post(f"{base}/api/v1/orders/{oid}/complete", headers=leader, data={"volunteer_ids[]": "1", "hours_1": "2"},
                          files=files, timeout=120)
        answers.append(r.status_code)

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for t in threads:
        t.start()
    health = []
    while any(t.is_alive() for t in threads):
        health.append(requests.get(base + "/health", timeout=15).status_code)
        time.sleep(0.2)
    for t in threads:
        t.join()
    assert health and all(h == 200 for h in health), health
    # Refused as what they are (photos that are not images, a volunteer not of the team), never a crash.
    assert answers and all(400 <= a < 500 or a == 503 for a in answers), answers
