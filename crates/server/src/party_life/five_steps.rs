//! 五步工作法: each compound's five steps derived from the data (members living there,
//! organisations built on it, joint meetings, services, activities) plus uploaded evidence;
//! the progress board across compounds (the district's 社治委 view) and a page per compound
//! where its activities and evidence are recorded.

use super::meetings::message;
use super::{area_names, narrowed, past_date, place_region, region, text, today};
use crate::auth::{ApiUser, PageUser, User, lang_of};
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::five_steps::{
    ActivityKind, FiveStepsRules, Step, StepStatus, StepView, derive, steps_done,
};
use gongzhi_store::{ActivityRow, CompoundStepsRow, EvidenceRow, NewActivity};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/five-steps", get(board_api))
        .route("/api/v1/five-steps/{compound}", get(compound_api))
        .route(
            "/api/v1/five-steps/{compound}/activities",
            post(activity_api),
        )
        .route("/api/v1/five-steps/{compound}/evidence", post(evidence_api))
        .route("/five-steps", get(board_page))
        .route("/five-steps.xlsx", get(export))
        .route("/five-steps/{compound}", get(compound_page))
        .route("/five-steps/{compound}/activity", post(activity_form))
        .route("/five-steps/{compound}/evidence", post(evidence_form))
        .route("/five-steps/evidence/{id}/photo", get(evidence_photo))
}

/// One compound on the board.
#[derive(Serialize)]
pub struct CompoundSteps {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub community_code: String,
    pub community_name: String,
    pub steps: Vec<StepView>,
    pub done: usize,
}

/// The board: how many compounds have done each step, and every compound.
#[derive(Serialize)]
pub struct Board {
    pub rules: FiveStepsRules,
    /// Compounds that have done each step, in step order.
    pub done_per_step: Vec<StepTotal>,
    pub compounds: Vec<CompoundSteps>,
}

#[derive(Serialize)]
pub struct StepTotal {
    pub step: Step,
    pub done: usize,
    pub in_progress: usize,
    pub not_started: usize,
}

fn steps_of(
    row: CompoundStepsRow,
    rules: &FiveStepsRules,
    names: &std::collections::HashMap<String, String>,
) -> CompoundSteps {
    let views = derive(&row.facts, rules);
    CompoundSteps {
        done: steps_done(&views),
        community_name: names
            .get(&row.community_code)
            .cloned()
            .unwrap_or_else(|| row.community_code.clone()),
        id: row.id,
        code: row.code,
        name: row.name,
        community_code: row.community_code,
        steps: views.to_vec(),
    }
}

pub async fn board(st: &AppState, area: Option<&AreaCode>) -> ApiResult<Board> {
    let rules = super::five_steps_rules(st).await?;
    let rows = st
        .store
        .compound_step_facts(area, None, today(), rules.joint_meeting_days)
        .await?;
    let names = area_names(st);
    let mut compounds: Vec<CompoundSteps> = rows
        .into_iter()
        .map(|r| steps_of(r, &rules, &names))
        .collect();
    // The furthest behind first: the board is a work list.
    compounds.sort_by(|a, b| a.done.cmp(&b.done).then_with(|| a.code.cmp(&b.code)));
    let done_per_step = Step::ALL
        .iter()
        .enumerate()
        .map(|(i, &step)| {
            let count = |s: StepStatus| compounds.iter().filter(|c| c.steps[i].status == s).count();
            StepTotal {
                step,
                done: count(StepStatus::Done),
                in_progress: count(StepStatus::InProgress),
                not_started: count(StepStatus::NotStarted),
            }
        })
        .collect();
    Ok(Board {
        rules,
        done_per_step,
        compounds,
    })
}

#[derive(Deserialize, Default)]
struct AreaQuery {
    area: Option<String>,
    done: Option<String>,
}

async fn board_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AreaQuery>,
) -> ApiResult<Json<Board>> {
    let area = narrowed(region(&user)?, q.area.as_deref())?;
    Ok(Json(board(&st, area.as_ref()).await?))
}

/// A compound the caller keeps: its steps, or 404 / 403.
async fn compound_of(st: &AppState, user: &User, id: i64) -> ApiResult<CompoundSteps> {
    let rules = super::five_steps_rules(st).await?;
    let row = st
        .store
        .compound_step_facts(None, Some(id), today(), rules.joint_meeting_days)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found(format!("小区 {id}"), format!("compound {id}")))?;
    let community = AreaCode::parse(&row.community_code)
        .map_err(|e| ApiError::from_bilingual(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    user.may(Action::ManagePartyOrg, &Target::Area(community))?;
    Ok(steps_of(row, &rules, &area_names(st)))
}

/// A compound with what its steps rest on.
#[derive(Serialize)]
pub struct CompoundDetail {
    #[serde(flatten)]
    pub steps: CompoundSteps,
    pub activities: Vec<ActivityRow>,
    pub evidence: Vec<EvidenceRow>,
}

async fn detail(st: &AppState, user: &User, id: i64) -> ApiResult<CompoundDetail> {
    let steps = compound_of(st, user, id).await?;
    Ok(CompoundDetail {
        activities: st.store.compound_activities(id, 200).await?,
        evidence: st.store.step_evidence(id).await?,
        steps,
    })
}

async fn compound_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<CompoundDetail>> {
    Ok(Json(detail(&st, &user, id).await?))
}

#[derive(Deserialize, Default)]
pub struct ActivityBody {
    pub kind: String,
    pub held_on: String,
    pub title: String,
    #[serde(default)]
    pub participants: Option<i64>,
    #[serde(default)]
    pub notes: String,
}

pub async fn add_activity(st: &AppState, user: &User, id: i64, b: ActivityBody) -> ApiResult<i64> {
    compound_of(st, user, id).await?;
    let kind = ActivityKind::parse(&b.kind).ok_or_else(|| {
        let names: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.zh()).collect();
        ApiError::bad_request(
            "kind",
            format!(
                "活动类型“{}”无效，可选：{}",
                b.kind.trim(),
                names.join("、")
            ),
            format!("unknown activity kind '{}'", b.kind.trim()),
        )
    })?;
    let participants = b.participants.unwrap_or(0);
    if !(0..=100_000).contains(&participants) {
        return Err(ApiError::bad_request(
            "participants",
            "参与人数应在 0 到 100000 之间",
            "participants must be between 0 and 100000",
        ));
    }
    let a = NewActivity {
        compound_id: id,
        kind,
        held_on: past_date("held_on", &b.held_on)?,
        title: text("title", "活动名称", &b.title, 200)?,
        participants,
        notes: b.notes.trim().chars().take(5000).collect(),
    };
    Ok(st
        .store
        .add_compound_activity(&a, &user.actor(), gongzhi_store::now_millis())
        .await?)
}

async fn activity_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ActivityBody>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let new = add_activity(&st, &user, id, b).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))))
}

#[derive(Deserialize)]
pub struct EvidenceBody {
    pub step: String,
    pub note: String,
}

fn parse_step(raw: &str) -> ApiResult<Step> {
    Step::parse(raw).ok_or_else(|| {
        let names: Vec<&str> = Step::ALL.iter().map(|k| k.zh()).collect();
        ApiError::bad_request(
            "step",
            format!("步骤“{}”无效，可选：{}", raw.trim(), names.join("、")),
            format!("unknown step '{}'", raw.trim()),
        )
    })
}

async fn add_evidence(
    st: &AppState,
    user: &User,
    id: i64,
    step: &str,
    note: &str,
    photo: Option<&[u8]>,
) -> ApiResult<i64> {
    compound_of(st, user, id).await?;
    let step = parse_step(step)?;
    let note = text("note", "说明", note, 2000)?;
    let written = match photo {
        Some(bytes) => Some(
            crate::cases::photos::write_into(st, &format!("photos/five-steps/{id}"), bytes).await?,
        ),
        None => None,
    };
    let path = written.as_ref().map(|(p, _)| p.path.clone());
    match st
        .store
        .add_step_evidence(
            id,
            step,
            &note,
            path.as_deref(),
            &user.actor(),
            gongzhi_store::now_millis(),
        )
        .await
    {
        Ok(new) => Ok(new),
        Err(e) => {
            if let Some(w) = written {
                crate::cases::photos::take_back(st, std::slice::from_ref(&w)).await;
            }
            Err(e.into())
        }
    }
}

async fn evidence_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<EvidenceBody>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let new = add_evidence(&st, &user, id, &b.step, &b.note, None).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))))
}

async fn evidence_photo(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let e =
        st.store.step_evidence_item(id).await?.ok_or_else(|| {
            ApiError::not_found(format!("佐证材料 {id}"), format!("evidence {id}"))
        })?;
    compound_of(&st, &user, e.compound_id).await?;
    let path = e
        .photo
        .ok_or_else(|| ApiError::not_found("该材料没有照片", "this evidence has no photo"))?;
    let bytes = tokio::fs::read(st.data_dir.join(&path))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, path, "reading evidence photo");
            ApiError::not_found(
                format!("佐证材料 {id} 的照片"),
                format!("photo of evidence {id}"),
            )
        })?;
    let mime = crate::cases::photos::sniff(&bytes)
        .map(|(m, _)| m)
        .unwrap_or("application/octet-stream");
    Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response())
}

#[derive(Template)]
#[template(path = "five_steps.html")]
struct BoardPage {
    c: Chrome,
    board: Board,
    places: crate::http::place_choices::PlaceChoices,
    area: String,
    grid: String,
}

impl BoardPage {
    fn status_class(&self, s: &StepStatus) -> &'static str {
        status_class(*s)
    }
}

fn status_class(s: StepStatus) -> &'static str {
    match s {
        StepStatus::Done => "step done",
        StepStatus::InProgress => "step doing",
        StepStatus::NotStarted => "step todo",
    }
}

async fn board_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<AreaQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let own = region(&user)?;
        let area = narrowed(own, q.area.as_deref())?;
        Ok(render(&BoardPage {
            c: Chrome::new(t, &user, "/five-steps", t.s("五步工作法", "Five steps")),
            board: board(&st, area.as_ref()).await?,
            places: crate::http::place_choices::place_choices(
                st.grids.places().as_deref(),
                &place_region(own.as_ref()),
            ),
            area: area.map(|a| a.to_string()).unwrap_or_default(),
            grid: String::new(),
        }))
    }
    .await;
    page(t, &user, body)
}

#[derive(Template)]
#[template(path = "five_steps_compound.html")]
struct CompoundPage {
    c: Chrome,
    d: CompoundDetail,
    done: Option<String>,
    error: Option<String>,
    today: String,
    kinds: Vec<(&'static str, &'static str)>,
    steps: Vec<(&'static str, &'static str)>,
}

impl CompoundPage {
    fn status_class(&self, s: &StepStatus) -> &'static str {
        status_class(*s)
    }
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "activity" => ("活动已记录", "The activity is recorded"),
        "evidence" => ("佐证材料已上传", "The evidence is uploaded"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

async fn render_compound(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let d = detail(st, user, id).await?;
    let title = format!("{} · {}", d.steps.name, t.s("五步工作法", "Five steps"));
    Ok(render(&CompoundPage {
        c: Chrome::new(t, user, "/five-steps", &title),
        d,
        done,
        error,
        today: today().to_string(),
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.zh()))
            .collect(),
        steps: Step::ALL.iter().map(|s| (s.as_str(), s.zh())).collect(),
    }))
}

async fn compound_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<AreaQuery>,
) -> Response {
    let t = lang_of(&headers);
    let done = q.done.as_deref().and_then(|d| done_text(t, d));
    let body = render_compound(&st, &user, t, id, done, None).await;
    page(t, &user, body)
}

/// A refused form shows the compound page again with the reason, at the refusal's status.
async fn refused(st: &AppState, user: &User, t: Lang, id: i64, e: ApiError) -> Response {
    match render_compound(st, user, t, id, None, Some(message(t, &e))).await {
        Ok(mut r) => {
            *r.status_mut() = e.status;
            r
        }
        Err(e2) => page(t, user, Err(e2)),
    }
}

async fn activity_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    let t = lang_of(&headers);
    let get = |n: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let result = async {
        user.check_csrf(&get("csrf"))?;
        let participants = match get("participants").trim() {
            "" => None,
            s => Some(s.parse::<i64>().map_err(|_| {
                ApiError::bad_request(
                    "participants",
                    "参与人数须为整数",
                    "participants must be a whole number",
                )
            })?),
        };
        add_activity(
            &st,
            &user,
            id,
            ActivityBody {
                kind: get("kind"),
                held_on: get("held_on"),
                title: get("title"),
                participants,
                notes: get("notes"),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/five-steps/{id}?done=activity")).into_response(),
        Err(e) => refused(&st, &user, t, id, e).await,
    }
}

/// The evidence form is multipart: a step, a note and an optional photo.
async fn evidence_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        let (mut csrf, mut step, mut note, mut photo) =
            (String::new(), String::new(), String::new(), None);
        while let Some(field) = form.next_field().await.map_err(|e| {
            ApiError::bad_request(
                "form",
                format!("表单无法读取：{e}"),
                format!("unreadable form: {e}"),
            )
        })? {
            match field.name().unwrap_or("") {
                "photo" => {
                    let bytes = crate::cases::photos::read_field(field, 1).await?;
                    if !bytes.is_empty() {
                        photo = Some(bytes);
                    }
                }
                name => {
                    let name = name.to_string();
                    let value = field.text().await.unwrap_or_default();
                    match name.as_str() {
                        "csrf" => csrf = value,
                        "step" => step = value,
                        "note" => note = value,
                        _ => {}
                    }
                }
            }
        }
        user.check_csrf(&csrf)?;
        add_evidence(&st, &user, id, &step, &note, photo.as_deref()).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/five-steps/{id}?done=evidence")).into_response(),
        Err(e) => refused(&st, &user, t, id, e).await,
    }
}

async fn export(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<AreaQuery>,
) -> ApiResult<Response> {
    let area = narrowed(region(&user)?, q.area.as_deref())?;
    let b = board(&st, area.as_ref()).await?;
    let mut headers = vec!["小区编码", "小区", "社区"];
    headers.extend(Step::ALL.iter().map(|s| s.zh()));
    headers.push("已完成步骤");
    let rows: Vec<Vec<String>> = b
        .compounds
        .iter()
        .map(|c| {
            let mut r = vec![c.code.clone(), c.name.clone(), c.community_name.clone()];
            r.extend(
                c.steps
                    .iter()
                    .map(|s| format!("{}：{}", s.status.zh(), s.zh)),
            );
            r.push(c.done.to_string());
            r
        })
        .collect();
    let bytes = gongzhi_sheets::write_table("五步工作法", &headers, &rows).map_err(sheet_error)?;
    let region_text = area
        .map(|a| format!("area:{a}"))
        .unwrap_or_else(|| "all".into());
    crate::http::api_io::audit_export(&st, &user, "five_steps", &region_text, "xlsx", rows.len())
        .await?;
    Ok(xlsx_attachment(bytes, "five-steps.xlsx"))
}
