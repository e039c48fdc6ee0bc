//! 吹哨报到 pages: the whistle board (a street's open whistles, who has not checked in, late
//! check-ins highlighted; a department's summons waiting on it), the street's grants to its
//! communities, the monthly rankings, and the form posts that run whistle commands from the
//! board and the case page.

use super::api::{BoardQuery, Grant, GrantBody, board_of, grant, grants_of};
use super::rankings::{Ranking, RankingQuery, ranking};
use super::views::BoardEntry;
use crate::auth::{PageUser, User, lang_of};
use crate::cases::api::{actor_of, load_case};
use crate::cases::service;
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::{offers_street_grants, own_department};
use gongzhi_domain::case::{Command, Summons, WhistleScores};
use gongzhi_store::{AreaRow, now_millis};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/whistles", get(board_page))
        .route("/whistles/grants", post(grant_form))
        .route("/whistles/rankings", get(rankings_page))
        .route("/cases/{id}/whistle", post(whistle_form))
}

#[derive(Template)]
#[template(path = "whistles.html")]
struct BoardPage {
    c: Chrome,
    /// What the caller's last action on the board did, shown once after the redirect.
    done: Option<String>,
    entries: Vec<BoardEntry>,
    show_all: bool,
    /// The department whose board this is (a department account).
    own_department: Option<String>,
    /// Its name, for the heading.
    own_department_name: Option<String>,
    /// Summoned parts not checked in on site yet, and late ones, over the board.
    waiting: usize,
    late: usize,
    grants: Vec<Grant>,
    /// Communities (and the street itself) the caller may grant the whistle to.
    grantable: Vec<AreaRow>,
}

impl BoardPage {
    fn granted(&self, code: &str) -> bool {
        self.grants.iter().any(|g| g.area == code)
    }
}

/// The communities of the caller's street (and the street itself) for the grant form; empty for
/// those who do not grant.
async fn grantable(st: &AppState, user: &User) -> ApiResult<Vec<AreaRow>> {
    let Some(own) = offers_street_grants(&user.principal()) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<AreaRow> = st.store.area(&own).await?.into_iter().collect();
    out.extend(st.store.area_children(&own).await?);
    Ok(out)
}

async fn board_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<BoardQuery>,
    Query(d): Query<crate::cases::pages::DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let entries = board_of(&st, &user, &q).await?;
        let own_department = own_department(&user.principal()).map(str::to_string);
        let parts = entries
            .iter()
            .flat_map(|e| &e.whistle.parts)
            .filter(|p| own_department.as_deref().is_none_or(|d| p.department == d));
        let (mut waiting, mut late) = (0, 0);
        for p in parts {
            waiting += usize::from(p.awaiting_check_in);
            late += usize::from(p.late);
        }
        Ok(render(&BoardPage {
            c: Chrome::new(t, &user, "/whistles", t.s("吹哨报到", "Whistles")),
            done: d.message(t),
            own_department_name: match &own_department {
                Some(code) => Some(
                    st.store
                        .lookups()
                        .await?
                        .departments
                        .get(code)
                        .map_or_else(|| code.clone(), |x| x.name.clone()),
                ),
                None => None,
            },
            show_all: !q.open_only(),
            grants: grants_of(&st, &user).await?,
            grantable: grantable(&st, &user).await?,
            entries,
            own_department,
            waiting,
            late,
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(serde::Deserialize)]
struct GrantForm {
    csrf: String,
    area: String,
    granted: Option<String>,
}

async fn grant_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<GrantForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        grant(
            &st,
            &user,
            &GrantBody {
                area: f.area.clone(),
                granted: f.granted.as_deref() == Some("true"),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/whistles").into_response(),
        Err(e) => page(t, &user, Err(e)),
    }
}

#[derive(Template)]
#[template(path = "whistle_rankings.html")]
struct RankingsPage {
    c: Chrome,
    r: Ranking,
    export_href: String,
    scale: u8,
    score_names: [(&'static str, &'static str); 4],
}

async fn rankings_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<RankingQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let r = ranking(&st, &user, &q).await?;
        let w = r.weights;
        let export_href = format!(
            "/api/v1/whistles/rankings.xlsx?month={}&w_loop={}&w_rating={}&w_punctuality={}",
            r.month, w.closed_loop, w.street_rating, w.punctuality
        );
        Ok(render(&RankingsPage {
            c: Chrome::new(
                t,
                &user,
                "/whistles/rankings",
                t.s("部门考核排名", "Rankings"),
            ),
            scale: r.rating_scale,
            r,
            export_href,
            score_names: WhistleScores::NAMES,
        }))
    }
    .await;
    page(t, &user, body)
}

/// The value of a form field (the last one given), trimmed.
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
}

fn number<T: std::str::FromStr>(pairs: &[(String, String)], name: &str) -> ApiResult<T> {
    field(pairs, name)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                name,
                format!("“{name}”须为数字"),
                format!("'{name}' must be a number"),
            )
        })
}

/// A whistle command from a posted form (the board's and the case page's forms). Departments
/// come as repeated `departments` fields or one comma-separated field; photos as photo ids.
pub fn form_command(pairs: &[(String, String)]) -> ApiResult<Command> {
    let text = |name: &str| field(pairs, name).unwrap_or("").to_string();
    let departments = || -> Vec<Summons> {
        pairs
            .iter()
            .filter(|(k, _)| k == "departments")
            .flat_map(|(_, v)| v.split([',', '，', ' ']))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(Summons::code)
            .collect()
    };
    let department = text("department");
    Ok(match field(pairs, "command").unwrap_or("") {
        "blow_whistle" => Command::BlowWhistle {
            departments: departments(),
            reason: text("reason"),
            lon: number(pairs, "lon")?,
            lat: number(pairs, "lat")?,
            address: text("address"),
            urgent: field(pairs, "urgent") == Some("true"),
        },
        "summon_departments" => Command::SummonDepartments {
            departments: departments(),
        },
        "acknowledge_whistle" => Command::AcknowledgeWhistle {
            department,
            officer: text("officer"),
        },
        "arrive_whistle" => Command::ArriveWhistle {
            department,
            lon: number(pairs, "lon")?,
            lat: number(pairs, "lat")?,
        },
        "finish_whistle_part" => Command::FinishWhistlePart {
            department,
            note: text("note"),
            photos: text("photos")
                .split([',', '，', ' '])
                .filter(|s| !s.trim().is_empty())
                .map(|s| {
                    s.trim().parse::<i64>().map_err(|_| {
                        ApiError::bad_request(
                            "photos",
                            format!("照片编号须为数字：{s}"),
                            format!("photo ids must be numbers: {s}"),
                        )
                    })
                })
                .collect::<ApiResult<Vec<i64>>>()?,
        },
        "reopen_whistle_part" => Command::ReopenWhistlePart {
            department,
            reason: text("note"),
        },
        "rate_whistle_department" => Command::RateWhistleDepartment {
            department,
            response: number(pairs, "response")?,
            arrival: number(pairs, "arrival")?,
            cooperation: number(pairs, "cooperation")?,
            result: number(pairs, "result")?,
            note: text("note"),
        },
        "rate_whistle_coordination" => Command::RateWhistleCoordination {
            department,
            score: number(pairs, "score")?,
            note: text("note"),
        },
        other => {
            return Err(ApiError::bad_request(
                "command",
                format!("未知的吹哨报到操作：{other}"),
                format!("unknown whistle command: {other}"),
            ));
        }
    })
}

/// Runs a whistle command posted from the case page or the board, then goes back there.
async fn whistle_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let t = lang_of(&headers);
    // Back to the board when posted from it, else to the case.
    let back = match field(&pairs, "return") {
        Some("/whistles") => "/whistles".to_string(),
        _ => format!("/cases/{id}"),
    };
    let result = async {
        user.check_csrf(field(&pairs, "csrf").unwrap_or(""))?;
        load_case(&st, &user, id).await?;
        let cmd = form_command(&pairs)?;
        let version = field(&pairs, "version").and_then(|v| v.parse().ok());
        let (who, label) = actor_of(&user);
        service::run(&st, id, version, &who, &label, cmd, now_millis()).await
    }
    .await;
    match result {
        Ok(_) => {
            let done = field(&pairs, "command").unwrap_or("");
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}done={done}")).into_response()
        }
        Err(e) if e.status.as_u16() == 404 || back == "/whistles" => page(t, &user, Err(e)),
        Err(e) => crate::cases::pages::refused_on_case_page(&st, &user, t, id, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn forms_become_whistle_commands() {
        let cmd = form_command(&pairs(&[
            ("command", "blow_whistle"),
            ("departments", "CG"),
            ("departments", "ZJ,HB"),
            ("reason", "联合执法"),
            ("lon", "120.6"),
            ("lat", "31.3"),
            ("urgent", "true"),
        ]))
        .unwrap();
        match cmd {
            Command::BlowWhistle {
                departments,
                urgent,
                ..
            } => {
                let codes: Vec<&str> = departments.iter().map(|s| s.code.as_str()).collect();
                assert_eq!(codes, ["CG", "ZJ", "HB"]);
                assert!(urgent);
            }
            other => panic!("{other:?}"),
        }
        let e = form_command(&pairs(&[
            ("command", "arrive_whistle"),
            ("department", "CG"),
            ("lon", "东经"),
        ]))
        .unwrap_err();
        assert_eq!(e.body.field.as_deref(), Some("lon"));
        let cmd = form_command(&pairs(&[
            ("command", "finish_whistle_part"),
            ("department", "CG"),
            ("note", "完成"),
            ("photos", "3, 4"),
        ]))
        .unwrap();
        assert_eq!(
            cmd,
            Command::FinishWhistlePart {
                department: "CG".into(),
                note: "完成".into(),
                photos: vec![3, 4]
            }
        );
        assert!(form_command(&pairs(&[("command", "close")])).is_err());
    }
}
