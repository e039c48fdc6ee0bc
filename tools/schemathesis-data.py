#!/usr/bin/env python3
"""Real identifiers for tools/schemathesis.sh, so that fuzzing reaches past "404 not found".

Usage: python3 tools/schemathesis-data.py BASE_URL ADMIN_TOKEN GRID_TOKEN > schemathesis.toml

Files a few cases on the demo server (one in the grid account's own grid, so that the `grid`
pass sees one too), then reads ids and codes back through the API and prints a schemathesis
configuration: dictionaries of real values, each bound to the parameters that take them with
probability 0.5, so every parameter still gets its generated (and invalid) values half the time.
Standard library only; exits non-zero when the server does not answer as expected.
"""

import json
import sys
import urllib.request


def call(base: str, token: str, method: str, path: str, body=None):
    req = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def inside(ring: list) -> tuple[float, float]:
    """A point inside a grid's outer ring: the vertex average, pulled toward the first vertex
    until the server's point → grid index agrees (checked by the caller)."""
    lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
    lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    return round(lon, 7), round(lat, 7)


def toml_list(values) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    base, admin, grid_token = argv[1].rstrip("/"), argv[2], argv[3]
    get = lambda path, token=admin: call(base, token, "GET", path)  # noqa: E731

    categories = [c["code"] for c in get("/api/v1/categories") if c["parent"] and c["active"]]
    own_grid = get("/api/v1/me", grid_token)["account"]["scope"].removeprefix("grid:")
    features = get("/api/v1/grids.geojson")["features"]
    by_code = {f["properties"]["code"]: f for f in features}
    grids = [own_grid] + [c for c in list(by_code)[:4] if c != own_grid]

    # File cases: ids and lookup codes to aim commands, photos, receipts and public pages at.
    case_ids, lookup_codes, points = [], [], []
    for n, code in enumerate(grids[:3]):
        lon, lat = inside(by_code[code]["geometry"]["coordinates"][0])
        located = call(base, admin, "GET", f"/api/v1/locate?lon={lon}&lat={lat}")
        if located.get("grid") != code:
            continue
        points.append((lon, lat))
        filed = call(base, admin, "POST", "/api/v1/cases", {
            "category": categories[n % len(categories)],
            "description": f"模糊测试用案件 {n + 1} / fuzzing fixture case {n + 1}",
            "lon": lon,
            "lat": lat,
            "reporter_phone": "13800000000",
        })
        case_ids.append(filed["case"]["id"])
        lookup_codes.append(filed["lookup_code"])
    if not case_ids:
        print("schemathesis-data: no grid centre located into its own grid", file=sys.stderr)
        return 1

    # A party member's check-in with a task taken, and a cadre sent down: ids for the
    # `community-checkins/{id}/tasks`, `community-tasks/{id}/…` and `secondments/{id}/end` routes.
    community, street = own_grid[:12], own_grid[:9] + "000"
    post = lambda path, body: call(base, admin, "POST", path, body)  # noqa: E731
    checkin = post("/api/v1/community-checkins", {
        "member": "模糊测试党员", "work_unit": "区城管局", "community": community,
    })["id"]
    task = post(f"/api/v1/community-checkins/{checkin}/tasks", {"title": "清理楼道"})["id"]
    secondment = post("/api/v1/secondments", {
        "person": "模糊测试干部", "home_department": "CG", "host_area": street,
        "kind": "law_enforcement",
    })["id"]

    households = [h["id"] for h in get(f"/api/v1/households?grid={own_grid}&per_page=3")["items"]]
    residents = [r["id"] for r in get(f"/api/v1/residents?grid={own_grid}&per_page=3")["items"]]
    accounts = [a["id"] for a in get("/api/v1/accounts") if a["username"] != "admin"]
    areas = [a["code"] for a in get("/api/v1/areas")][:4]
    departments = [d["code"] for d in get("/api/v1/departments")][:4]

    # Cadres on the roster, party members and their deductions: ids for the cadre-roster and
    # assessment routes (members are there when the demo has seeded them).
    cadres = [c["id"] for c in get("/api/v1/cadre-roster")][:3]
    members = [m["id"] for m in get("/api/v1/assessments")["members"]][:3]
    deductions = [
        d["id"] for m in members for d in get(f"/api/v1/assessments/members/{m}")["deductions"]
    ][:3]
    years = [get("/api/v1/assessments")["year"]]
    years.append(years[0] - 1)

    ids = sorted(set(case_ids + households + residents + accounts + [checkin, task, secondment]
                     + cadres + members + deductions))
    dictionaries = {
        "ids": ids,
        "lookup_codes": lookup_codes,
        "areas": areas + [street, community],
        "grids": grids,
        "categories": categories[:8],
        "departments": departments,
        "lons": [p[0] for p in points],
        "lats": [p[1] for p in points],
        "years": years,
        "year_texts": [str(y) for y in years],
    }
    bindings = {
        "path.id": "ids",
        "query.area": "areas",
        "query.grid": "grids",
        "query.department": "departments",
        "query.category": "categories",
        "query.lon": "lons",
        "query.lat": "lats",
        "query.community": "areas",
        "query.year": "year_texts",
        "path.year": "years",
        "body.category": "categories",
        "body.department": "departments",
        "body.home_department": "departments",
        "body.area": "areas",
        "body.host_area": "areas",
        "body.community": "areas",
        "body.lon": "lons",
        "body.lat": "lats",
    }
    out = ["# Written by tools/schemathesis-data.py for one demo server; not kept."]
    for name, values in dictionaries.items():
        out.append(f"[dictionaries.{name}]\nvalues = {toml_list(values)}")
    out.append("[parameters]")
    for key, name in bindings.items():
        out.append(f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}')
    # `{code}` is an area code, a grid code or a lookup code, depending on the route.
    for regex, name in [
        ("^/api/v1/areas/", "areas"),
        ("^/api/v1/grids/", "grids"),
        ("^/api/v1/public/cases/", "lookup_codes"),
    ]:
        out.append(f'[[operations]]\ninclude-path-regex = "{regex}"')
        out.append(f'parameters = {{ "path.code" = {{ dictionary = "{name}", probability = 0.5 }} }}')
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
