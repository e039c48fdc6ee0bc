//! Password strength for accounts created by administrators.

/// At least 8 characters with a letter and a digit. Returns the reason (Chinese, English)
/// when the password is too weak, `None` when it is acceptable.
pub fn password_weakness(password: &str) -> Option<(&'static str, &'static str)> {
    if password.chars().count() < 8 {
        return Some(("密码至少8个字符", "a password needs at least 8 characters"));
    }
    let letter = password.chars().any(|c| c.is_alphabetic());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    if !(letter && digit) {
        return Some((
            "密码须同时包含字母和数字",
            "a password needs both letters and digits",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_named() {
        assert_eq!(
            password_weakness("short1"),
            Some(("密码至少8个字符", "a password needs at least 8 characters"))
        );
        assert_eq!(
            password_weakness("onlyletters"),
            Some((
                "密码须同时包含字母和数字",
                "a password needs both letters and digits"
            ))
        );
        assert!(password_weakness("12345678").is_some());
        assert!(password_weakness("gongzhi2026").is_none());
        assert!(password_weakness("共治共享共建2026").is_none());
    }
}
