//! The schedule file: `date,kind,name` per line, an optional header, `#` comments allowed.
//!
//! Hand-parsed rather than through a CSV crate: three fields, no quoting needed (holiday names
//! have no commas), and the domain stays dependency-free.

use std::collections::HashMap;

use super::{CalendarDay, CalendarError, CalendarFault, Date, DayKind};

/// Parses the schedule into days in file order, rejecting the first bad line.
pub(super) fn parse(text: &str) -> Result<Vec<CalendarDay>, CalendarError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut days = Vec::new();
    let mut seen: HashMap<Date, usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let row = raw.trim();
        if row.is_empty() || row.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if line == 1
            && fields
                .first()
                .is_some_and(|f| f.eq_ignore_ascii_case("date"))
        {
            continue;
        }
        let fail = |fault| CalendarError { line, fault };
        if fields.len() != 3 {
            return Err(fail(CalendarFault::FieldCount {
                found: fields.len(),
            }));
        }
        let date = Date::parse(fields[0]).ok_or_else(|| {
            fail(CalendarFault::BadDate {
                text: fields[0].chars().take(40).collect(),
            })
        })?;
        let kind = DayKind::parse(fields[1]).ok_or_else(|| {
            fail(CalendarFault::BadKind {
                text: fields[1].chars().take(40).collect(),
            })
        })?;
        if let Some(&first_line) = seen.get(&date) {
            return Err(fail(CalendarFault::Duplicate { date, first_line }));
        }
        seen.insert(date, line);
        days.push(CalendarDay {
            date,
            kind,
            name: fields[2].to_string(),
        });
    }
    if days.is_empty() {
        return Err(CalendarError {
            line: 0,
            fault: CalendarFault::Empty,
        });
    }
    Ok(days)
}
