"""The showcase (志愿风采) in the browser: a station admin publishes an ended activity with a photo;
the post page carries Open Graph tags for chat-app previews, its photo has lost where it was taken,
and the Atom feeds — read by feedparser, a real parser from PyPI — validate and hold the post."""
import os
import struct
import tempfile
import zlib

import feedparser
import requests
from html.parser import HTMLParser
from selenium.webdriver.common.by import By

from conftest import DEMO_PASSWORD
from test_foundation import click_and_wait, login

STATION = "360781201001"
DEMO_TITLE = "重阳节，敬老院里歌声暖"


def png_with_location():
    """A 2×2 PNG whose text chunk says where it was taken, as some phones write it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xc0\x39\x2b" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Location\x00GPS 25.9200,116.1000") + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("property", "").startswith(("og:", "article:")):
            self.tags[a["property"]] = a.get("content")


def feed(base, path):
    r = requests.get(base + path)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/atom+xml"), r.text[:300]
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_feeds_validate_as_atom(server):
    sites = requests.get(server + "/api/v1/sites").json()
    station = next(s["id"] for s in sites if s["code"] == STATION)
    other = next(s["id"] for s in sites if s["code"] == "360781201002")
    everything = feed(server, "/showcase/feed.atom")
    assert "志愿风采" in everything.feed.title
    assert DEMO_TITLE in [e.title for e in everything.entries]
    entry = next(e for e in everything.entries if e.title == DEMO_TITLE)
    assert entry.link.startswith(server + "/showcase/posts/") and entry.published_parsed and entry.author
    assert "采茶戏" in entry.summary
    assert DEMO_TITLE in [e.title for e in feed(server, f"/showcase/{station}/feed.atom").entries]
    # Another station's feed is empty, and still a valid feed.
    assert feed(server, f"/showcase/{other}/feed.atom").entries == []


def test_an_admin_publishes_an_ended_activity_with_a_photo(server, browser):
    token = requests.post(server + "/api/v1/auth/token", json={"username": "yeping", "password": DEMO_PASSWORD}).json()["token"]
    items = requests.get(server + "/api/v1/activities", params={"from": "2020-01-01"}, headers={"Authorization": f"Bearer {token}"}).json()["items"]
    activity = next(a["id"] for a in items if a["title"] == "重阳节敬老院文艺演出")
    login(browser, "yeping")
    browser.open(f"/activities/{activity}")
    click_and_wait(browser, "activity-showcase")
    title = browser.find_element(By.ID, "f-title")
    title.clear()
    title.send_keys("重阳节文艺演出进敬老院")
    story = browser.find_element(By.ID, "f-story")
    story.clear()
    story.send_keys("文艺志愿者为老人们表演了采茶戏，演出后陪老人聊天。")
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
        f.write(png_with_location())
    try:
        browser.find_element(By.ID, "f-photos").send_keys(f.name)
        # Without the check for minors' faces the photo is not taken.
        click_and_wait(browser, "publish-submit")
        assert "未成年人" in browser.find_element(By.ID, "err-photos").text
        browser.find_element(By.ID, "f-photos").send_keys(f.name)
        browser.find_element(By.ID, "f-photos_checked").click()
        click_and_wait(browser, "publish-submit")
    finally:
        os.unlink(f.name)
    assert "/showcase/posts/" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "重阳节文艺演出进敬老院"

    # What a chat app reads when the link is shared.
    page = requests.get(browser.current_url)
    meta = Meta()
    meta.feed(page.text)
    assert meta.tags["og:title"] == "重阳节文艺演出进敬老院"
    assert meta.tags["og:type"] == "article" and meta.tags["og:url"] == browser.current_url
    assert meta.tags["og:description"].startswith("文艺志愿者")
    image = requests.get(meta.tags["og:image"])
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and b"GPS" not in image.content and b"IDAT" in image.content
    # The demo's post was replaced, not doubled; the feed carries the new one with its photo.
    entries = feed(server, "/showcase/feed.atom").entries
    assert [e.title for e in entries].count("重阳节文艺演出进敬老院") == 1 and DEMO_TITLE not in [e.title for e in entries]
    assert meta.tags["og:image"] in next(e for e in entries if e.title == "重阳节文艺演出进敬老院").content[0].value
