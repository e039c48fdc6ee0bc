//! The seam between the Open311 surface and the case store: the router only talks to this trait.

use super::model::{Created, NewRequest, RequestQuery, Service, ServiceDefinition, ServiceRequest};
use std::fmt;
use std::future::Future;

/// A refusal or failure from the port, mapped to the Open311 error list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortError {
    /// 400, with a description for the client.
    BadRequest(String),
    /// 404, with a description for the client.
    NotFound(String),
    /// 403, with a description for the client.
    Forbidden(String),
    /// 500; log the cause before returning this, the client only learns that it failed.
    Internal,
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortError::BadRequest(m) | PortError::NotFound(m) | PortError::Forbidden(m) => {
                f.write_str(m)
            }
            PortError::Internal => f.write_str("internal error"),
        }
    }
}

impl std::error::Error for PortError {}

/// What the Open311 router needs from the rest of the system.
pub trait Open311Port: Send + Sync + 'static {
    /// Every service (category) a client may report.
    fn services(&self) -> impl Future<Output = Result<Vec<Service>, PortError>> + Send;

    /// `None` when the code is unknown; a known service without attributes gives an empty list.
    fn service_definition(
        &self,
        code: &str,
    ) -> impl Future<Output = Result<Option<ServiceDefinition>, PortError>> + Send;

    /// True when the key is issued and active.
    fn check_api_key(&self, key: &str) -> impl Future<Output = Result<bool, PortError>> + Send;

    /// Registers a validated request (see [`NewRequest`]).
    fn create_request(
        &self,
        new: NewRequest,
    ) -> impl Future<Output = Result<Created, PortError>> + Send;

    /// See [`RequestQuery`] for the contract.
    fn requests(
        &self,
        q: RequestQuery,
    ) -> impl Future<Output = Result<Vec<ServiceRequest>, PortError>> + Send;

    /// `None` when there is no such request; fill `extended` when `extensions` is true.
    fn request(
        &self,
        id: &str,
        extensions: bool,
    ) -> impl Future<Output = Result<Option<ServiceRequest>, PortError>> + Send;

    /// The service request id a POST token stands for; `None` when the token is unknown.
    fn request_id_for_token(
        &self,
        token: &str,
    ) -> impl Future<Output = Result<Option<String>, PortError>> + Send;
}
