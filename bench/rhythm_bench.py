"""Rhythm page and API: server time for 14 days and a whole year, and page weight."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from run import entry_writer  # bench/ is on the path: run.py loads this file


def view(client, headers, path):
    def fetch():
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.status_code

    return fetch


def after_change(client, baby_id, headers, path, timed, repeat):
    """The first view after the diary changed (nothing kept can be used): an entry is
    written a week back before each timed request; only the request is timed."""
    write = entry_writer(client, baby_id, headers, datetime.now(UTC) - timedelta(days=7))
    return timed(view(client, headers, path), repeat, write)


def nothing_kept(client, headers, path, timed, repeat):
    """The first view in a new server process: no period and no week kept."""
    kept = [client.application.extensions[name] for name in ("companion.rendered", "companion.rhythm_weeks")]

    def forget():
        for cache in kept:
            cache._items.clear()

    return timed(view(client, headers, path), repeat, forget)


def run(client, baby_id, headers, timed, repeat):
    today = date.today()
    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    results = {}

    def get(path):
        return view(client, headers, path)

    # Repeat views: the rendered figures are kept per data version (rhythm/pages.py).
    results["rhythm page, 14 days"] = timed(get(f"/diary/{baby_id}/rhythm"), repeat)
    results["rhythm page, whole year"] = timed(get(f"/diary/{baby_id}/rhythm?{year}"), max(20, repeat // 4))
    results["rhythm page, whole year, after a change"] = after_change(
        client, baby_id, headers, f"/diary/{baby_id}/rhythm?{year}", timed, max(20, repeat // 4)
    )
    results["rhythm page, 14 days, after a change"] = after_change(
        client, baby_id, headers, f"/diary/{baby_id}/rhythm", timed, max(20, repeat // 4)
    )
    results["rhythm API, 14 days"] = timed(get(f"/api/v1/babies/{baby_id}/rhythm"), repeat)
    results["rhythm API, whole year"] = timed(
        get(f"/api/v1/babies/{baby_id}/rhythm?{year}"), max(20, repeat // 4)
    )

    # Last: emptying the caches leaves garbage for the collector.
    results["rhythm page, whole year, nothing kept"] = nothing_kept(
        client, headers, f"/diary/{baby_id}/rhythm?{year}", timed, max(20, repeat // 4)
    )

    for label, path in (
        ("14 days", f"/diary/{baby_id}/rhythm"),
        ("whole year", f"/diary/{baby_id}/rhythm?{year}"),
    ):
        html = client.get(path, headers={**headers, "Accept-Encoding": "br"})
        page = client.get(path, headers=headers).get_data(as_text=True)
        assets = sorted(set(re.findall(r'(?:src|href|data-plotly[a-z-]*)="(/static/[^"]+)"', page)))
        total = len(html.get_data())
        for asset in assets:
            with client.get(asset, headers={"Accept-Encoding": "br"}) as response:
                total += len(response.get_data())
        print(
            f"rhythm page ({label}): HTML {len(html.get_data()) / 1024:.1f} KB brotli, "
            f"first visit {total / 1024:.1f} KB in {len(assets) + 1} files, "
            f"repeat visit {len(html.get_data()) / 1024:.1f} KB"
        )
    return results
