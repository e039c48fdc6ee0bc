//! Checks for the plain cells that have no domain type: names, codes, coordinates, counts.

use crate::record::Invalid;

/// Free text of 1–`max` characters (the caller has already refused empty cells).
pub(crate) fn text(max: usize) -> impl Fn(&str) -> Result<String, Invalid> {
    move |s| {
        let n = s.chars().count();
        if n > max {
            return Err(Invalid::new(
                format!("不能超过 {max} 个字，实际 {n} 个"),
                format!("at most {max} characters, got {n}"),
            ));
        }
        if let Some(c) = s.chars().find(|c| c.is_control() && *c != '\n') {
            return Err(Invalid::new(
                format!("含有控制字符 U+{:04X}", c as u32),
                format!("contains control character U+{:04X}", c as u32),
            ));
        }
        Ok(s.to_string())
    }
}

/// A record code such as 楼栋编号 or 户编号: no whitespace, at most 64 characters.
pub(crate) fn code(s: &str) -> Result<String, Invalid> {
    const MAX: usize = 64;
    if s.chars().any(char::is_whitespace) {
        return Err(Invalid::new("不能含有空格", "must not contain spaces"));
    }
    let n = s.chars().count();
    if n > MAX {
        return Err(Invalid::new(
            format!("不能超过 {MAX} 个字符，实际 {n} 个"),
            format!("at most {MAX} characters, got {n}"),
        ));
    }
    Ok(s.to_string())
}

/// A department code: 1–32 ASCII letters, digits, `-` or `_`.
pub(crate) fn department_code(s: &str) -> Result<String, Invalid> {
    const MAX: usize = 32;
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(Invalid::new(
            format!("部门代码只能含字母、数字、- 或 _，不能含“{c}”"),
            format!("department code may hold only letters, digits, - or _, not '{c}'"),
        ));
    }
    if s.len() > MAX {
        return Err(Invalid::new(
            format!("部门代码不能超过 {MAX} 个字符，实际 {} 个", s.len()),
            format!(
                "department code has at most {MAX} characters, got {}",
                s.len()
            ),
        ));
    }
    Ok(s.to_string())
}

/// A decimal number in `min..=max`.
pub(crate) fn decimal(min: f64, max: f64) -> impl Fn(&str) -> Result<f64, Invalid> {
    move |s| match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (min..=max).contains(&v) => Ok(v),
        Ok(_) => Err(Invalid::new(
            format!("应在 {min} 到 {max} 之间"),
            format!("must be between {min} and {max}"),
        )),
        Err(_) => Err(Invalid::new(
            "不是数字（应为十进制小数，如 120.6189）",
            "not a number (expected a decimal such as 120.6189)",
        )),
    }
}

/// A whole number in `min..=max`.
pub(crate) fn whole(min: u16, max: u16) -> impl Fn(&str) -> Result<u16, Invalid> {
    move |s| match s.parse::<u32>() {
        Ok(v) if (u32::from(min)..=u32::from(max)).contains(&v) => Ok(v as u16),
        Ok(_) => Err(Invalid::new(
            format!("应在 {min} 到 {max} 之间"),
            format!("must be between {min} and {max}"),
        )),
        Err(_) => Err(Invalid::new("应为整数", "must be a whole number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_length_counts_characters() {
        assert_eq!(text(5)("养育巷社区").unwrap(), "养育巷社区");
        let e = text(4)("养育巷社区").unwrap_err();
        assert_eq!(e.zh, "不能超过 4 个字，实际 5 个");
        assert!(text(10)("a\u{7}b").is_err());
    }

    #[test]
    fn codes() {
        assert!(code("320508019044001-001").is_ok());
        assert!(code("A 1").is_err());
        assert!(code(&"1".repeat(65)).is_err());
        assert!(department_code("CG_01-a").is_ok());
        assert!(department_code("城管").is_err());
        assert!(department_code(&"A".repeat(33)).is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(decimal(-180.0, 180.0)("120.6189").unwrap(), 120.6189);
        assert!(decimal(-90.0, 90.0)("91").is_err());
        assert!(decimal(-90.0, 90.0)("北纬31度").is_err());
        assert!(decimal(-90.0, 90.0)("NaN").is_err());
        assert_eq!(whole(1, 200)("6").unwrap(), 6);
        assert!(whole(1, 200)("0").is_err());
        assert!(whole(1, 200)("6.5").is_err());
        assert!(whole(1, 200)("70000").is_err());
    }
}
