//! Finding the catalog's skills in free text: one Aho-Corasick automaton over every name and
//! alias, built once per catalog.
//!
//! Rules: matching is case-insensitive, except for labels of one or two characters ("IT", "HR",
//! "ML", "R"), which match only as written (otherwise "it" and "hr" would be found everywhere);
//! a match must be whole words (a label that starts or ends with a letter or digit may not
//! continue a word: "seo" is not in "seoul"); where matches overlap, the leftmost wins, and of
//! those starting at the same place the longest ("machine learning engineering" over
//! "machine learning").

use aho_corasick::automaton::OverlappingState;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::{Skill, SkillIx};

pub struct Extractor {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// The lowercased first word of every label that starts with a letter or digit: a word of
    /// the text that is not here cannot start a match, so the automaton is not even run there.
    first_words: std::collections::HashSet<String>,
}

struct Pattern {
    /// The label as written; the match must equal it when `exact_case`.
    label: String,
    exact_case: bool,
    ends_with_word_char: bool,
    /// Every skill that has this label (a label can name several skills).
    skills: Vec<SkillIx>,
}

/// One place a skill is mentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Unicode code point offsets into the text: `text.chars().skip(start).take(end - start)` is `surface`.
    pub start: usize,
    pub end: usize,
    pub surface: String,
}

/// A skill found in the text, with every place it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub skill: SkillIx,
    pub mentions: Vec<Mention>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Extractor {
    pub fn new(skills: &[Skill]) -> Self {
        let mut by_key: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for (ix, s) in skills.iter().enumerate() {
            for label in std::iter::once(&s.name).chain(&s.aliases) {
                let label = label.trim();
                if label.is_empty() {
                    continue;
                }
                let exact_case = label.chars().count() <= 2;
                let key = if exact_case { format!("={label}") } else { label.to_lowercase() };
                let at = *by_key.entry(key).or_insert_with(|| {
                    patterns.push(Pattern {
                        label: label.to_owned(),
                        exact_case,
                        ends_with_word_char: label.chars().next_back().is_some_and(is_word_char),
                        skills: Vec::new(),
                    });
                    patterns.len() - 1
                });
                if !patterns[at].skills.contains(&(ix as SkillIx)) {
                    patterns[at].skills.push(ix as SkillIx);
                }
            }
        }
        // Anchored searches from word starts only (see `extract`); a contiguous NFA builds in a
        // fraction of a DFA's time for ~100k labels.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(patterns.iter().map(|p| p.label.to_lowercase()))
            .expect("labels always build an automaton");
        let first_words = patterns
            .iter()
            .filter_map(|p| {
                let lower = p.label.to_lowercase();
                let word: String = lower.chars().take_while(|&c| is_word_char(c)).collect();
                (!word.is_empty()).then_some(word)
            })
            .collect();
        Extractor { automaton, patterns, first_words }
    }

    /// Every skill mentioned in `text`, in order of first mention.
    pub fn extract(&self, text: &str) -> Vec<Found> {
        // The automaton runs over the lowercased text; `origin[b]` is the index of the original
        // character that produced byte `b` of it, `at[c]` the byte where character `c` starts.
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut lower = String::with_capacity(text.len());
        let mut origin: Vec<u32> = Vec::with_capacity(text.len());
        let mut at: Vec<u32> = Vec::with_capacity(chars.len());
        for (ci, &(_, c)) in chars.iter().enumerate() {
            at.push(lower.len() as u32);
            for l in c.to_lowercase() {
                lower.push(l);
                origin.extend(std::iter::repeat_n(ci as u32, l.len_utf8()));
            }
        }
        let char_at = |byte: usize| if byte >= origin.len() { chars.len() } else { origin[byte] as usize };
        let byte_of = |ci: usize| if ci >= chars.len() { text.len() } else { chars[ci].0 };

        // Matches may only start where a word starts (or at punctuation, for labels like ".NET"):
        // an anchored search from each such place finds every label that starts there, and the
        // longest one that also ends on a word boundary is the candidate.
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        for (ci, &(_, c)) in chars.iter().enumerate() {
            let word_start = is_word_char(c) && (ci == 0 || !is_word_char(chars[ci - 1].1));
            if !word_start && (is_word_char(c) || c.is_whitespace()) {
                continue;
            }
            if word_start {
                let from = at[ci] as usize;
                let len = lower[from..].find(|c: char| !is_word_char(c)).unwrap_or(lower.len() - from);
                if !self.first_words.contains(&lower[from..from + len]) {
                    continue;
                }
            }
            let input = Input::new(&lower).span(at[ci] as usize..lower.len()).anchored(Anchored::Yes);
            let mut state = OverlappingState::start();
            let mut best: Option<(usize, usize)> = None;
            loop {
                self.automaton.find_overlapping(input.clone(), &mut state);
                let Some(m) = state.get_match() else { break };
                let pattern = &self.patterns[m.pattern().as_usize()];
                let end = char_at(m.end());
                if end <= ci || best.is_some_and(|(e, _)| e >= end) {
                    continue;
                }
                if pattern.ends_with_word_char && end < chars.len() && is_word_char(chars[end].1) {
                    continue;
                }
                if pattern.exact_case && text[byte_of(ci)..byte_of(end)] != pattern.label {
                    continue;
                }
                best = Some((end, m.pattern().as_usize()));
            }
            if let Some((end, pattern)) = best {
                candidates.push((ci, end, pattern));
            }
        }
        let mut found: Vec<Found> = Vec::new();
        let mut slot: std::collections::HashMap<SkillIx, usize> = std::collections::HashMap::new();
        let mut covered_to = 0;
        for (start, end, pattern) in candidates {
            if start < covered_to {
                continue;
            }
            covered_to = end;
            let surface = &text[byte_of(start)..byte_of(end)];
            for &skill in &self.patterns[pattern].skills {
                let mention = Mention { start, end, surface: surface.to_owned() };
                let at = *slot.entry(skill).or_insert_with(|| {
                    found.push(Found { skill, mentions: Vec::new() });
                    found.len() - 1
                });
                found[at].mentions.push(mention);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn skill(name: &str, aliases: &[&str]) -> Skill {
        Skill {
            slug: name.to_lowercase(),
            name: name.to_owned(),
            description: String::new(),
            category: 0,
            categories: vec![0],
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            uri: None,
            skill_type: None,
            kind: crate::domain::SkillType::Skill,
        }
    }

    /// Labels that stress the offsets: short exact-case ones, non-ASCII ones, and ones whose
    /// lowercase has a different length in bytes or characters ("İ" lowercases to two).
    fn extractor() -> &'static Extractor {
        static EXTRACTOR: std::sync::LazyLock<Extractor> = std::sync::LazyLock::new(build_extractor);
        &EXTRACTOR
    }

    fn build_extractor() -> Extractor {
        Extractor::new(&[
            skill("Machine Learning", &["ML", "machine learning engineering"]),
            skill("SEO", &["search engine optimization"]),
            skill("IT", &[]),
            skill("C++", &["c#"]),
            skill("Café Management", &["ĲSSEL", "straße"]),
            skill("İstanbul Tours", &["ǅungla"]),
            skill("Σίσυφος", &["ΣΊΣΥΦΟΣ work"]),
        ])
    }

    fn text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("machine learning".to_owned()),
            Just("Machine Learning Engineering".to_owned()),
            Just("ML".to_owned()),
            Just("ml".to_owned()),
            Just("IT".to_owned()),
            Just("SEO".to_owned()),
            Just("c++".to_owned()),
            Just("C#".to_owned()),
            Just("café management".to_owned()),
            Just("İSTANBUL TOURS".to_owned()),
            Just("İ".to_owned()),
            Just("ǅUNGLA".to_owned()),
            Just("σίσυφος".to_owned()),
            Just("ĳssel".to_owned()),
            Just("STRASSE".to_owned()),
            "\\PC{0,8}",
            any::<String>(),
            Just(" ".to_owned()),
        ];
        proptest::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn every_mention_slices_the_text_to_its_surface(text in text()) {
            let chars: Vec<char> = text.chars().collect();
            let mut last_end = 0;
            let mut mentions: Vec<&Mention> = Vec::new();
            let found = extractor().extract(&text);
            for f in &found {
                mentions.extend(&f.mentions);
            }
            mentions.sort_by_key(|m| m.start);
            for m in mentions {
                prop_assert!(m.start < m.end && m.end <= chars.len(), "{m:?} in {text:?}");
                let sliced: String = chars[m.start..m.end].iter().collect();
                prop_assert_eq!(&sliced, &m.surface, "{:?} in {:?}", m, text);
                // Mentions never overlap (a skill with two labels at one place is one mention).
                prop_assert!(m.start >= last_end || m.end == last_end, "{m:?} overlaps in {text:?}");
                last_end = m.end;
            }
        }

        #[test]
        fn any_string_is_extracted_without_panic(text in any::<String>()) {
            extractor().extract(&text);
        }
    }

    #[test]
    fn lowercase_that_changes_length_keeps_offsets() {
        let found = extractor().extract("İİ İstanbul Tours and SEO");
        let mentions: Vec<(usize, usize, &str)> =
            found.iter().flat_map(|f| &f.mentions).map(|m| (m.start, m.end, m.surface.as_str())).collect();
        assert_eq!(mentions, [(3, 17, "İstanbul Tours"), (22, 25, "SEO")]);
    }
}
