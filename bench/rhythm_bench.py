"""Rhythm page and API: server time for 14 days and a whole year, and page weight."""

from __future__ import annotations

import re
from datetime import date, timedelta


def run(client, baby_id, headers, timed, repeat):
    today = date.today()
    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    results = {}

    def get(path):
        def fetch():
            response = client.get(path, headers=headers)
            assert response.status_code == 200, response.status_code

        return fetch

    results["rhythm page, 14 days"] = timed(get(f"/diary/{baby_id}/rhythm"), repeat)
    results["rhythm page, whole year"] = timed(get(f"/diary/{baby_id}/rhythm?{year}"), max(20, repeat // 4))
    results["rhythm API, 14 days"] = timed(get(f"/api/v1/babies/{baby_id}/rhythm"), repeat)
    results["rhythm API, whole year"] = timed(
        get(f"/api/v1/babies/{baby_id}/rhythm?{year}"), max(20, repeat // 4)
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
