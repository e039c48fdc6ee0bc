//! 派遣单 / 案卷: one case on an A4 sheet for the department that takes it on paper, and for the
//! file — ticket, dates, names of category and department, place, description, deadline, the
//! timeline, photo thumbnails and lines to sign. No menu; `@media print` drops the buttons.

use crate::auth::{PageUser, lang_of};
use crate::cases::api::load_case;
use crate::cases::views::{CaseView, TimelineEntry, case_view, timeline};
use crate::http::chrome::render;
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongzhi_store::now_millis;

#[derive(Template)]
#[template(path = "case_print.html")]
struct SlipPage {
    t: Lang,
    v: CaseView,
    /// The minor category's major one, when it has one.
    major_name: Option<String>,
    grid_name: Option<String>,
    community_name: Option<String>,
    timeline: Vec<TimelineEntry>,
    photos: Vec<gongzhi_store::PhotoRow>,
    printed_at: String,
}

pub async fn slip(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let row = load_case(&st, &user, id).await?;
        let now = now_millis();
        let v = case_view(&st, &row, now).await;
        let lookups = st.store.lookups().await?;
        let major_name = lookups
            .categories
            .get(&row.case.category)
            .and_then(|c| c.parent.as_ref())
            .and_then(|p| lookups.categories.get(p))
            .map(|p| p.name.clone());
        let grid_name = match row.case.grid {
            Some(g) => st.store.grid(&g).await?.map(|g| g.name),
            None => None,
        };
        let community_name = match row.case.community {
            Some(a) => st
                .store
                .areas()
                .await?
                .into_iter()
                .find(|x| x.code == a)
                .map(|x| x.name),
            None => None,
        };
        let mut tl = timeline(&st, &st.store.case_events(id).await?).await;
        crate::cases::whistles::views::name_timeline(&row.case, &mut tl);
        Ok(render(&SlipPage {
            t,
            v,
            major_name,
            grid_name,
            community_name,
            timeline: tl,
            photos: st.store.case_photos(id).await?,
            printed_at: crate::time::local(now),
        }))
    }
    .await;
    page(t, &user, body)
}
