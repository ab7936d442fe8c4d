//! Rebuilds when a migration is added (sqlx's `migrate!` does not notice on stable), and embeds
//! the vendored ESCO data (`data/esco/*.csv`, 6.5 MB) gzip-compressed (about 1.9 MB) so that
//! `powerskills import esco` works from the binary alone.

use std::io::Write;

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in ["esco_skills_en.csv", "esco_skill_groups_en.csv"] {
        let source = format!("data/esco/{name}");
        println!("cargo:rerun-if-changed={source}");
        let data = std::fs::read(&source).unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
        let file = std::fs::File::create(out.join(format!("{name}.gz"))).expect("OUT_DIR is writable");
        let mut gz = flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::best());
        gz.write_all(&data).expect("OUT_DIR is writable");
        gz.finish().expect("OUT_DIR is writable").flush().expect("OUT_DIR is writable");
    }
}
