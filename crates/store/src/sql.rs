//! A small SQL builder that numbers `$N` placeholders itself, so that dynamic filters and
//! multi-row inserts read the same on SQLite and PostgreSQL.

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    Real(f64),
    Bytes(Vec<u8>),
    OptText(Option<String>),
    OptInt(Option<i64>),
    OptReal(Option<f64>),
    OptBytes(Option<Vec<u8>>),
}

#[derive(Default)]
pub(crate) struct Sql {
    pub text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    /// Appends `(…), (…)` with one placeholder per value, for a multi-row INSERT.
    pub fn values(&mut self, rows: impl IntoIterator<Item = Vec<Arg>>) -> &mut Self {
        for (i, row) in rows.into_iter().enumerate() {
            self.text.push_str(if i == 0 { "(" } else { ", (" });
            for (j, arg) in row.into_iter().enumerate() {
                if j > 0 {
                    self.text.push_str(", ");
                }
                self.bind(arg);
            }
            self.text.push(')');
        }
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Arg::Text(s) => q.bind(s.as_str()),
                Arg::Int(i) => q.bind(*i),
                Arg::Real(f) => q.bind(*f),
                Arg::Bytes(b) => q.bind(b.as_slice()),
                Arg::OptText(s) => q.bind(s.as_deref()),
                Arg::OptInt(i) => q.bind(*i),
                Arg::OptReal(f) => q.bind(*f),
                Arg::OptBytes(b) => q.bind(b.as_deref()),
            };
        }
        q
    }
}

/// Rows per multi-row INSERT: well under SQLite's 32,766 parameter limit for our widest table.
pub(crate) const CHUNK: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_across_rows() {
        let mut s = Sql::new("INSERT INTO t (a, b) VALUES ");
        s.values(vec![
            vec![Arg::Int(1), Arg::Int(2)],
            vec![Arg::Int(3), Arg::Int(4)],
        ]);
        assert_eq!(s.text, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }
}
