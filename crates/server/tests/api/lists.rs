//! Every list route, for every demo role, returns only what the policy lists for it
//! (`gongzhi_domain::access::listing`), and all of it: the cases list and its count, the inbox,
//! the scorecards and their workbook, the whistle board, the rankings and their workbook, the
//! cadres sent down and the in-service members, the dispatch rules and their export, and the
//! pages of each. A party organisation lists no cases anywhere.
//!
//! Seeded over HTTP: a resident's report in each of the three grids (two in 金阊街道, one in
//! 平江街道, the latter routed to 住建局 by a rule), a whistle on each street's case, cadres and
//! in-service members in both streets.

use crate::app::{GRID_ORIGINS, TestApp, accounts, spawn_app};
use gongzhi_domain::access::{List, Listing, Principal, Target, listing};
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

async fn post(app: &TestApp, who: &str, path: &str, body: Value) -> Value {
    let r = app
        .client
        .post(app.url(path))
        .bearer_auth(&app.tokens[who])
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(
        (200..300).contains(&status),
        "{who} POST {path}: {status} {v}"
    );
    v
}

/// GET as `who`: the status, and the body as JSON (Null when it is not JSON).
async fn get(app: &TestApp, who: &str, path: &str) -> (u16, Value, String) {
    let r = app.get_as(who, path).await;
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = r.bytes().await.unwrap();
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, v, kind)
}

async fn page(app: &TestApp, who: &str, path: &str) -> (u16, String) {
    let r = app.get_as(who, path).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// One seeded case as the admin (who sees everything) sees it.
struct Seeded {
    id: i64,
    ticket: String,
    grid: GridCode,
    department: Option<String>,
    summoned: Vec<String>,
}

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn case_listed(l: &Listing, c: &Seeded, resident: i64) -> bool {
    l.covers(&Target::Grid(c.grid))
        || c.department
            .as_ref()
            .is_some_and(|d| l.covers(&Target::Department(d.clone())))
        || *l == Listing::Reports(resident)
}

async fn seed(app: &TestApp) -> Vec<Seeded> {
    // 平江街道's reports go to 住建局.
    post(
        app,
        "admin",
        "/api/v1/dispatch-rules",
        json!({"category": "E0102", "area": "320508020000", "department": "ZJ"}),
    )
    .await;
    post(
        app,
        "admin",
        "/api/v1/dispatch-rules",
        json!({"category": "E0103", "area": "320508019044", "department": "CG"}),
    )
    .await;
    let mut ids = Vec::new();
    for (_, lon, lat) in GRID_ORIGINS {
        let v = post(
            app,
            "resident",
            "/api/v1/cases",
            json!({"category": "E0102", "lon": lon + 0.0004, "lat": lat + 0.0004,
                   "address": "测试路1号", "description": "垃圾堆积"}),
        )
        .await;
        ids.push(v["case"]["id"].as_i64().unwrap());
    }
    // A whistle on a case of each street: 金阊 summons 城管, the admin summons 住建 in 平江.
    for (who, id, dept, (_, lon, lat)) in [
        ("street", ids[0], "CG", GRID_ORIGINS[0]),
        ("admin", ids[2], "ZJ", GRID_ORIGINS[2]),
    ] {
        post(
            app,
            who,
            &format!("/api/v1/cases/{id}/commands"),
            json!({"command": "blow_whistle", "departments": [dept], "reason": "联合执法",
                   "lon": lon + 0.0004, "lat": lat + 0.0004, "address": "测试路1号", "urgent": false}),
        )
        .await;
    }
    for (host, home, community) in [
        ("320508019000", "CG", "320508019044"),
        ("320508020001", "ZJ", "320508020001"),
    ] {
        post(
            app,
            "admin",
            "/api/v1/secondments",
            json!({"person": "下沉干部", "home_department": home, "host_area": host,
                   "kind": "law_enforcement", "start": "2026-01-01"}),
        )
        .await;
        post(
            app,
            "admin",
            "/api/v1/community-checkins",
            json!({"member": "在职党员", "work_unit": home, "department": home,
                   "community": community, "registered_on": "2026-01-01"}),
        )
        .await;
    }
    let mut out = Vec::new();
    for id in ids {
        let (s, v, _) = get(app, "admin", &format!("/api/v1/cases/{id}")).await;
        assert_eq!(s, 200);
        out.push(Seeded {
            id,
            ticket: v["ticket"].as_str().unwrap().to_string(),
            grid: GridCode::parse(v["grid"].as_str().unwrap()).unwrap(),
            department: v["department"].as_str().map(str::to_string),
            summoned: v["whistles"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|w| w["parts"].as_array().unwrap())
                .map(|p| p["department"].as_str().unwrap().to_string())
                .collect(),
        });
    }
    out
}

fn items(v: &Value) -> &Vec<Value> {
    v.as_array()
        .or_else(|| v["items"].as_array())
        .unwrap_or_else(|| panic!("not a list: {v}"))
}

fn xlsx(kind: &str) -> bool {
    kind.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml")
}

#[tokio::test]
async fn every_list_route_shows_every_role_what_the_policy_lists() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let cases = seed(&app).await;
        assert_eq!(cases[2].department.as_deref(), Some("ZJ"), "{backend:?}");
        let resident = app
            .store
            .account_by_username("resident")
            .await
            .unwrap()
            .unwrap()
            .id;
        let checked_in_pages = ["/cases", "/scorecards", "/whistles", "/rules"];
        for (who, _, _, _) in accounts() {
            let account = app.store.account_by_username(who).await.unwrap().unwrap();
            let p: Principal = account.principal();
            let ctx = format!("{backend:?} {who}");

            // Cases: the list, its count and the page.
            let l = listing(&p, List::Cases);
            let want: Vec<&Seeded> = cases
                .iter()
                .filter(|c| case_listed(&l, c, resident))
                .collect();
            let (s, v, _) = get(&app, who, "/api/v1/cases?per_page=500").await;
            let (cs, count, _) = get(&app, who, "/api/v1/cases?per_page=1").await;
            let (ps, html) = page(&app, who, "/cases").await;
            if l.is_nothing() {
                assert_eq!((s, cs, ps), (403, 403, 403), "{ctx} cases: {v}");
            } else {
                assert_eq!((s, cs, ps), (200, 200, 200), "{ctx} cases: {v}");
                let mut got: Vec<i64> = items(&v)
                    .iter()
                    .map(|c| c["id"].as_i64().unwrap())
                    .collect();
                got.sort_unstable();
                let want_ids: Vec<i64> = want.iter().map(|c| c.id).collect();
                assert_eq!(got, want_ids, "{ctx} cases");
                assert_eq!(v["total"], want.len(), "{ctx} total");
                assert_eq!(count["total"], want.len(), "{ctx} count");
            }
            for c in &cases {
                assert_eq!(
                    html.contains(&c.ticket),
                    want.iter().any(|w| w.id == c.id),
                    "{ctx} /cases page and case {}",
                    c.ticket
                );
            }

            // The inbox: waiting cases only from the list, none for who lists no cases.
            let (s, v, _) = get(&app, who, "/api/v1/inbox").await;
            assert_eq!(s, 200, "{ctx} inbox: {v}");
            for c in items(&v["waiting"]) {
                let id = c["id"].as_i64().unwrap();
                assert!(want.iter().any(|w| w.id == id), "{ctx} inbox case {id}");
            }
            if l.is_nothing() {
                assert!(items(&v["notifications"]).is_empty(), "{ctx} notices: {v}");
            }
            let (s, html) = page(&app, who, "/inbox").await;
            assert_eq!(s, 200, "{ctx} /inbox");
            if l.is_nothing() {
                assert!(cases.iter().all(|c| !html.contains(&c.ticket)), "{ctx}");
            }

            // Scorecards and their workbook count exactly the listed cases.
            let l = listing(&p, List::Scorecards);
            let (s, v, _) = get(&app, who, "/api/v1/metrics").await;
            let (xs, _, kind) = get(&app, who, "/api/v1/metrics.xlsx").await;
            if l.is_nothing() {
                assert_eq!((s, xs), (403, 403), "{ctx} metrics: {v}");
            } else {
                assert_eq!((s, xs), (200, 200), "{ctx} metrics: {v}");
                assert!(xlsx(&kind), "{ctx} {kind}");
                let n = cases
                    .iter()
                    .filter(|c| case_listed(&l, c, resident))
                    .count();
                assert_eq!(v["total"]["counters"]["reported"], n, "{ctx} metrics");
            }

            // The whistle board: whistles on the listed cases (a department: those summoning it).
            let l = listing(&p, List::WhistleBoard);
            let (s, v, _) = get(&app, who, "/api/v1/whistles?show=all").await;
            if l.is_nothing() {
                assert_eq!(s, 403, "{ctx} whistles: {v}");
            } else {
                assert_eq!(s, 200, "{ctx} whistles: {v}");
                let mut got: Vec<i64> = items(&v)
                    .iter()
                    .map(|e| e["case_id"].as_i64().unwrap())
                    .collect();
                got.sort_unstable();
                let want: Vec<i64> = cases
                    .iter()
                    .filter(|c| !c.summoned.is_empty())
                    .filter(|c| match &l {
                        Listing::Department(d) => c.summoned.contains(d),
                        l => l.covers(&Target::Grid(c.grid)),
                    })
                    .map(|c| c.id)
                    .collect();
                assert_eq!(got, want, "{ctx} whistles");
            }

            // Rankings and their workbook: streets inside the listed area.
            let l = listing(&p, List::Rankings);
            let (s, v, _) = get(&app, who, "/api/v1/whistles/rankings").await;
            let (xs, _, kind) = get(&app, who, "/api/v1/whistles/rankings.xlsx").await;
            if l.is_nothing() {
                assert_eq!((s, xs), (403, 403), "{ctx} rankings: {v}");
            } else {
                assert_eq!((s, xs), (200, 200), "{ctx} rankings: {v}");
                assert!(xlsx(&kind), "{ctx} {kind}");
                for street in items(&v["streets"]) {
                    let code = area(street["street"].as_str().unwrap());
                    assert!(l.reaches(&code, None), "{ctx} ranking street {code}");
                }
                let streets = items(&v["streets"]).len();
                let want = ["320508019000", "320508020000"]
                    .iter()
                    .filter(|s| l.reaches(&area(s), None))
                    .count();
                assert_eq!(streets, want, "{ctx} ranking streets: {v}");
            }

            // Cadres sent down and in-service members.
            for (list, path, place, dept, seeded) in [
                (
                    List::Secondments,
                    "/api/v1/secondments",
                    "host_area",
                    "home_department",
                    [("320508019000", "CG"), ("320508020001", "ZJ")],
                ),
                (
                    List::CommunityCheckIns,
                    "/api/v1/community-checkins",
                    "community",
                    "department",
                    [("320508019044", "CG"), ("320508020001", "ZJ")],
                ),
            ] {
                let l = listing(&p, list);
                let (s, v, _) = get(&app, who, path).await;
                if l.is_nothing() {
                    assert_eq!(s, 403, "{ctx} {path}: {v}");
                    continue;
                }
                assert_eq!(s, 200, "{ctx} {path}: {v}");
                let listed = |r: &Value| {
                    l.covers(&Target::Area(area(r[place].as_str().unwrap())))
                        || r[dept]
                            .as_str()
                            .is_some_and(|d| l.covers(&Target::Department(d.into())))
                };
                assert!(items(&v).iter().all(listed), "{ctx} {path}: {v}");
                let want = seeded
                    .iter()
                    .filter(|(a, d)| {
                        l.covers(&Target::Area(area(a)))
                            || l.covers(&Target::Department(d.to_string()))
                    })
                    .count();
                assert_eq!(items(&v).len(), want, "{ctx} {path}: {v}");
            }
            let (s, _) = page(&app, who, "/cadres").await;
            assert!(s < 500, "{ctx} /cadres {s}");

            // Dispatch rules and their export: those reaching the caller's patch.
            let l = listing(&p, List::DispatchRules);
            let (s, v, _) = get(&app, who, "/api/v1/dispatch-rules").await;
            let (xs, _, kind) = get(&app, who, "/api/v1/dispatch-rules/export.xlsx").await;
            if l.is_nothing() {
                assert_eq!((s, xs), (403, 403), "{ctx} rules: {v}");
            } else {
                assert_eq!((s, xs), (200, 200), "{ctx} rules: {v}");
                assert!(xlsx(&kind), "{ctx} {kind}");
                for r in items(&v) {
                    let a = area(r["area"].as_str().unwrap());
                    assert!(l.reaches(&a, r["department"].as_str()), "{ctx} rule {r}");
                }
                let want = [("320508020000", "ZJ"), ("320508019044", "CG")]
                    .iter()
                    .filter(|(a, d)| l.reaches(&area(a), Some(d)))
                    .count();
                assert_eq!(items(&v).len(), want, "{ctx} rules: {v}");
            }

            // The menu offers a list exactly when the policy lists something of it.
            let (s, home) = page(&app, who, "/").await;
            assert_eq!(s, 200, "{ctx} /");
            for (href, list) in [
                ("/cases", List::Cases),
                ("/scorecards", List::Scorecards),
                ("/whistles", List::WhistleBoard),
            ] {
                assert_eq!(
                    home.contains(&format!("href=\"{href}\"")),
                    !listing(&p, list).is_nothing(),
                    "{ctx} menu {href}"
                );
            }

            // The pages of the lists refuse whom the policy lists nothing.
            for path in checked_in_pages {
                let list = match path {
                    "/cases" => List::Cases,
                    "/scorecards" => List::Scorecards,
                    "/whistles" => List::WhistleBoard,
                    _ => List::DispatchRules,
                };
                let (s, _) = page(&app, who, path).await;
                let want = if listing(&p, list).is_nothing() {
                    403
                } else {
                    200
                };
                assert_eq!(s, want, "{ctx} page {path}");
            }
        }

        // Spelled out, not recomputed: the party organisation sees no case anywhere, the grid
        // worker only its own grid's, the department only its own.
        let (s, v, _) = get(&app, "party", "/api/v1/cases").await;
        assert_eq!(s, 403, "{v}");
        assert_eq!(v["error"]["code"], "forbidden");
        let (_, v, _) = get(&app, "party", "/api/v1/inbox").await;
        assert!(items(&v["waiting"]).is_empty());
        let (_, v, _) = get(&app, "grid", "/api/v1/cases").await;
        assert_eq!(v["total"], 1);
        let (_, v, _) = get(&app, "department", "/api/v1/cases").await;
        assert_eq!(v["total"], 2);
        let (_, v, _) = get(&app, "resident", "/api/v1/cases").await;
        assert_eq!(v["total"], 3);
    }
}
