//! Codes from outside (a form, a file, an API call) resolved once against the cached lookups:
//! the one place that says which categories take reports and which departments exist.

use super::AppError;
use gongzhi_store::{CategoryRow, DepartmentRow, Lookups};

/// The category a report may be filed under: a known, active leaf.
pub fn reportable<'l>(lookups: &'l Lookups, code: &str) -> Result<&'l CategoryRow, AppError> {
    if code.trim().is_empty() {
        return Err(AppError::bad_input(
            "category",
            "请选择问题类别：先选大类，再选小类",
            "choose the category: the major one, then the minor one",
        ));
    }
    lookups
        .categories
        .get(code.trim())
        .filter(|c| c.accepts_reports())
        .ok_or_else(|| {
            AppError::bad_input(
                "category",
                format!("未知的问题类别：{code}"),
                format!("unknown category: {code}"),
            )
        })
}

/// A department of this city, named in `field` of the request.
pub fn department<'l>(
    lookups: &'l Lookups,
    code: &str,
    field: &'static str,
) -> Result<&'l DepartmentRow, AppError> {
    lookups.departments.get(code.trim()).ok_or_else(|| {
        AppError::bad_input(
            field,
            format!("没有代码为 {code} 的职能部门"),
            format!("no department with code {code}"),
        )
    })
}
