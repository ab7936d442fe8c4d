//! Extraction throughput over ESCO's full label set (criterion). Run by `bench/extract_vs_grep.sh`,
//! which compares it with GNU grep on the same text and labels in the same run.
//!
//! Catalog: `$POWERSKILLS_BENCH_SKILLS` / `$POWERSKILLS_BENCH_GROUPS` (default: the vendored `data/esco/`).
//! Writes the text and the labels it used to `target/bench/extract-text.txt` and
//! `target/bench/extract-labels.txt` so grep can be run on exactly the same input.

use std::path::PathBuf;

use criterion::{Criterion, Throughput};
use powerskills::catalog::Catalog;

fn path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

fn main() {
    let skills = path("POWERSKILLS_BENCH_SKILLS", "data/esco/esco_skills_en.csv");
    let groups = path("POWERSKILLS_BENCH_GROUPS", "data/esco/esco_skill_groups_en.csv");
    let parsed = powerskills::import::esco::parse(&skills, &groups).expect("the ESCO files parse");
    let catalog = Catalog::from_data(parsed.catalog.into_data()).expect("catalog");

    // 1 MiB of ESCO descriptions: prose that mentions skills the way job ads do.
    let mut text = String::new();
    'fill: loop {
        for s in &catalog.skills {
            text.push_str(&s.description);
            text.push_str(" Experience with ");
            text.push_str(&s.name);
            text.push_str(". ");
            if text.len() >= 1 << 20 {
                break 'fill;
            }
        }
    }
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("extract-text.txt"), &text).unwrap();
    let labels: Vec<&str> = catalog
        .skills
        .iter()
        .flat_map(|s| std::iter::once(s.name.as_str()).chain(s.aliases.iter().map(String::as_str)))
        .collect();
    std::fs::write(out.join("extract-labels.txt"), labels.join("\n") + "\n").unwrap();

    let found = catalog.extractor.extract(&text);
    eprintln!("{} labels; {} bytes of text; {} skills found", labels.len(), text.len(), found.len());

    let mut c = Criterion::default().configure_from_args().sample_size(20);
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("esco_1MiB", |b| b.iter(|| catalog.extractor.extract(std::hint::black_box(&text))));
    group.finish();
    c.final_summary();
}
