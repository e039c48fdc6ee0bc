//! Issue 11, findings 7, 8, 12 and 13, each attack replayed against the real server: guessing
//! lookup codes and passwords from one address, racing the lockout, locking strangers out,
//! reading cookies over plain http, and using tokens and keys that should be dead.

use crate::app::{GRID_ORIGINS, PASSWORD, TestApp, client_from, spawn_app, spawn_app_with};
use gongzhi_domain::access::{Lifetime, RateLimit};
use gongzhi_testkit::backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::BTreeMap;

const ATTACKER: &str = "127.0.0.1";
const HONEST: &str = "127.0.0.2";

/// The `i`-th of a guesser's lookup codes: well formed, opening nothing.
fn guess(i: usize) -> String {
    let bits = (i as u128 * 7919 + 13).to_be_bytes();
    gongzhi_domain::case::lookup_code_from_bytes(bits[6..].try_into().unwrap())
}

/// Sends `n` requests made by `make`, 50 at a time, and counts the answers by status.
async fn flood<F>(n: usize, make: F) -> BTreeMap<u16, usize>
where
    F: Fn(usize) -> reqwest::RequestBuilder,
{
    let mut counts = BTreeMap::new();
    for start in (0..n).step_by(50) {
        let mut set = tokio::task::JoinSet::new();
        for i in start..(start + 50).min(n) {
            let req = make(i);
            set.spawn(async move {
                let r = req.send().await.unwrap();
                let status = r.status();
                if status == StatusCode::TOO_MANY_REQUESTS {
                    assert!(
                        r.headers().get("retry-after").is_some(),
                        "429 without Retry-After"
                    );
                }
                status.as_u16()
            });
        }
        while let Some(s) = set.join_next().await {
            *counts.entry(s.unwrap()).or_insert(0) += 1;
        }
    }
    counts
}

async fn session(
    client: &reqwest::Client,
    app: &TestApp,
    who: &str,
    pw: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/v1/session"))
        .json(&json!({"username": who, "password": pw}))
        .send()
        .await
        .unwrap()
}

/// Files a case as the resident (bearer token): its id and lookup code.
async fn file_case(app: &TestApp) -> (i64, String) {
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let r = app
        .client
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&app.tokens["resident"])
        .json(
            &json!({"category": "E0102", "lon": lon, "lat": lat, "address": "测试路1号3幢",
            "description": "楼下垃圾三天没人清运", "reporter_phone": "13912345678"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    (
        v["case"]["id"].as_i64().unwrap(),
        v["lookup_code"].as_str().unwrap().to_string(),
    )
}

/// Finding 8 and the login throttle: 1,000 guesses at one account from one address reach the
/// password check at most the burst's worth of times; the account's owner, from another
/// address, gets in once the short lock the guesses caused has passed.
#[tokio::test]
async fn a_thousand_login_guesses_from_one_address_are_held_and_the_owner_still_gets_in() {
    for backend in backends() {
        let app = spawn_app_with(backend, |_| {}, |st| st.login_policy.lock_millis = 1_500).await;
        let attacker = client_from(ATTACKER);
        let counts = flood(1000, |i| {
            attacker
                .post(app.url("/api/v1/session"))
                .json(&json!({"username": "street", "password": format!("guess{i}")}))
        })
        .await;
        let checked = counts.get(&401).copied().unwrap_or(0);
        let burst = RateLimit::LOGIN.burst as usize;
        assert!(
            checked <= burst + 1,
            "{backend:?}: {checked} guesses reached the password check: {counts:?}"
        );
        assert!(counts[&429] >= 1000 - burst - 1, "{counts:?}");
        assert_eq!(counts.keys().copied().collect::<Vec<_>>(), vec![401, 429]);
        // The attacker's address stays held, even with the right password.
        let r = session(&attacker, &app, "street", PASSWORD).await;
        assert_eq!(r.status(), 429);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "too_many_requests");
        assert!(e["error"]["message"].as_str().unwrap().contains("秒后再试"));
        assert!(
            e["error"]["message_en"]
                .as_str()
                .unwrap()
                .contains("seconds")
        );
        // The owner, from another address, after the lock: in.
        tokio::time::sleep(std::time::Duration::from_millis(1_600)).await;
        let owner = client_from(HONEST);
        let r = session(&owner, &app, "street", PASSWORD).await;
        assert_eq!(r.status(), 200, "{backend:?}");
        // The web form is held for the attacker too, with a readable page.
        let page = attacker
            .post(app.url("/login"))
            .form(&[("username", "street"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 429);
        assert!(page.headers().get("retry-after").is_some());
        let html = page.text().await.unwrap();
        assert!(html.contains("尝试次数过多"), "{html}");
    }
}

/// Finding 8: failures that arrive together all count (the count is one atomic update), so
/// 40 parallel wrong passwords — from 40 addresses, past any per-address limit — lock the
/// account; before, each read the same count and none locked.
#[tokio::test]
async fn forty_parallel_wrong_passwords_lock_the_account() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let mut set = tokio::task::JoinSet::new();
        for i in 0..40 {
            let client = client_from(&format!("127.0.1.{}", i + 1));
            let url = app.url("/api/v1/session");
            set.spawn(async move {
                client
                    .post(url)
                    .json(&json!({"username": "grid", "password": format!("wrong{i}")}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            });
        }
        while let Some(s) = set.join_next().await {
            assert_eq!(s.unwrap(), 401, "{backend:?}");
        }
        let account = app
            .store
            .account_by_username("grid")
            .await
            .unwrap()
            .unwrap();
        assert!(
            account.locked_until > gongzhi_store::now_millis(),
            "{backend:?}: 40 parallel failures left the account unlocked"
        );
        // Locked: even the right password is refused, in the words of a wrong one.
        let r = session(&client_from(HONEST), &app, "grid", PASSWORD).await;
        assert_eq!(r.status(), 401, "{backend:?}");
    }
}

/// Finding 8: a locked account, an unknown name and a wrong password get one answer (no 423
/// naming the account as existing and locked).
#[tokio::test]
async fn a_locked_or_unknown_account_answers_like_a_wrong_password() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let client = client_from(HONEST);
        let wrong = session(&client, &app, "admin", "wrong-password").await;
        assert_eq!(wrong.status(), 401);
        let wrong: Value = wrong.json().await.unwrap();
        let unknown = session(&client, &app, "nobody-here", "wrong-password").await;
        assert_eq!(unknown.status(), 401);
        assert_eq!(unknown.json::<Value>().await.unwrap(), wrong);
        for _ in 0..4 {
            session(&client, &app, "admin", "wrong-password").await;
        }
        let locked = session(&client, &app, "admin", PASSWORD).await;
        assert_eq!(locked.status(), 401, "{backend:?}");
        assert_eq!(locked.json::<Value>().await.unwrap(), wrong);
        assert_eq!(wrong["error"]["code"], "bad_credentials");
    }
}

/// Finding 7 and the lookup throttle: 1,000 guessed codes from one address get the burst's
/// worth of answers; the reporter, from another address, still opens the case.
#[tokio::test]
async fn a_thousand_lookup_code_guesses_from_one_address_are_held_and_the_reporter_still_gets_in() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (_, code) = file_case(&app).await;
        let attacker = client_from(ATTACKER);
        let counts = flood(1000, |i| {
            attacker.get(app.url(&format!("/api/v1/public/cases/{}", guess(i))))
        })
        .await;
        let answered = counts.get(&404).copied().unwrap_or(0);
        let burst = RateLimit::LOOKUP.burst as usize;
        assert!(answered <= burst + 1, "{backend:?}: {counts:?}");
        assert!(counts[&429] >= 1000 - burst - 1, "{counts:?}");
        // Held: not even the right code opens the case from that address, on any route.
        let r = attacker
            .get(app.url(&format!("/api/v1/public/cases/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429);
        let page = attacker
            .get(app.url(&format!("/track?code={code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 429);
        assert!(page.headers().get("retry-after").is_some());
        assert!(page.text().await.unwrap().contains("尝试次数过多"));
        // The reporter, elsewhere: in, and may rate when the time comes.
        let reporter = client_from(HONEST);
        let r = reporter
            .get(app.url(&format!("/api/v1/public/cases/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend:?}");
        let page = reporter
            .get(app.url(&format!("/track?code={code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
    }
}

/// Finding 7: codes are 80 bits in four groups, typed in any case with or without dashes,
/// stored keyed (not the SHA-256 anyone could test a guess against), and open a minimal view.
#[tokio::test]
async fn lookup_codes_are_long_grouped_keyed_and_open_a_minimal_view() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (id, code) = file_case(&app).await;
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(groups.len(), 4, "{code}");
        assert!(
            groups.iter().all(|g| g.len() == 4
                && g.bytes()
                    .all(|b| gongzhi_domain::case::LOOKUP_ALPHABET.contains(&b))),
            "{code}"
        );
        for typed in [
            code.clone(),
            code.replace('-', ""),
            code.to_lowercase(),
            code.replace('-', "%20"),
        ] {
            let r = app
                .client
                .get(app.url(&format!("/api/v1/public/cases/{typed}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{backend:?} {typed}");
        }
        // Stored keyed: the plain digest of the code is not in the database.
        let stored: Vec<u8> =
            sqlx::query_scalar::<_, Vec<u8>>("SELECT lookup_hash FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        let plain = sha2::Sha256::digest(code.replace('-', "").as_bytes()).to_vec();
        assert_ne!(stored, plain, "{backend:?}");
        assert_eq!(stored.len(), 32);

        // The minimal view: no address, coordinates, description, phone, names or notes.
        let v: Value = app
            .client
            .get(app.url(&format!("/api/v1/public/cases/{code}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let case = v["case"].as_object().unwrap();
        for hidden in [
            "address",
            "lon",
            "lat",
            "description",
            "department_name",
            "whistles",
            "id",
        ] {
            assert!(
                !case.contains_key(hidden),
                "{backend:?} shows {hidden}: {v}"
            );
        }
        assert_eq!(case["category"], "E0102");
        assert_eq!(case["community_name"], "养育巷社区");
        assert!(case["reported_at_text"].is_string());
        let text = v.to_string();
        for secret in [
            "测试路1号",
            "楼下垃圾",
            "13912345678",
            "120.60",
            "测试resident",
            "智能派遣",
        ] {
            assert!(!text.contains(secret), "{backend:?} leaks {secret}: {text}");
        }
        for e in v["timeline"].as_array().unwrap() {
            let e = e.as_object().unwrap();
            assert!(
                !e.contains_key("actor") && !e.contains_key("event"),
                "{e:?}"
            );
        }
        let page = app
            .client
            .get(app.url(&format!("/track?code={code}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("养育巷社区") && !page.contains("楼下垃圾"),
            "{page}"
        );
    }
}

/// Finding 12: off loopback, cookies are Secure by default, the session cookie is
/// `__Host-` prefixed (the unprefixed name no longer authenticates) and responses carry HSTS.
#[tokio::test]
async fn cookies_are_secure_host_prefixed_and_hsts_is_sent_off_loopback() {
    for backend in backends() {
        let app = spawn_app_with(
            backend,
            |c| c.listen = "0.0.0.0:8443".parse().unwrap(),
            |_| {},
        )
        .await;
        assert!(app.state.secure_cookies);
        let r = session(&app.client, &app, "admin", PASSWORD).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["strict-transport-security"],
            gongzhi_server::http::HSTS
        );
        let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(
            set.starts_with("__Host-gz_session=")
                && set.contains("; Secure")
                && set.contains("Path=/"),
            "{set}"
        );
        assert!(!set.contains("Domain"), "{set}");
        let token = set
            .split(';')
            .next()
            .unwrap()
            .split_once('=')
            .unwrap()
            .1
            .to_string();
        let me = |cookie: String| {
            let app = &app;
            async move {
                app.client
                    .get(app.url("/api/v1/me"))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(me(format!("__Host-gz_session={token}")).await, 200);
        assert_eq!(me(format!("gz_session={token}")).await, 401);
        let health = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert!(health.headers().get("strict-transport-security").is_some());
    }
    // On loopback (and for the demo, or when configured off) plain http keeps working.
    let plain = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let r = session(&plain.client, &plain, "admin", PASSWORD).await;
    let set = r.headers()["set-cookie"].to_str().unwrap();
    assert!(
        set.starts_with("gz_session=") && !set.contains("Secure"),
        "{set}"
    );
    assert!(r.headers().get("strict-transport-security").is_none());
    let off = spawn_app_with(
        gongzhi_testkit::Backend::Sqlite,
        |c| {
            c.listen = "0.0.0.0:8080".parse().unwrap();
            c.secure_cookies = Some(false);
        },
        |_| {},
    )
    .await;
    assert!(!off.state.secure_cookies);
}

/// Finding 13: tokens and keys expire, can be revoked (by an administrator, or a token by its
/// own account), and a password reset ends the account's tokens.
#[tokio::test]
async fn tokens_and_keys_expire_are_revoked_and_die_with_a_password_reset() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let me = |token: String| {
            let app = &app;
            async move {
                app.client
                    .get(app.url("/api/v1/me"))
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        let grid = app
            .store
            .account_by_username("grid")
            .await
            .unwrap()
            .unwrap();
        let actor = gongzhi_store::Actor::SYSTEM;
        // Expiry: a token past its time is refused.
        let short = app
            .store
            .create_api_token(grid.id, "short", Lifetime::days(1).unwrap(), &actor)
            .await
            .unwrap();
        assert_eq!(me(short.clone()).await, 200);
        sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE name = 'short'")
            .bind(gongzhi_store::now_millis() - 1)
            .execute(app.store.pool())
            .await
            .unwrap();
        assert_eq!(me(short).await, 401, "{backend:?} expired token");

        // Revocation: the administrator lists the account's tokens and revokes one.
        let listed: Value = app
            .get_as("admin", &format!("/api/v1/tokens?account={}", grid.id))
            .await
            .json()
            .await
            .unwrap();
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert!(listed[0]["expires_at"].as_i64().unwrap() > gongzhi_store::now_millis());
        let grid_token_id = listed[0]["id"].as_i64().unwrap();
        // Another account can neither see nor revoke it.
        let theirs = app
            .client
            .delete(app.url(&format!("/api/v1/tokens/{grid_token_id}")))
            .bearer_auth(&app.tokens["street"])
            .send()
            .await
            .unwrap();
        assert_eq!(theirs.status(), 404);
        // A token cannot revoke itself by one stray call.
        let dept: Value = app
            .get_as("department", "/api/v1/tokens")
            .await
            .json()
            .await
            .unwrap();
        let dept_id = dept[0]["id"].as_i64().unwrap();
        let itself = app
            .client
            .delete(app.url(&format!("/api/v1/tokens/{dept_id}")))
            .bearer_auth(&app.tokens["department"])
            .send()
            .await
            .unwrap();
        assert_eq!(itself.status(), 400);
        assert_eq!(me(app.tokens["department"].clone()).await, 200);
        let own: Value = app
            .get_as("street", "/api/v1/tokens")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            own.as_array()
                .unwrap()
                .iter()
                .all(|t| t["username"] == "street")
        );
        let r = app
            .client
            .delete(app.url(&format!("/api/v1/tokens/{grid_token_id}")))
            .bearer_auth(&app.tokens["admin"])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(
            me(app.tokens["grid"].clone()).await,
            401,
            "{backend:?} revoked"
        );

        // A password reset ends the account's tokens (and sessions).
        let street = app
            .store
            .account_by_username("street")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(me(app.tokens["street"].clone()).await, 200);
        let r = app
            .client
            .post(app.url(&format!("/api/v1/accounts/{}/password", street.id)))
            .bearer_auth(&app.tokens["admin"])
            .json(&json!({"password": "newpass2026x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(
            me(app.tokens["street"].clone()).await,
            401,
            "{backend:?} reset"
        );

        // Open311 keys: a revoked or expired key files nothing.
        let key = app
            .store
            .create_api_key("12345热线", Lifetime::API_KEY_DEFAULT)
            .await
            .unwrap();
        let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0003, GRID_ORIGINS[0].2 + 0.0003);
        let post = |key: String| {
            let app = &app;
            async move {
                app.client
                    .post(app.url("/open311/v2/requests.json"))
                    .form(&[
                        ("api_key", key.as_str()),
                        ("service_code", "E0102"),
                        ("lat", &lat.to_string()),
                        ("long", &lon.to_string()),
                        ("description", "路灯不亮"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(post(key.clone()).await, 200);
        let keys: Value = app
            .get_as("admin", "/api/v1/apikeys")
            .await
            .json()
            .await
            .unwrap();
        let key_id = keys[0]["id"].as_i64().unwrap();
        // (street's token died with its password reset above.)
        assert_eq!(app.get_as("street", "/api/v1/apikeys").await.status(), 401);
        assert_eq!(
            app.get_as("district", "/api/v1/apikeys").await.status(),
            403
        );
        let r = app
            .client
            .delete(app.url(&format!("/api/v1/apikeys/{key_id}")))
            .bearer_auth(&app.tokens["admin"])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(post(key).await, 403, "{backend:?} revoked key");
        let old = app
            .store
            .create_api_key("旧系统", Lifetime::days(1).unwrap())
            .await
            .unwrap();
        sqlx::query("UPDATE api_keys SET expires_at = $1 WHERE name = '旧系统'")
            .bind(gongzhi_store::now_millis() - 1)
            .execute(app.store.pool())
            .await
            .unwrap();
        assert_eq!(post(old).await, 403, "{backend:?} expired key");

        // The accounts page lists tokens and revokes one.
        let r = session(&client_from(HONEST), &app, "admin", PASSWORD).await;
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let csrf = r.json::<Value>().await.unwrap()["csrf_token"]
            .as_str()
            .unwrap()
            .to_string();
        let district = app
            .store
            .account_by_username("district")
            .await
            .unwrap()
            .unwrap();
        let token_id = app.store.api_tokens(Some(district.id)).await.unwrap()[0].id;
        let html = app
            .client
            .get(app.url("/admin/accounts"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("/admin/tokens/{token_id}/revoke")),
            "{html}"
        );
        let page = app
            .client
            .post(app.url(&format!("/admin/tokens/{token_id}/revoke")))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("令牌已吊销"));
        assert_eq!(
            me(app.tokens["district"].clone()).await,
            401,
            "{backend:?} page revoke"
        );
    }
}

/// Behind a configured reverse proxy the limits follow `X-Forwarded-For`; from anyone else the
/// header is ignored, so a guesser cannot make each guess look like a new address.
#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    let app = spawn_app_with(
        gongzhi_testkit::Backend::Sqlite,
        |c| {
            c.trusted_proxies =
                gongzhi_server::throttle::TrustedProxies::parse("127.0.0.1").unwrap()
        },
        |_| {},
    )
    .await;
    let guesses = |client: reqwest::Client, forwarded: &'static str| {
        let app = &app;
        async move {
            flood(60, |i| {
                let forwarded = if forwarded == "each" {
                    format!("198.51.100.{}", i + 1)
                } else {
                    forwarded.to_string()
                };
                client
                    .get(app.url(&format!("/api/v1/public/cases/{}", guess(i))))
                    .header("x-forwarded-for", forwarded)
            })
            .await
        }
    };
    // Through the proxy: one client is held, a second one is not.
    let held = guesses(client_from("127.0.0.1"), "203.0.113.5").await;
    assert!(held[&429] >= 60 - 21, "{held:?}");
    let other = guesses(client_from("127.0.0.1"), "203.0.113.6").await;
    assert!(other.get(&404).copied().unwrap_or(0) >= 20, "{other:?}");
    // Not a proxy: a new forwarded address per guess changes nothing.
    let spoofed = guesses(client_from("127.0.0.3"), "each").await;
    assert!(spoofed[&429] >= 60 - 21, "{spoofed:?}");
}

/// The resident routes: the public report form is limited per address, while the same
/// person's authenticated reports (a bearer token) and an Open311 client's (an api_key) are
/// not.
#[tokio::test]
async fn public_reports_are_limited_per_address_and_authenticated_ones_are_not() {
    let app = spawn_app(gongzhi_testkit::Backend::Sqlite).await;
    let (lon, lat) = (GRID_ORIGINS[0].1 + 0.0004, GRID_ORIGINS[0].2 + 0.0004);
    let attacker = client_from(ATTACKER);
    let burst = RateLimit::ANONYMOUS_REPORT.burst as usize;
    let counts = flood(burst + 30, |i| {
        let form = reqwest::multipart::Form::new()
            .text("category", "E0102")
            .text("lon", lon.to_string())
            .text("lat", lat.to_string())
            .text("description", format!("第{i}次反映"));
        attacker.post(app.url("/report")).multipart(form)
    })
    .await;
    assert!(counts[&200] <= burst + 1, "{counts:?}");
    assert!(counts[&429] >= 29, "{counts:?}");
    let follow = attacker
        .post(app.url("/report/follow"))
        .form(&[("ticket", "2026010100001"), ("phone", "13912345678")])
        .send()
        .await
        .unwrap();
    assert_eq!(follow.status(), 429);
    assert!(follow.text().await.unwrap().contains("尝试次数过多"));
    // From the same address, authenticated intake goes on.
    let key = app
        .store
        .create_api_key("12345热线", Lifetime::API_KEY_DEFAULT)
        .await
        .unwrap();
    for i in 0..(burst + 10) {
        let r = attacker
            .post(app.url("/api/v1/cases"))
            .bearer_auth(&app.tokens["resident"])
            .json(&json!({"category": "E0102", "lon": lon, "lat": lat, "description": format!("令牌{i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let r = attacker
            .post(app.url("/open311/v2/requests.json"))
            .form(&[
                ("api_key", key.as_str()),
                ("service_code", "E0102"),
                ("lat", &lat.to_string()),
                ("long", &lon.to_string()),
                ("description", "路灯不亮"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
}
