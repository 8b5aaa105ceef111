"""Install and offline: the manifest, the icons, the service worker and the offline page."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import text_of

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def manifest(client, **kw) -> dict:
    response = client.get("/manifest.webmanifest", **kw)
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    return json.loads(response.get_data(as_text=True))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (signature, then the IHDR chunk)."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def sw_version(client) -> str:
    body = client.get("/sw.js").get_data(as_text=True)
    return re.search(r'const VERSION = "([0-9a-f]+)"', body).group(1)


# -- the manifest -----------------------------------------------------------------------------


def test_manifest_has_what_an_install_needs(client):
    data = manifest(client)
    assert data["start_url"] == "/diary/"
    assert data["scope"] == "/"
    assert data["id"] == "/diary/"
    assert data["display"] == "standalone"
    assert data["name"] == "Baby diary" and data["short_name"] == "Diary"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])
    dark = data["color_scheme_dark"]
    assert dark["theme_color"] != data["theme_color"] and dark["background_color"] != data["background_color"]
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    } <= purposes


@pytest.mark.parametrize(
    "lang, name, short", [("fi", "Vauvapäiväkirja", "Päiväkirja"), ("sv", "Babydagbok", "Dagbok")]
)
def test_manifest_speaks_the_browsers_language(client, lang, name, short):
    data = manifest(client, headers={"Accept-Language": f"{lang};q=1, en;q=0.5"})
    assert (data["name"], data["short_name"], data["lang"]) == (name, short, lang)
    assert "Accept-Language" in client.get("/manifest.webmanifest").headers["Vary"]


@pytest.mark.parametrize("lang, name", [("fi", "Vauvapäiväkirja"), ("sv", "Babydagbok")])
def test_manifest_language_in_its_url_wins_and_is_not_remembered(client, lang, name):
    response = client.get(f"/manifest.webmanifest?lang={lang}", headers={"Accept-Language": "en"})
    assert json.loads(response.get_data(as_text=True))["name"] == name
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_pages_link_the_manifest_in_their_language_and_the_touch_icon(client):
    html = client.get("/?lang=sv").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=sv">' in html
    assert re.search(
        r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon\.png\?v=[0-9a-f]+">', html
    )
    hashed = r"\?v=[0-9a-f]+"
    js = r"/static/js/"
    # At low priority: they never hold up the first paint (theme.js alone does).
    assert re.search(
        rf'<script type="module" src="{js}sending\.js{hashed}" id="sending-module" fetchpriority="low">', html
    )
    assert re.search(
        rf'<link rel="modulepreload" href="{js}outbox\.js{hashed}" id="outbox-module" fetchpriority="low">',
        html,
    )


def test_icons_are_pngs_of_the_sizes_the_manifest_says(client):
    for icon in manifest(client)["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200 and response.mimetype == "image/png"
            width, height = png_size(response.get_data())
        assert f"{width}x{height}" == icon["sizes"], icon["src"]
    html = client.get("/").get_data(as_text=True)
    touch = re.search(r'rel="apple-touch-icon" href="([^"]+)"', html).group(1)
    with client.get(touch) as response:
        assert png_size(response.get_data()) == (180, 180)


# -- the service worker -----------------------------------------------------------------------


def test_service_worker_is_served_from_the_root_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response.headers  # scope / is the root's own


def test_service_worker_precaches_the_hashed_shell_and_the_offline_page(client):
    body = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    html = client.get("/offline").get_data(as_text=True)
    needed = re.findall(r'<(?:script|img)[^>]* src="(/static/[^"]+)"', html)
    needed += re.findall(r'<link rel="(?:stylesheet|icon)" href="(/static/[^"]+)"', html)
    assert len(needed) >= 5
    for asset in needed:
        assert re.search(r"\?v=[0-9a-f]+$", asset) and asset in shell  # hashed: names its content
    assert "/offline" in shell
    for name in ("outbox", "sending", "today", "quicklog"):
        assert any(url.startswith(f"/static/js/{name}.js?v=") for url in shell)
    assert all("/api/" not in url for url in shell)


def test_service_worker_version_follows_the_shell_files(app, client, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static, ignore=shutil.ignore_patterns("vendor"))
    app.static_folder = str(static)
    first = sw_version(client)
    assert sw_version(client) == first  # the same files, the same worker, byte for byte
    script = static / "js" / "app.js"
    script.write_text(script.read_text() + "\n// changed\n")
    os.utime(script, ns=(1, script.stat().st_mtime_ns + 10**9))
    assert sw_version(client) != first


# -- the offline page -------------------------------------------------------------------------


def test_offline_page_works_signed_out(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    text = text_of(response)
    assert "You are offline" in text
    assert 'href="tel:112"' in response.get_data(as_text=True)


def test_offline_page_works_signed_in(family):
    response = family.api.client.get("/offline")
    assert response.status_code == 200 and "You are offline" in text_of(response)


# -- the today page carries what the offline client needs -----------------------------------


def test_today_page_carries_its_state_for_offline_logging(family):
    entry_id = "6f1c7b8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f"
    start = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)
    put = family.api.put(family.entry_url(entry_id), {"kind": "sleep", "start": start.isoformat()})
    assert put.status_code in (200, 201), put.get_json()
    html = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    me = family.api.get("/api/v1/me").get_json()["user"]
    assert f'data-user-id="{me["id"]}"' in html
    assert f'data-baby-id="{family.baby_id}"' in html
    assert f'data-running-sleep-id="{entry_id}"' in html
    assert f'data-running-sleep-start="{start.strftime("%Y-%m-%dT%H:%M:%SZ")}"' in html
    assert "data-running-crying-id" not in html
    entries = json.loads(re.search(r"data-entries='([^']*)'", html).group(1).replace("&#39;", "'"))
    assert [e["id"] for e in entries] == [entry_id]
    assert 'data-msg-waiting="%(n)s entries waiting to be sent."' in html
    hashed = r"\?v=[0-9a-f]+"
    assert re.search(
        rf'<script type="module" src="/static/js/quicklog\.js{hashed}" fetchpriority="low">', html
    )
    js = r"/static/js/"
    assert re.search(
        rf'<link rel="modulepreload" href="{js}today\.js{hashed}" id="today-module" fetchpriority="low">',
        html,
    )
