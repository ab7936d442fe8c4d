//! Integration tests: the real app on a random port over a real, freshly migrated SQLite file
//! per test. One test binary (modules below) keeps link times short.

mod helpers;

mod autocomplete;
mod backpressure;
mod catalog;
mod categories;
mod docs;
mod errors;
mod esco;
mod explore;
mod export;
mod extract;
mod faqs;
mod faults;
mod http;
mod import_catalog;
mod limits;
mod lookup;
mod metrics;
mod observability;
mod rejections;
mod reload;
mod search;
mod seed;
mod shed;
mod skill_type;
mod skills;
mod sorting;
mod startup;
mod versions;
