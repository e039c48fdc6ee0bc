//! 一有七中心 over HTTP on SQLite and PostgreSQL: an ineligible order refused with 422 naming
//! the rule and nothing written; a full slot puts an order on the waiting list and a
//! cancellation promotes it; an order assigned, completed and rated by its resident, counted;
//! an order without an account followed and rated by its lookup code.

use crate::app::{OWN_GRID, TestApp, spawn_app};
use gongzhi_domain::access::{Role, Scope};
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::codes::{AreaCode, IdNumber, Phone};
use gongzhi_domain::population::{PoliticalStatus, Relation};
use gongzhi_store::records::{DepartmentRecord, ResidentRecord};
use gongzhi_store::{EventActor, now_millis};
use gongzhi_testkit::backends;
use serde_json::{Value, json};

const COMMUNITY: &str = "320508019044";

fn today() -> String {
    date_of(now_millis()).to_string()
}

/// The lead departments, a centre staff account, the resident account linked to 居民0 (born
/// 1960), a resident of 45 (王小明, 13900001111) and an elder (李奶奶, 13900002222) in the own
/// grid's household, and an elder-care centre with a lunch for those 60 and over: its id.
async fn setup(app: &mut TestApp, capacity: u32) -> i64 {
    app.store
        .upsert_departments(&[DepartmentRecord {
            code: "MZ".into(),
            name: "姑苏区民政局".into(),
        }])
        .await
        .unwrap();
    app.add_account(
        "centre",
        Role::CentreStaff,
        Scope::Area(AreaCode::parse(COMMUNITY).unwrap()),
        false,
    )
    .await;
    let household = format!("{OWN_GRID}-001-101");
    let year = date_of(now_millis()).year();
    for (i, (name, phone, born)) in [
        ("王小明", "13900001111", year - 45),
        ("李奶奶", "13900002222", 1940),
    ]
    .iter()
    .enumerate()
    {
        app.store
            .import_residents(&[ResidentRecord {
                id_number: IdNumber::from_parts("320508", *born, 3, 3, 500 + i as u16),
                name: name.to_string(),
                phone: Some(Phone::parse(phone).unwrap()),
                household_code: household.clone(),
                relation: Relation::parse("户主").unwrap(),
                political_status: PoliticalStatus::parse("群众").unwrap(),
            }])
            .await
            .unwrap();
    }
    let resident_account = app
        .store
        .account_by_username("resident")
        .await
        .unwrap()
        .unwrap()
        .id;
    let elder = app
        .store
        .resident_by_name_phone(
            &AreaCode::parse(COMMUNITY).unwrap(),
            "居民0",
            &Phone::parse("13800002000").unwrap(),
        )
        .await
        .unwrap()
        .expect("居民0");
    app.store
        .link_resident_account(
            resident_account,
            elder,
            &EventActor {
                account_id: None,
                name: "test".into(),
            },
        )
        .await
        .unwrap();
    let (s, v) = app
        .post_json_as(
            "community",
            "/api/v1/services/centres",
            json!({"community": COMMUNITY, "kind": "elder_care", "name": "养育巷社区老年人日间照料中心",
                   "address": "测试路1号", "lon": 120.6005, "lat": 31.3005,
                   "opening_hours": "每天 8:00-17:00"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["lead_department"], "MZ");
    let centre = v["id"].as_i64().unwrap();
    let (s, v) = app
        .post_json_as(
            "community",
            "/api/v1/services/menu",
            json!({"centre_id": centre, "name": "助餐（午餐）", "description": "中午到中心就餐或送餐上门",
                   "min_age": 60, "weekdays": [1,2,3,4,5,6,7], "slots": ["11:00-12:00"],
                   "capacity": capacity}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_i64().unwrap()
}

async fn orders(app: &TestApp, who: &str) -> Vec<Value> {
    app.get_json_as(who, "/api/v1/services/orders")
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_ineligible_order_is_refused_with_422_naming_the_rule() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let item = setup(&mut app, 2).await;
        let (s, v) = app
            .post_json_as(
                "centre",
                "/api/v1/services/orders",
                json!({"item_id": item, "service_date": today(), "slot": "11:00-12:00",
                       "name": "王小明", "phone": "13900001111"}),
            )
            .await;
        assert_eq!(s, 422, "{backend:?}: {v}");
        let v = &v["error"];
        assert_eq!(v["code"], "not_eligible", "{v}");
        assert_eq!(v["field"], "resident", "{v}");
        assert_eq!(
            v["message"], "本服务仅限 60 岁及以上老年人（申请人 45 岁）",
            "{v}"
        );
        assert!(
            v["message_en"]
                .as_str()
                .unwrap()
                .contains("aged 60 and over (applicant is 45)"),
            "{v}"
        );
        assert!(orders(&app, "centre").await.is_empty(), "nothing written");
        // A day the item is not served, a slot it does not have: 422 on their fields.
        let (s, v) = app
            .post_json_as(
                "centre",
                "/api/v1/services/orders",
                json!({"item_id": item, "service_date": today(), "slot": "15:00-16:00",
                       "name": "李奶奶", "phone": "13900002222"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (422, Some("slot")),
            "{v}"
        );
        // A resident outside the population base is not served.
        let (s, v) = app
            .post_json_as(
                "centre",
                "/api/v1/services/orders",
                json!({"item_id": item, "service_date": today(), "slot": "11:00-12:00",
                       "name": "不存在", "phone": "13900009999"}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("unknown_resident")),
            "{v}"
        );
        assert!(orders(&app, "centre").await.is_empty());
    }
}

#[tokio::test]
async fn a_full_slot_puts_the_order_on_the_waiting_list_and_a_cancellation_promotes_it() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let item = setup(&mut app, 1).await;
        let (s, mine) = app
            .post_json_as(
                "resident",
                "/api/v1/services/orders",
                json!({"item_id": item, "service_date": today(), "slot": "11:00-12:00"}),
            )
            .await;
        assert_eq!(s, 201, "{backend:?}: {mine}");
        assert_eq!(mine["order"]["state"], "placed");
        assert_eq!(mine["order"]["resident_name"], "居**", "masked");
        let (s, waiting) = app
            .post_json_as(
                "centre",
                "/api/v1/services/orders",
                json!({"item_id": item, "service_date": today(), "slot": "11:00-12:00",
                       "name": "李奶奶", "phone": "13900002222"}),
            )
            .await;
        assert_eq!(s, 201, "{waiting}");
        assert_eq!(waiting["order"]["state"], "waiting", "the slot is full");
        assert_eq!(waiting["waiting_position"], 1);
        let waiting_id = waiting["order"]["id"].as_i64().unwrap();
        // The resident lists only its own order; the centre both.
        assert_eq!(orders(&app, "resident").await.len(), 1);
        assert_eq!(orders(&app, "centre").await.len(), 2);
        let mine_id = mine["order"]["id"].as_i64().unwrap();
        // Another resident's order is not the resident's to cancel or see.
        let r = app
            .get_as("resident", &format!("/api/v1/services/orders/{waiting_id}"))
            .await;
        assert_eq!(r.status(), 404);
        let (s, v) = app
            .post_json_as(
                "resident",
                &format!("/api/v1/services/orders/{mine_id}/cancel"),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["order"]["state"], "cancelled");
        assert_eq!(v["promoted"], waiting_id, "{backend:?}: the first in line");
        let w = app
            .get_json_as("centre", &format!("/api/v1/services/orders/{waiting_id}"))
            .await;
        assert_eq!(w["state"], "placed", "{w}");
        // Cancelling twice is a conflict with the stored state.
        let (s, v) = app
            .post_json_as(
                "resident",
                &format!("/api/v1/services/orders/{mine_id}/cancel"),
                json!({}),
            )
            .await;
        assert_eq!(s, 409, "{v}");
    }
}

#[tokio::test]
async fn an_order_is_assigned_completed_rated_and_counted() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let item = setup(&mut app, 3).await;
        let (s, v) = app
            .post_json_as(
                "resident",
                "/api/v1/services/orders",
                json!({"item_id": item, "service_date": today(), "slot": "11:00-12:00"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let id = v["order"]["id"].as_i64().unwrap();
        let path = |what: &str| format!("/api/v1/services/orders/{id}/{what}");
        // A resident does not fulfil; rating before completion is a conflict.
        let (s, _) = app
            .post_json_as(
                "resident",
                &path("assign"),
                json!({"assignee_name": "我", "scheduled_at": "11:00"}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, _) = app
            .post_json_as("resident", &path("rate"), json!({"rating": "satisfied"}))
            .await;
        assert_eq!(s, 409);
        let (s, v) = app
            .post_json_as(
                "centre",
                &path("assign"),
                json!({"assignee_name": "志愿者小陈", "scheduled_at": "11:30"}),
            )
            .await;
        assert_eq!((s, v["state"].as_str()), (200, Some("assigned")), "{v}");
        let (s, v) = app
            .post_json_as(
                "centre",
                &path("complete"),
                json!({"notes": "午餐已送到，老人身体很好"}),
            )
            .await;
        assert_eq!((s, v["state"].as_str()), (200, Some("completed")), "{v}");
        let (s, v) = app
            .post_json_as("resident", &path("rate"), json!({"rating": "满意"}))
            .await;
        assert_eq!(
            (s, v["rating"].as_str()),
            (200, Some("satisfied")),
            "{backend:?}: {v}"
        );
        let counts = app
            .get_json_as("community", "/api/v1/services/counts?by=community")
            .await;
        assert_eq!(counts[0]["fulfilled"], 1, "{counts}");
        assert_eq!(counts[0]["on_time"], 1);
        assert_eq!(counts[0]["satisfaction_rate"], 1.0);
        assert_eq!(counts[0]["name"], "养育巷社区");
        for x in ["centres", "menu", "orders", "providers", "counts"] {
            let r = app
                .get_as("community", &format!("/api/v1/services/{x}.xlsx"))
                .await;
            assert_eq!(r.status(), 200, "{x}.xlsx");
        }
        // Residents see no counts; another community's staff see none of these orders.
        let r = app.get_as("resident", "/api/v1/services/counts").await;
        assert_eq!(r.status(), 403);
        let log = app
            .store
            .record_events_of(&format!("order/{id}"))
            .await
            .unwrap();
        assert_eq!(
            log,
            ["created", "assigned", "completed", "rated"],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn an_order_without_an_account_is_followed_and_rated_by_its_lookup_code() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let item = setup(&mut app, 3).await;
        let r = app
            .client
            .post(app.url("/api/v1/public/services/orders"))
            .json(
                &json!({"item_id": item, "service_date": today(), "slot": "11:00-12:00",
                          "name": "李奶奶", "phone": "13900002222"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        let code = v["lookup_code"].as_str().unwrap().to_string();
        assert!(!code.is_empty());
        assert!(
            v["order"].get("resident_name").is_none(),
            "no name on the public answer"
        );
        let id = orders(&app, "centre").await[0]["id"].as_i64().unwrap();
        for (what, body) in [
            (
                "assign",
                json!({"assignee_name": "社工小王", "scheduled_at": "11:00"}),
            ),
            ("complete", json!({"notes": "已上门服务"})),
        ] {
            let (s, v) = app
                .post_json_as(
                    "centre",
                    &format!("/api/v1/services/orders/{id}/{what}"),
                    body,
                )
                .await;
            assert_eq!(s, 200, "{v}");
        }
        let r = app
            .client
            .post(app.url(&format!("/api/v1/public/services/orders/{code}/rate")))
            .json(&json!({"rating": "basically_satisfied"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend:?}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["state"], "completed");
        assert_eq!(v["rating"], "basically_satisfied");
    }
}

/// A community changes its centre's name, address and hours (its point stays unless both
/// coordinates come); centre staff may not; a blank name is refused naming the field and
/// changes nothing.
#[tokio::test]
async fn the_community_changes_its_centre() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        setup(&mut app, 5).await;
        let centres = app
            .get_json_as("community", "/api/v1/services/centres")
            .await;
        let centre = centres
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "养育巷社区老年人日间照料中心")
            .expect("the centre")
            .clone();
        let path = format!("/api/v1/services/centres/{}", centre["id"]);
        let put = |who: &'static str, body: Value| {
            let (app, path) = (&app, path.clone());
            async move {
                let r = app
                    .client
                    .put(app.url(&path))
                    .bearer_auth(&app.tokens[who])
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let change = json!({"name": "养育巷社区颐养中心", "address": "测试路2号",
                            "opening_hours": "周一至周六 8:00-18:00"});
        let (s, v) = put("centre", change.clone()).await;
        assert_eq!(s, 403, "{backend:?} centre staff: {v}");
        let (s, v) = put(
            "community",
            json!({"name": " ", "address": "x", "opening_hours": "y"}),
        )
        .await;
        assert_eq!(s, 422, "{backend:?} {v}");
        assert_eq!(v["error"]["field"], "name", "{v}");
        let (s, v) = put("community", change).await;
        assert_eq!(s, 200, "{backend:?} {v}");
        assert_eq!(v["name"], "养育巷社区颐养中心");
        assert_eq!(v["opening_hours"], "周一至周六 8:00-18:00");
        assert_eq!(v["lon"], centre["lon"], "the point stays");
        assert_eq!(v["kind"], centre["kind"]);
        let detail = app.get_json_as("community", &path).await;
        assert_eq!(detail["centre"]["address"], "测试路2号");
    }
}

/// The photo taken when an order is completed on the order page is shown on that page to
/// those who may see the order, and to no one else.
#[tokio::test]
async fn a_completion_photo_is_shown_on_the_order_page() {
    const JPEG: [u8; 11] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        let item = setup(&mut app, 3).await;
        let (s, v) = app
            .post_json_as(
                "resident",
                "/api/v1/services/orders",
                json!({"item_id": item, "service_date": today(), "slot": "11:00-12:00"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let id = v["order"]["id"].as_i64().unwrap();
        let (s, v) = app
            .post_json_as(
                "centre",
                &format!("/api/v1/services/orders/{id}/assign"),
                json!({"assignee_name": "志愿者小陈", "scheduled_at": "11:30"}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        let r = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&json!({"username": "centre", "password": crate::app::PASSWORD}))
            .send()
            .await
            .unwrap();
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let me: Value = r.json().await.unwrap();
        let form = reqwest::multipart::Form::new()
            .text("csrf", me["csrf_token"].as_str().unwrap().to_string())
            .text("notes", "午餐已送到")
            .part(
                "photo",
                reqwest::multipart::Part::bytes(JPEG.to_vec()).file_name("done.jpg"),
            );
        let r = app
            .client
            .post(app.url(&format!("/services/orders/{id}/complete")))
            .header("cookie", &cookie)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{backend:?}");
        let html = app
            .client
            .get(app.url(&format!("/services/orders/{id}")))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("id=\"order-photo\""), "{backend:?}");
        for (who, status) in [
            ("centre", 200),
            ("community", 200),
            ("resident", 200),
            ("street", 200),
            ("grid", 200),
            ("department", 404),
        ] {
            let r = app
                .get_as(who, &format!("/services/orders/{id}/photo"))
                .await;
            assert_eq!(r.status(), status, "{backend:?} {who}");
            if status == 200 {
                assert_eq!(r.headers()["content-type"], "image/jpeg");
                assert_eq!(&r.bytes().await.unwrap()[..], &JPEG[..]);
            }
        }
    }
}

/// The administrator links a resident's account to its resident by the full ID number, on the
/// account's page; the search is logged as a read of personal data; a wrong number or a staff
/// account changes nothing.
#[tokio::test]
async fn the_administrator_links_a_resident_account_on_its_page() {
    for backend in backends() {
        let mut app = spawn_app(backend).await;
        setup(&mut app, 3).await;
        let account = |who: &'static str| {
            let app = &app;
            async move {
                app.store
                    .account_by_username(who)
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            }
        };
        let (resident, community) = (account("resident").await, account("community").await);
        let r = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&json!({"username": "admin", "password": crate::app::PASSWORD}))
            .send()
            .await
            .unwrap();
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let me: Value = r.json().await.unwrap();
        let csrf = me["csrf_token"].as_str().unwrap().to_string();
        let post = |id: i64, number: String| {
            let (app, cookie, csrf) = (&app, cookie.clone(), csrf.clone());
            async move {
                app.client
                    .post(app.url(&format!("/admin/accounts/{id}/resident")))
                    .header("cookie", cookie)
                    .form(&[("csrf", csrf), ("id_number", number)])
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap()
            }
        };
        let year = date_of(now_millis()).year();
        let wang = IdNumber::from_parts("320508", year - 45, 3, 3, 500).to_string();
        let before = app.store.linked_resident(resident).await.unwrap();
        let html = post(resident, "110101".into()).await;
        assert!(html.contains("身份证号"), "{backend:?} {html}");
        let html = post(community, wang.clone()).await;
        assert!(html.contains("只有居民账号可以关联人口信息"), "{backend:?}");
        assert_eq!(app.store.linked_resident(resident).await.unwrap(), before);
        let html = post(resident, wang).await;
        assert!(html.contains("已关联居民信息"), "{backend:?} {html}");
        let (linked, _) = app.store.linked_resident(resident).await.unwrap().unwrap();
        assert_eq!(
            app.store.resident(linked).await.unwrap().unwrap().name,
            "王小明"
        );
        let page = app
            .client
            .get(app.url(&format!("/admin/accounts/{resident}")))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let shown = page.find("linked-resident").map(|i| &page[i..i + 120]);
        assert!(page.contains("王**（养育巷社区）"), "{backend:?} {shown:?}");
        assert!(!page.contains("王小明"));
        let read = app.store.pii_access_entries(Some(linked), 5).await.unwrap();
        assert!(
            read.iter().any(|e| e.fields == "search:id_number"),
            "{backend:?} {read:?}"
        );
    }
}
