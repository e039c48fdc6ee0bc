//! `POST requests.{fmt}` parameters → a validated [`NewRequest`]. Every problem found is
//! reported at once, one error each.

use super::datetime;
use super::error::{Open311Error, bilingual};
use super::model::{Attribute, Datatype, NewRequest, ServiceDefinition};
use super::params::Params;

/// The spec's limit for `description`.
pub const MAX_DESCRIPTION: usize = 4000;

/// Builds the request for `def`'s service; `api_key` has been checked by the caller.
pub fn new_request(
    p: &Params,
    api_key: &str,
    def: &ServiceDefinition,
) -> Result<NewRequest, Open311Error> {
    let mut problems = Vec::new();
    let mut text = |key: &str, max: usize| -> Result<Option<String>, Open311Error> {
        let value = p.one(key)?.map(str::trim).filter(|v| !v.is_empty());
        if let Some(v) = value
            && v.chars().count() > max
        {
            problems.push(bilingual(
                &format!("{key} 不能超过 {max} 个字符"),
                &format!("{key} is limited to {max} characters"),
            ));
        }
        Ok(value.map(str::to_string))
    };
    let address_string = text("address_string", 500)?;
    let address_id = text("address_id", 200)?;
    let email = text("email", 254)?;
    let device_id = text("device_id", 200)?;
    let account_id = text("account_id", 200)?;
    let first_name = text("first_name", 100)?;
    let last_name = text("last_name", 100)?;
    let phone = text("phone", 40)?;
    let description = text("description", MAX_DESCRIPTION)?;
    let media_url = text("media_url", 2000)?;

    let (lat, long) = location(p, &mut problems)?;
    if lat.is_none() && long.is_none() && address_string.is_none() && address_id.is_none() {
        problems.push(bilingual(
            "缺少位置：请给出 lat 和 long，或 address_string，或 address_id",
            "a location is required: lat and long, or address_string, or address_id",
        ));
    }
    if let Some(url) = &media_url {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            problems.push(bilingual(
                "media_url 必须是 http:// 或 https:// 地址",
                "media_url must be an http:// or https:// URL",
            ));
        }
    }
    let attributes = attributes(p, def, &mut problems);

    if !problems.is_empty() {
        return Err(Open311Error::bad_requests(problems));
    }
    Ok(NewRequest {
        api_key: api_key.to_string(),
        service_code: def.service_code.clone(),
        lat,
        long,
        address_string,
        address_id,
        email,
        device_id,
        account_id,
        first_name,
        last_name,
        phone,
        description,
        media_url,
        attributes,
    })
}

type LatLong = (Option<f64>, Option<f64>);

fn location(p: &Params, problems: &mut Vec<String>) -> Result<LatLong, Open311Error> {
    let lat = p.one("lat")?.map(str::trim).filter(|v| !v.is_empty());
    let long = p.one("long")?.map(str::trim).filter(|v| !v.is_empty());
    let (lat, long) = match (lat, long) {
        (None, None) => return Ok((None, None)),
        (Some(lat), Some(long)) => (lat, long),
        _ => {
            problems.push(bilingual(
                "lat 和 long 必须同时给出",
                "lat and long must be sent together",
            ));
            return Ok((None, None));
        }
    };
    let lat = coordinate(lat, 90.0, "lat", "纬度", problems);
    let long = coordinate(long, 180.0, "long", "经度", problems);
    Ok(match (lat, long) {
        (Some(a), Some(b)) => (Some(a), Some(b)),
        _ => (None, None),
    })
}

fn coordinate(
    raw: &str,
    limit: f64,
    key: &str,
    zh: &str,
    problems: &mut Vec<String>,
) -> Option<f64> {
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Some(v),
        _ => {
            problems.push(bilingual(
                &format!("{key}（{zh}）必须是 -{limit} 到 {limit} 之间的数，收到「{raw}」"),
                &format!("{key} must be a number between -{limit} and {limit}, got '{raw}'"),
            ));
            None
        }
    }
}

/// `attribute[CODE]=v` and `attribute[CODE][]=v` → `(code, value)` in definition order;
/// values of a `datetime` attribute are normalised to `+08:00`.
fn attributes(
    p: &Params,
    def: &ServiceDefinition,
    problems: &mut Vec<String>,
) -> Vec<(String, String)> {
    let mut sent: Vec<(&Attribute, Vec<&str>)> = Vec::new();
    for (key, value) in p.pairs() {
        let Some(rest) = key.strip_prefix("attribute[") else {
            continue;
        };
        let Some((code, _)) = rest.split_once(']').filter(|(code, tail)| {
            !code.is_empty()
                && (tail.is_empty()
                    || tail
                        .strip_prefix('[')
                        .and_then(|t| t.strip_suffix(']'))
                        .is_some_and(|i| i.bytes().all(|c| c.is_ascii_digit())))
        }) else {
            problems.push(bilingual(
                &format!("无法识别的属性参数「{key}」，应为 attribute[代码] 或 attribute[代码][]"),
                &format!("malformed attribute parameter '{key}': use attribute[CODE] or attribute[CODE][]"),
            ));
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let Some(attr) = def.attributes.iter().find(|a| a.code == code) else {
            problems.push(bilingual(
                &format!("服务 {} 没有属性 {code}", def.service_code),
                &format!("service {} has no attribute {code}", def.service_code),
            ));
            continue;
        };
        if !attr.variable {
            // Informational attributes take no input; a client echoing one is harmless.
            continue;
        }
        match sent.iter_mut().find(|(a, _)| a.code == attr.code) {
            Some((_, values)) => {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
            None => sent.push((attr, vec![value])),
        }
    }

    let mut ordered: Vec<&Attribute> = def.attributes.iter().filter(|a| a.variable).collect();
    ordered.sort_by_key(|a| a.order);
    let mut out = Vec::new();
    for attr in ordered {
        let values = sent
            .iter()
            .find(|(a, _)| a.code == attr.code)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default();
        if values.is_empty() {
            if attr.required {
                problems.push(bilingual(
                    &format!("缺少必填属性 {}（{}）", attr.code, attr.description),
                    &format!("attribute {} ({}) is required", attr.code, attr.description),
                ));
            }
            continue;
        }
        if attr.datatype != Datatype::MultiValueList && values.len() > 1 {
            problems.push(bilingual(
                &format!("属性 {} 只能有一个值", attr.code),
                &format!("attribute {} takes one value", attr.code),
            ));
            continue;
        }
        for value in values {
            match check_value(attr, value) {
                Ok(v) => out.push((attr.code.clone(), v)),
                Err(problem) => problems.push(problem),
            }
        }
    }
    out
}

fn check_value(attr: &Attribute, value: &str) -> Result<String, String> {
    let code = &attr.code;
    if value.chars().count() > MAX_DESCRIPTION {
        return Err(bilingual(
            &format!("属性 {code} 的值不能超过 {MAX_DESCRIPTION} 个字符"),
            &format!("attribute {code} is limited to {MAX_DESCRIPTION} characters"),
        ));
    }
    match attr.datatype {
        Datatype::Text => Ok(value.to_string()),
        Datatype::String if value.contains(['\n', '\r']) => Err(bilingual(
            &format!("属性 {code} 只能是一行文字"),
            &format!("attribute {code} must be a single line"),
        )),
        Datatype::String => Ok(value.to_string()),
        Datatype::Number => match value.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(value.to_string()),
            _ => Err(bilingual(
                &format!("属性 {code} 必须是数字，收到「{value}」"),
                &format!("attribute {code} must be a number, got '{value}'"),
            )),
        },
        Datatype::Datetime => datetime::parse(value).map(datetime::format).ok_or_else(|| {
            bilingual(
                &format!("属性 {code} 必须是带时区的 W3C 时间，收到「{value}」"),
                &format!("attribute {code} must be a W3C datetime with a time zone, got '{value}'"),
            )
        }),
        Datatype::SingleValueList | Datatype::MultiValueList => {
            if attr.values.iter().any(|(key, _)| key == value) {
                Ok(value.to_string())
            } else {
                let keys: Vec<&str> = attr.values.iter().map(|(k, _)| k.as_str()).collect();
                Err(bilingual(
                    &format!(
                        "属性 {code} 的值「{value}」不在可选项 {} 中",
                        keys.join(", ")
                    ),
                    &format!(
                        "attribute {code}: '{value}' is not one of {}",
                        keys.join(", ")
                    ),
                ))
            }
        }
    }
}
