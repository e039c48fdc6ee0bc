//! Formula injection (CWE-1236): Excel, WPS and LibreOffice run a CSV cell that starts with
//! `=`, `+`, `-` or `@` as a formula (and skip a leading tab or line break to find one), so a
//! resident's name typed as `=HYPERLINK(…)` would act on the machine of whoever opens an export.
//! CSV text cells that could be read so get a leading `'`, which every spreadsheet shows as text;
//! our own CSV import takes it off again so that an export imports back unchanged. `.xlsx` cells
//! are typed (we write strings as strings), so they need no guard.

use std::borrow::Cow;

/// What makes a spreadsheet read a cell as a formula, or look past to one.
const TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

fn is_trigger(c: Option<char>) -> bool {
    c.is_some_and(|c| TRIGGERS.contains(&c))
}

/// Whether a cell needs the guard: it starts with a trigger, or with `'` (so that a value that
/// itself starts with `'` comes back whole: `'=x` is written `''=x`).
fn needs_guard(text: &str) -> bool {
    let first = text.chars().next();
    is_trigger(first) || first == Some('\'')
}

/// `text` as it must be written into a CSV text cell.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`neutralise`] on a cell read from CSV. A hand-made file's `'0123` (the
/// spreadsheet habit of forcing text) stays as it is.
pub(crate) fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_guarded_and_come_back_unchanged() {
        for text in [
            "=HYPERLINK(\"http://x\",\"点我\")",
            "+86 138",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            let guarded = neutralise(text);
            assert!(guarded.starts_with('\''), "{text:?}");
            assert_eq!(unguard(&guarded), text);
        }
        for text in ["张伟", "320508019044", "", "a=b"] {
            assert_eq!(neutralise(text), text);
            assert_eq!(unguard(text), text);
        }
        // A value that starts with ' round-trips too, and a hand-made '0123 is left alone.
        for text in ["'plain", "'=x", "''", "'"] {
            assert_eq!(unguard(&neutralise(text)), text, "{text:?}");
        }
        assert_eq!(unguard("'0123"), "'0123");
    }
}
