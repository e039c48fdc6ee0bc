//! 公示栏 kept: notices, their published versions and attachments. Publishing, changing and
//! withdrawing check the stored state inside the write's transaction (`NoticeState`'s rules)
//! and append the record's event to the log in it (`ledger::append_record`, subject
//! `notice/ID`): the title and body are hashed there, so a withdrawn notice's text leaves the
//! public pages but its publication stays provable.

mod reads;
mod rows;
mod writes;

pub(crate) use writes::insert_notice;

pub use rows::{NoticeAttachmentRow, NoticeFilter, NoticeRow, NoticeVersionRow};

use crate::error::StoreError;
use gongzhi_domain::Bilingual;
use gongzhi_domain::notice_board::NoticeError;

/// A notice write refused by the rules on what is stored, or failed in the store.
#[derive(Debug)]
pub enum NoticeWriteError {
    Refused(NoticeError),
    Store(StoreError),
}

impl From<StoreError> for NoticeWriteError {
    fn from(e: StoreError) -> Self {
        NoticeWriteError::Store(e)
    }
}

impl From<sqlx::Error> for NoticeWriteError {
    fn from(e: sqlx::Error) -> Self {
        NoticeWriteError::Store(e.into())
    }
}

impl From<NoticeError> for NoticeWriteError {
    fn from(e: NoticeError) -> Self {
        NoticeWriteError::Refused(e)
    }
}

impl std::fmt::Display for NoticeWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoticeWriteError::Refused(e) => f.write_str(&e.message_en()),
            NoticeWriteError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for NoticeWriteError {}
