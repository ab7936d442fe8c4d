//! `powerskills import`: reading a taxonomy's files into a [`NewCatalog`], reporting bad rows by
//! line, and writing it with [`db::replace_catalog`] (one transaction).
//!
//! [`NewCatalog`]: crate::db::NewCatalog
//! [`db::replace_catalog`]: crate::db::replace_catalog

pub mod esco;

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub file: String,
    /// 1-based line number in the file.
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}
