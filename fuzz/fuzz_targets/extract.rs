//! Extraction over any text, with the labels of the committed ESCO sample (855 aliases, 187
//! skills) and a few that stress offsets: no panic, and every mention's code point offsets
//! slice the input to exactly its surface text.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use powerskills::catalog::Skill;
use powerskills::catalog::extract::Extractor;

static EXTRACTOR: LazyLock<Extractor> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/esco/");
    let parsed = powerskills::import::esco::parse(
        format!("{dir}esco_skills_sample.csv").as_ref(),
        format!("{dir}esco_skill_groups.csv").as_ref(),
    )
    .expect("the sample parses");
    let mut labels: Vec<(String, Vec<String>)> =
        parsed.catalog.skills.into_iter().map(|s| (s.name, s.aliases)).collect();
    for (name, aliases) in [("İstanbul Tours", vec!["ǅungla"]), ("ML", vec!["IT", "C++", "straße"])] {
        labels.push((name.to_owned(), aliases.into_iter().map(str::to_owned).collect()));
    }
    let skills: Vec<Skill> = labels
        .into_iter()
        .map(|(name, aliases)| Skill {
            slug: String::new(),
            name,
            description: String::new(),
            category: 0,
            categories: vec![0],
            aliases,
            uri: None,
            skill_type: None,
            kind: powerskills::domain::SkillType::Skill,
        })
        .collect();
    Extractor::new(&skills)
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let chars: Vec<char> = text.chars().collect();
    for found in EXTRACTOR.extract(text) {
        for m in found.mentions {
            assert!(m.start < m.end && m.end <= chars.len(), "{m:?}");
            let sliced: String = chars[m.start..m.end].iter().collect();
            assert_eq!(sliced, m.surface);
        }
    }
});
