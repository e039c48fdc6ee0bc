//! Open311 GeoReport v2 (<http://wiki.open311.org/GeoReport_v2>) at `/open311/v2`:
//! `discovery`, `services`, `services/{code}`, `POST requests`, `GET requests`,
//! `requests/{id}` and `tokens/{token}`, each as `.json` and `.xml`, errors as the spec's list
//! of `{code, description}`.
//!
//! The surface talks to the rest of the system only through [`Open311Port`]; build it with
//! [`router`] and merge it into the application.

mod datetime;
mod doc;
mod error;
mod format;
mod handlers;
mod intake;
mod json;
mod model;
mod params;
mod port;
mod query;
mod views;
mod xml;

#[cfg(test)]
mod tests;

pub use model::{
    Attribute, Created, Datatype, Extended, NewRequest, Note, RequestQuery, Service,
    ServiceDefinition, ServiceKind, ServiceRequest, Status,
};
pub use port::{Open311Port, PortError};

use axum::Router;
use axum::routing::any;
use std::fmt;
use std::sync::Arc;

/// Where the endpoint lives.
pub const BASE_PATH: &str = "/open311/v2";

/// Unix milliseconds now; replaceable for tests.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Settings of the Open311 surface.
#[derive(Clone)]
pub struct Open311Config {
    /// The one `jurisdiction_id` accepted; any other gives 404. A request without one is
    /// always accepted. `None` accepts (and ignores) any value.
    pub jurisdiction: Option<String>,
    /// Public base URL, e.g. `https://gongzhi.example.gov.cn`, for `discovery`; `None` takes
    /// the scheme and host the request came in on.
    pub public_url: Option<String>,
    /// Discovery `changeset`: when the service list or definitions last changed. Defaults to
    /// when the router was built, so clients refresh cached definitions after a restart.
    pub changeset: String,
    /// Discovery `contact`.
    pub contact: String,
    /// Discovery `key_service`: how to get an API key.
    pub key_service: String,
    pub clock: Clock,
}

impl Default for Open311Config {
    fn default() -> Self {
        let clock: Clock = Arc::new(system_now);
        Open311Config {
            jurisdiction: None,
            public_url: None,
            changeset: datetime::format(clock()),
            contact: "请联系本平台管理员 / Contact the administrator of this platform".into(),
            key_service: "API key 由管理员用 `gongzhi apikey create --name 名称` 签发 / \
                          An administrator issues keys with `gongzhi apikey create --name NAME`"
                .into(),
            clock,
        }
    }
}

impl fmt::Debug for Open311Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Open311Config")
            .field("jurisdiction", &self.jurisdiction)
            .field("public_url", &self.public_url)
            .field("changeset", &self.changeset)
            .field("contact", &self.contact)
            .field("key_service", &self.key_service)
            .finish_non_exhaustive()
    }
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The routes under [`BASE_PATH`], carrying their own state; merge into any `Router<S>`.
pub fn router<P: Open311Port, S: Clone + Send + Sync + 'static>(
    port: Arc<P>,
    config: Open311Config,
) -> Router<S> {
    let shared = Arc::new(handlers::Shared { port, config });
    Router::new()
        .route(
            &format!("{BASE_PATH}/{{*path}}"),
            any(handlers::dispatch::<P>),
        )
        .with_state(shared)
}
