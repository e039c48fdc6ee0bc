//! The schedule file: `date,kind,name` per line, an optional header, `#` comments allowed.
//!
//! Read with the `csv` crate (fields trimmed, quoting as in RFC 4180, so a quoted name may
//! hold a comma); the checks of each row and the line numbers in errors are ours.

use std::collections::HashMap;

use super::{CalendarDay, CalendarError, CalendarFault, Date, DayKind};

/// Parses the schedule into days in file order, rejecting the first bad line.
pub(super) fn parse(text: &str) -> Result<Vec<CalendarDay>, CalendarError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut days = Vec::new();
    let mut seen: HashMap<Date, usize> = HashMap::new();
    for record in reader.records() {
        // The source is a `&str` read in flexible mode: no I/O, UTF-8 and row-length errors.
        let record = record.expect("reading a str in flexible mode cannot fail");
        let line = record.position().map_or(0, |p| first_line(text, p));
        let fields: Vec<&str> = record.iter().collect();
        // Lines of blanks, and comments indented past the `#` the reader recognises.
        if fields == [""] || fields[0].starts_with('#') {
            continue;
        }
        if line == 1 && fields[0].eq_ignore_ascii_case("date") {
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
        if kind == DayKind::Workday && !date.weekday().is_weekend() {
            return Err(fail(CalendarFault::WorkdayOnWeekday { date }));
        }
        if fields[2].is_empty() {
            return Err(fail(CalendarFault::BlankName));
        }
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

/// The line a record starts on. The reader stamps a record with the position where it began
/// looking, before the empty and `#` lines it skipped on the way; count those too.
fn first_line(text: &str, at: &::csv::Position) -> usize {
    let rest = usize::try_from(at.byte())
        .ok()
        .and_then(|b| text.get(b..))
        .unwrap_or("");
    let skipped = rest
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with('#'))
        .count();
    at.line() as usize + skipped
}
