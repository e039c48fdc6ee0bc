//! A small SQL builder that numbers placeholders itself, so that dynamic filters and
//! multi-row inserts read the same on SQLite and PostgreSQL.
//!
//! PostgreSQL gets `$N`; SQLite gets anonymous `?`: the SQLite driver looks every numbered
//! parameter up by name, a linear scan per parameter, which made a 3,500-parameter INSERT
//! spend most of its time there.

use crate::db::Backend;
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
    /// Byte offsets of the `$N` placeholders in `text`, in order.
    marks: Vec<usize>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
            marks: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.marks.push(self.text.len());
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

    /// The text with the placeholders `backend` reads fastest.
    pub fn text_for(&self, backend: Backend) -> String {
        if backend == Backend::Postgres {
            return self.text.clone();
        }
        let mut out = String::with_capacity(self.text.len());
        let mut from = 0;
        for (i, &at) in self.marks.iter().enumerate() {
            out.push_str(&self.text[from..at]);
            out.push('?');
            from = at + 1 + (i + 1).to_string().len();
        }
        out.push_str(&self.text[from..]);
        out
    }

    /// The bound values, in placeholder order.
    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    pub fn query(&self, backend: Backend) -> Query<'_, Any, AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.text_for(backend)));
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
        assert_eq!(s.text_for(Backend::Postgres), s.text);
        assert_eq!(
            s.text_for(Backend::Sqlite),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }

    #[test]
    fn anonymous_placeholders_keep_the_text_around_them() {
        let mut s = Sql::new("SELECT * FROM t WHERE a = ");
        for i in 0..12 {
            if i > 0 {
                s.push(" OR a = ");
            }
            s.bind(Arg::Int(i));
        }
        s.push(" AND b = '$1'");
        let lite = s.text_for(Backend::Sqlite);
        assert_eq!(lite.matches('?').count(), 12);
        assert!(lite.ends_with("OR a = ? AND b = '$1'"), "{lite}");
    }
}
