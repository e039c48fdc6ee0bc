//! The Open311 GeoReport v2 surface over our cases: services are the category tree, requests are
//! cases (the ticket is the `service_request_id`), intake goes through the same `service::file`
//! as every other channel.

use crate::cases::service::{self, Report};
use crate::open311::{
    Created, Extended, NewRequest, Note, Open311Port, PortError, RequestQuery, Service,
    ServiceDefinition, ServiceKind, ServiceRequest, Status,
};
use crate::state::AppState;
use gongzhi_domain::case::{Actor, Channel};
use gongzhi_domain::codes::Phone;
use gongzhi_store::{CaseEventRow, CaseFilter, CaseRow, EventActor, StoreError, now_millis};

pub struct StorePort(pub AppState);

fn internal(e: StoreError) -> PortError {
    tracing::error!(error = %e, "open311 port");
    PortError::Internal
}

impl StorePort {
    /// `events` are the case's events in order; without `extensions` its latest one is enough.
    async fn to_request(
        &self,
        row: &CaseRow,
        events: &[CaseEventRow],
        extensions: bool,
    ) -> Result<ServiceRequest, PortError> {
        let st = &self.0;
        let c = &row.case;
        // Names come from the cached lookups: a list of 1,000 requests must not cost 2,000 reads.
        let lookups = st.store.lookups().await.map_err(internal)?;
        let service_name = lookups
            .categories
            .get(&c.category)
            .map(|x| x.name.clone())
            .unwrap_or_default();
        let agency = c
            .department
            .as_ref()
            .and_then(|d| lookups.departments.get(d).map(|x| x.name.clone()));
        let status_notes = events.last().map(|e| e.event.zh());
        let extended = extensions.then(|| Extended {
            state: c.state.as_str().to_string(),
            state_zh: c.state.zh().to_string(),
            level: st.loop_cfg.current().escalation.name(c.level).to_string(),
            ticket: row.ticket.clone(),
            notes: events
                .iter()
                .map(|e| Note {
                    datetime: e.at,
                    kind: e.kind.clone(),
                    summary: e.event.zh(),
                })
                .collect(),
        });
        Ok(ServiceRequest {
            service_request_id: row.ticket.clone(),
            status: if c.state.is_open() {
                Status::Open
            } else {
                Status::Closed
            },
            status_notes,
            service_name,
            service_code: c.category.clone(),
            description: Some(row.description.clone()),
            agency_responsible: agency,
            service_notice: None,
            requested_datetime: row.reported_at,
            updated_datetime: row.updated_at,
            expected_datetime: c.deadline,
            address: Some(row.address.clone()).filter(|a| !a.is_empty()),
            address_id: None,
            zipcode: None,
            lat: row.lat,
            long: row.lon,
            media_url: None,
            extended,
        })
    }
}

impl Open311Port for StorePort {
    async fn services(&self) -> Result<Vec<Service>, PortError> {
        // The cached lookups, in code order as the table gives them: the list is read by every
        // Open311 client and changes only when an administrator edits the categories.
        let lookups = self.0.store.lookups().await.map_err(internal)?;
        let mut all: Vec<_> = lookups.categories.values().cloned().collect();
        all.sort_by(|a, b| a.code.cmp(&b.code));
        let majors: std::collections::HashMap<String, String> = all
            .iter()
            .filter(|c| c.parent.is_none())
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect();
        Ok(all
            .iter()
            .filter(|c| c.accepts_reports())
            .map(|c| Service {
                service_code: c.code.clone(),
                service_name: c.name.clone(),
                description: c.guidance.clone(),
                metadata: false,
                kind: ServiceKind::Realtime,
                keywords: vec![c.kind.clone(), c.deadline_class.as_str().to_string()],
                group: c.parent.as_ref().and_then(|p| majors.get(p).cloned()),
            })
            .collect())
    }

    async fn service_definition(&self, code: &str) -> Result<Option<ServiceDefinition>, PortError> {
        let found = self.0.store.category(code).await.map_err(internal)?;
        Ok(found
            .filter(|c| c.accepts_reports())
            .map(|c| ServiceDefinition {
                service_code: c.code,
                attributes: Vec::new(),
            }))
    }

    async fn check_api_key(&self, key: &str) -> Result<bool, PortError> {
        Ok(self
            .0
            .store
            .api_key_name(key)
            .await
            .map_err(internal)?
            .is_some())
    }

    async fn create_request(&self, new: NewRequest) -> Result<Created, PortError> {
        let st = &self.0;
        let client = st
            .store
            .api_key_name(&new.api_key)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        let reporter_phone = match new
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some(Phone::parse(p).map_err(|e| {
                use gongzhi_domain::Bilingual;
                PortError::BadRequest(format!("phone: {} / {}", e.message_zh(), e.message_en()))
            })?),
            None => None,
        };
        let report = Report {
            category: new.service_code.clone(),
            lon: new.long,
            lat: new.lat,
            address: new.address_string.clone().unwrap_or_default(),
            description: new.description.clone().unwrap_or_default(),
            emergency: false,
            channel: Some(Channel::Open311),
            reporter_phone,
            street: None,
            photos: Vec::new(),
        };
        let label = EventActor {
            account_id: None,
            name: format!("Open311 {client}"),
        };
        match service::file(st, &Actor::System, &label, report, now_millis()).await {
            Ok(filed) => Ok(Created {
                service_request_id: Some(filed.case.ticket),
                token: None,
                service_notice: Some(format!("查询码 lookup code: {}", filed.lookup_code)),
                account_id: None,
            }),
            Err(e) => {
                let text = format!("{} / {}", e.body.message, e.body.message_en);
                Err(match e.status.as_u16() {
                    404 => PortError::NotFound(text),
                    403 => PortError::Forbidden(text),
                    500..=599 => PortError::Internal,
                    _ => PortError::BadRequest(text),
                })
            }
        }
    }

    async fn requests(&self, q: RequestQuery) -> Result<Vec<ServiceRequest>, PortError> {
        let mut f = CaseFilter {
            tickets: q.ids.clone(),
            categories: q.service_codes.clone(),
            reported_from: q.start,
            reported_to: q.end,
            newest_first: true,
            offset: i64::from(q.page.saturating_sub(1)) * i64::from(q.page_size),
            limit: i64::from(q.page_size),
            ..Default::default()
        };
        if q.status.len() == 1 {
            f.states = match q.status[0] {
                Status::Open => [
                    "reported",
                    "registered",
                    "dispatched",
                    "in_progress",
                    "reported_back",
                    "verified",
                    "deferred",
                ],
                Status::Closed => ["closed", "rated", "cancelled", "merged", "", "", ""],
            }
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .collect();
        }
        let rows = self.0.store.cases(&f).await.map_err(internal)?;
        // The page's events in one read, not one per request; the public view shows none of
        // them (status notes and the timeline are staff words), so it reads none.
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let events = if q.full {
            self.0
                .store
                .case_events_of(&ids, !q.extensions)
                .await
                .map_err(internal)?
        } else {
            Default::default()
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let of_row = events.get(&row.id).map(Vec::as_slice).unwrap_or_default();
            out.push(self.to_request(row, of_row, q.extensions).await?);
        }
        Ok(out)
    }

    async fn request(
        &self,
        id: &str,
        extensions: bool,
    ) -> Result<Option<ServiceRequest>, PortError> {
        match self.0.store.case_by_ticket(id).await.map_err(internal)? {
            Some(row) => {
                let events = self.0.store.case_events(row.id).await.map_err(internal)?;
                Ok(Some(self.to_request(&row, &events, extensions).await?))
            }
            None => Ok(None),
        }
    }

    async fn request_id_for_token(&self, _token: &str) -> Result<Option<String>, PortError> {
        // Requests get their id at once, so no token is ever issued to look up.
        Ok(None)
    }
}
