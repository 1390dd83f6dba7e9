"""Limits only a real server enforces: bodies past 1 MB are refused whole, before anything reads
them, with a message (the in-process test client hands the handlers bodies already in memory)."""
import requests

from conftest import DEMO_PASSWORD


def test_oversized_bodies_are_refused_with_a_message(own_server):
    base = own_server
    token = requests.post(base + "/api/v1/auth/token", json={"username": "resident", "password": DEMO_PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    before = requests.get(base + "/api/v1/orders", headers=auth).json()["total"]
    huge = {"station_id": 1, "category_id": 1, "details": "x", "address": "x", "contact_name": "王", "contact_phone": "13800138000",
            "notes": "长" * 700_000}
    r = requests.post(base + "/api/v1/orders", headers=auth, json=huge)
    assert r.status_code in (400, 413), r.status_code
    assert r.json()["message"]
    assert requests.get(base + "/api/v1/orders", headers=auth).json()["total"] == before
    form = requests.post(base + "/login", data={"username": "a" * 2_000_000, "password": "x"})
    assert form.status_code in (400, 413), form.status_code
