//! The two output formats, chosen by the file extension of the last path segment.

use super::doc::Document;
use super::{json, xml};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

pub const JSON_TYPE: &str = "application/json; charset=utf-8";
pub const XML_TYPE: &str = "text/xml; charset=utf-8";

impl Format {
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "json" => Some(Format::Json),
            "xml" => Some(Format::Xml),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => JSON_TYPE,
            Format::Xml => XML_TYPE,
        }
    }

    pub fn render(self, doc: &Document) -> String {
        match self {
            Format::Json => json::render(doc),
            Format::Xml => xml::render(doc),
        }
    }

    pub fn respond(self, status: StatusCode, doc: &Document) -> Response {
        let mut resp = (status, self.render(doc)).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type()),
        );
        resp
    }
}

/// Splits `CODE.json` into `("CODE", Some(Json))`; an unknown or missing extension gives `None`.
pub fn split(file: &str) -> (&str, Option<Format>) {
    match file.rsplit_once('.') {
        Some((stem, ext)) => (stem, Format::from_extension(ext)),
        None => (file, None),
    }
}
