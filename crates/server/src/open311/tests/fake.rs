//! An in-memory port: three services, a handful of requests around a fixed "now", one API key.

use crate::open311::{
    Attribute, Created, Datatype, Extended, NewRequest, Note, Open311Port, PortError, RequestQuery,
    Service, ServiceDefinition, ServiceKind, ServiceRequest, Status,
};
use std::sync::Mutex;

/// 2026-11-27T08:00:00+08:00.
pub const NOW: i64 = 1_795_737_600_000;
pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
pub const KEY: &str = "k3y-open311-test";

/// Carries a control character (dropped in XML), a carriage return and markup characters.
pub const R1_DESCRIPTION: &str = "东门口有人占道 <卖菜> & 堵住 \"消防通道\" 'x'\u{1}\r\n第二行";
pub const NASTY_NAME: &str = "噪声 <扰民> & \"夜间\" '施工'";

pub struct FakePort {
    services: Vec<Service>,
    definitions: Vec<ServiceDefinition>,
    requests: Mutex<Vec<ServiceRequest>>,
    tokens: Mutex<Vec<(String, String)>>,
    /// Every request the router handed over.
    pub created: Mutex<Vec<NewRequest>>,
    /// The last query the router asked.
    pub last_query: Mutex<Option<RequestQuery>>,
    /// Return every match, ignoring `page`/`page_size` (to see the router's own cap).
    ignore_paging: bool,
}

impl FakePort {
    pub fn seeded() -> FakePort {
        FakePort {
            services: services(),
            definitions: definitions(),
            requests: Mutex::new(seed_requests()),
            tokens: Mutex::new(Vec::new()),
            created: Mutex::new(Vec::new()),
            last_query: Mutex::new(None),
            ignore_paging: false,
        }
    }

    /// `n` open requests a minute apart ending at `NOW`, answered without paging.
    pub fn bulk(n: i64) -> FakePort {
        let requests = (0..n)
            .map(|i| ServiceRequest {
                service_request_id: format!("B{i:05}"),
                requested_datetime: NOW - i * MINUTE,
                updated_datetime: NOW - i * MINUTE,
                ..plain("B", Status::Open, "2101", NOW)
            })
            .collect();
        FakePort {
            requests: Mutex::new(requests),
            ignore_paging: true,
            ..FakePort::seeded()
        }
    }

    pub fn created(&self) -> Vec<NewRequest> {
        self.created.lock().unwrap().clone()
    }

    pub fn last_query(&self) -> Option<RequestQuery> {
        self.last_query.lock().unwrap().clone()
    }
}

fn services() -> Vec<Service> {
    vec![
        Service {
            service_code: "2101".into(),
            service_name: "占道经营".into(),
            description: "在道路、广场占道摆摊经营".into(),
            metadata: true,
            kind: ServiceKind::Realtime,
            keywords: vec!["摊贩".into(), "占道".into()],
            group: Some("市容环境".into()),
        },
        Service {
            service_code: "3001".into(),
            service_name: "邻里纠纷".into(),
            description: "邻里之间的矛盾纠纷，由社区调解".into(),
            metadata: false,
            kind: ServiceKind::Batch,
            keywords: Vec::new(),
            group: Some("社区事务".into()),
        },
        Service {
            service_code: "4001".into(),
            service_name: NASTY_NAME.into(),
            description: "夜间施工噪声".into(),
            metadata: false,
            kind: ServiceKind::Blackbox,
            keywords: vec!["噪音".into()],
            group: None,
        },
    ]
}

fn attribute(code: &str, datatype: Datatype, order: u32, description: &str) -> Attribute {
    Attribute {
        variable: true,
        code: code.into(),
        datatype,
        required: false,
        datatype_description: None,
        order,
        description: description.into(),
        values: Vec::new(),
    }
}

fn definitions() -> Vec<ServiceDefinition> {
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(k, n)| (k.to_string(), n.to_string()))
            .collect()
    };
    vec![
        ServiceDefinition {
            service_code: "2101".into(),
            // Deliberately out of order: output follows `order`.
            attributes: vec![
                Attribute {
                    values: pairs(&[("noise", "噪音"), ("trash", "垃圾"), ("block", "堵塞通道")]),
                    ..attribute("tags", Datatype::MultiValueList, 2, "现场情况")
                },
                Attribute {
                    required: true,
                    values: pairs(&[("1", "轻微"), ("2", "严重")]),
                    ..attribute("severity", Datatype::SingleValueList, 1, "严重程度")
                },
                Attribute {
                    datatype_description: Some("整数".into()),
                    ..attribute("stalls", Datatype::Number, 3, "摊位数")
                },
                attribute("seen_at", Datatype::Datetime, 4, "发现时间"),
                attribute("plate", Datatype::String, 5, "车牌"),
                attribute("detail", Datatype::Text, 6, "补充说明"),
                Attribute {
                    variable: false,
                    ..attribute(
                        "notice",
                        Datatype::String,
                        7,
                        "请勿与摊贩 <争执> & 注意安全",
                    )
                },
            ],
        },
        ServiceDefinition {
            service_code: "3001".into(),
            attributes: Vec::new(),
        },
        ServiceDefinition {
            service_code: "4001".into(),
            attributes: Vec::new(),
        },
    ]
}

fn plain(id: &str, status: Status, code: &str, at: i64) -> ServiceRequest {
    let name = services()
        .into_iter()
        .find(|s| s.service_code == code)
        .map(|s| s.service_name)
        .unwrap_or_default();
    ServiceRequest {
        service_request_id: id.into(),
        status,
        status_notes: None,
        service_name: name,
        service_code: code.into(),
        description: None,
        agency_responsible: None,
        service_notice: None,
        requested_datetime: at,
        updated_datetime: at,
        expected_datetime: None,
        address: None,
        address_id: None,
        zipcode: None,
        lat: None,
        long: None,
        media_url: None,
        extended: None,
    }
}

fn seed_requests() -> Vec<ServiceRequest> {
    vec![
        ServiceRequest {
            status_notes: Some("已派遣至城管执法队".into()),
            description: Some(R1_DESCRIPTION.into()),
            agency_responsible: Some("城管执法队".into()),
            service_notice: Some("2 小时内处置".into()),
            updated_datetime: NOW - 30 * MINUTE,
            expected_datetime: Some(NOW + 2 * HOUR),
            address: Some("杭州市西湖区文三路 1 号".into()),
            address_id: Some("A-1".into()),
            zipcode: Some("310012".into()),
            lat: Some(30.2741),
            long: Some(120.1551),
            media_url: Some("https://example.cn/p/1.jpg?a=1&b=2".into()),
            extended: Some(Extended {
                state: "dispatched".into(),
                state_zh: "已派遣".into(),
                level: "社区".into(),
                ticket: "2026112700001".into(),
                notes: vec![
                    Note {
                        datetime: NOW - HOUR,
                        kind: "reported".into(),
                        summary: "居民上报".into(),
                    },
                    Note {
                        datetime: NOW - 30 * MINUTE,
                        kind: "dispatched".into(),
                        summary: "派遣至 城管执法队 <一中队>".into(),
                    },
                ],
            }),
            ..plain("2026112700001", Status::Open, "2101", NOW - HOUR)
        },
        ServiceRequest {
            status_notes: Some("双方已和解".into()),
            address: Some("幸福小区 3 幢".into()),
            updated_datetime: NOW - 6 * DAY,
            extended: Some(Extended {
                state: "closed".into(),
                state_zh: "已结案".into(),
                level: "社区".into(),
                ticket: "2026112000002".into(),
                notes: Vec::new(),
            }),
            ..plain("2026112000002", Status::Closed, "3001", NOW - 7 * DAY)
        },
        plain("2026083000003", Status::Open, "2101", NOW - 89 * DAY),
        plain("2026082000004", Status::Closed, "2101", NOW - 99 * DAY),
    ]
}

impl Open311Port for FakePort {
    async fn services(&self) -> Result<Vec<Service>, PortError> {
        Ok(self.services.clone())
    }

    async fn service_definition(&self, code: &str) -> Result<Option<ServiceDefinition>, PortError> {
        if code == "boom" {
            return Err(PortError::Internal);
        }
        Ok(self
            .definitions
            .iter()
            .find(|d| d.service_code == code)
            .cloned())
    }

    async fn check_api_key(&self, key: &str) -> Result<bool, PortError> {
        Ok(key == KEY)
    }

    async fn create_request(&self, new: NewRequest) -> Result<Created, PortError> {
        if new.address_string.as_deref() == Some("海外") {
            return Err(PortError::BadRequest(
                "位置不在本辖区 / the location is outside this jurisdiction".into(),
            ));
        }
        let mut requests = self.requests.lock().unwrap();
        let seq = requests.len() + 1;
        let id = format!("20261127{seq:05}");
        let kind = self
            .services
            .iter()
            .find(|s| s.service_code == new.service_code)
            .map(|s| s.kind)
            .ok_or(PortError::Internal)?;
        requests.push(ServiceRequest {
            description: new.description.clone(),
            address: new.address_string.clone(),
            lat: new.lat,
            long: new.long,
            ..plain(&id, Status::Open, &new.service_code, NOW)
        });
        let account_id = new.account_id.clone();
        self.created.lock().unwrap().push(new);
        let notice = Some("我们将在 2 小时内处置 / we will act within 2 hours".to_string());
        Ok(match kind {
            ServiceKind::Realtime => Created {
                service_request_id: Some(id),
                service_notice: notice,
                account_id,
                ..Created::default()
            },
            ServiceKind::Batch => {
                let token = format!("tok-{seq}");
                self.tokens.lock().unwrap().push((token.clone(), id));
                Created {
                    token: Some(token),
                    service_notice: notice,
                    account_id,
                    ..Created::default()
                }
            }
            ServiceKind::Blackbox => Created::default(),
        })
    }

    async fn requests(&self, q: RequestQuery) -> Result<Vec<ServiceRequest>, PortError> {
        *self.last_query.lock().unwrap() = Some(q.clone());
        let mut found: Vec<ServiceRequest> = self
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| {
                if !q.ids.is_empty() {
                    return q.ids.contains(&r.service_request_id);
                }
                (q.service_codes.is_empty() || q.service_codes.contains(&r.service_code))
                    && (q.status.is_empty() || q.status.contains(&r.status))
                    && q.start.is_none_or(|s| r.requested_datetime >= s)
                    && q.end.is_none_or(|e| r.requested_datetime <= e)
            })
            .cloned()
            .collect();
        found.sort_by(|a, b| {
            b.requested_datetime
                .cmp(&a.requested_datetime)
                .then_with(|| a.service_request_id.cmp(&b.service_request_id))
        });
        if !q.extensions {
            found.iter_mut().for_each(|r| r.extended = None);
        }
        if self.ignore_paging {
            return Ok(found);
        }
        let skip = (q.page as usize - 1) * q.page_size as usize;
        Ok(found
            .into_iter()
            .skip(skip)
            .take(q.page_size as usize)
            .collect())
    }

    async fn request(
        &self,
        id: &str,
        extensions: bool,
    ) -> Result<Option<ServiceRequest>, PortError> {
        Ok(self
            .requests
            .lock()
            .unwrap()
            .iter()
            .find(|r| r.service_request_id == id)
            .cloned()
            .map(|mut r| {
                if !extensions {
                    r.extended = None;
                }
                r
            }))
    }

    async fn request_id_for_token(&self, token: &str) -> Result<Option<String>, PortError> {
        Ok(self
            .tokens
            .lock()
            .unwrap()
            .iter()
            .find(|(t, _)| t == token)
            .map(|(_, id)| id.clone()))
    }
}
