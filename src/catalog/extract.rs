//! Finding the catalog's skills in free text, with the search's analyzer: the text and every
//! name and alias are read as terms (folded, spelling-normalised, stemmed;
//! [`crate::search::analyzer`]), so "experience negotiating logistics services" mentions
//! "negotiate logistics services" and "we organize rehearsals" mentions "organise rehearsals".
//! The labels' term sequences form a trie, walked from every word of the text.
//!
//! Rules: matching is case-insensitive, except for labels of one or two characters ("IT", "HR",
//! "ML", "R"), which match only as written (otherwise "it" and "hr" would be found everywhere);
//! a label with symbols ("C++", "C#", ".NET") must appear with them, case-insensitively; matches
//! are whole words; where matches overlap, the leftmost wins, and of those starting at the same
//! word the longest ("machine learning engineering" over "machine learning"). Where several
//! labels share a sequence of terms, those written exactly as the text are preferred.

use std::collections::HashMap as StdHashMap;

/// The extractor's maps are read once per word of every text: a fast non-cryptographic hash
/// (the keys are labels and text words, and a map is built per catalog).
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::RandomState>;

use super::{Skill, SkillIx};
use crate::search::analyzer::{Analyzer, each_token};

type TermId = u32;

pub struct Extractor {
    analyzer: Analyzer,
    /// Folded word → term, for every word of every label (the common case: no stemming).
    surface_term: HashMap<Box<str>, TermId>,
    /// Term text → term, for a text's words that no label has as written.
    terms: HashMap<Box<str>, TermId>,
    /// Trie edges: (node, term) → node; node 0 is the root.
    edges: HashMap<(u32, TermId), u32>,
    /// The labels that end at each node.
    ends: Vec<Vec<u32>>,
    patterns: Vec<Pattern>,
}

struct Pattern {
    /// The label's folded words joined by spaces (to prefer labels written as the text is).
    folded: String,
    /// The label as written, when it must match exactly (one or two characters).
    exact_case: Option<String>,
    /// The label lowercased, when it has symbols that must appear in the text ("c++").
    literal: Option<(usize, String)>,
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

/// A skill found in the text, with the places it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub skill: SkillIx,
    /// The first mentions, in text order: all of them, or as many as asked for.
    pub mentions: Vec<Mention>,
    /// How many times the text mentions the skill (at least `mentions.len()`).
    pub mention_count: usize,
}

/// A word of the text being searched.
struct Word {
    term: Option<TermId>,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
}

/// The terms of a text's words that no label has as written (each distinct one is stemmed
/// once), kept without an allocation per word: up to 32 KiB of distinct misspelt words is
/// ~3,300 of them.
#[derive(Default)]
struct Unknown {
    /// The words, one after the other.
    text: String,
    /// Seeded at random, so that no text can be made of words that share a hash.
    hasher: foldhash::fast::RandomState,
    /// Hash of a word → (its span in `text`, its term); words that share a hash are told apart
    /// by their text (`more`).
    first: HashMap<u64, (u32, u32, Option<TermId>)>,
    more: Vec<(u64, u32, u32, Option<TermId>)>,
}

impl Unknown {
    fn term(&mut self, surface: &str, find: impl FnOnce(&str) -> Option<TermId>) -> Option<TermId> {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(surface);
        let text = &self.text;
        let is = |start: u32, len: u32| &text[start as usize..][..len as usize] == surface;
        if let Some(&(start, len, t)) = self.first.get(&hash) {
            if is(start, len) {
                return t;
            }
            if let Some(&(_, _, _, t)) = self.more.iter().find(|&&(h, s, l, _)| h == hash && is(s, l)) {
                return t;
            }
        }
        let t = find(surface);
        let (start, len) = (self.text.len() as u32, surface.len() as u32);
        self.text.push_str(surface);
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((start, len, t));
            }
            std::collections::hash_map::Entry::Occupied(_) => self.more.push((hash, start, len, t)),
        }
        t
    }
}

/// Buffers [`Extractor::longest_at`] reuses across the words of a text.
#[derive(Default)]
struct Scratch {
    /// (pattern, byte start, byte end) of the labels ending at one node.
    spans: Vec<(u32, usize, usize)>,
    /// The text's words of a candidate match, folded and joined by spaces.
    folded: String,
    /// The patterns of the longest match so far.
    best: Vec<u32>,
}

/// True for the characters of a label that the text must show too: not letters or digits,
/// not the separators words are written with.
fn is_symbol(c: char) -> bool {
    !c.is_alphanumeric()
        && !c.is_whitespace()
        && !matches!(c, '-' | '\'' | '’' | ',' | '/' | '(' | ')' | '&' | ':' | ';')
}

impl Extractor {
    pub fn new(skills: &[Skill]) -> Self {
        let mut ex = Extractor {
            analyzer: Analyzer::default(),
            surface_term: HashMap::default(),
            terms: HashMap::default(),
            edges: HashMap::default(),
            ends: vec![Vec::new()],
            patterns: Vec::new(),
        };
        let mut by_key: HashMap<String, u32> = HashMap::default();
        for (ix, s) in skills.iter().enumerate() {
            for label in std::iter::once(&s.name).chain(&s.aliases) {
                let label = label.trim();
                let mut words: Vec<(String, usize)> = Vec::new();
                each_token(label, |surface, _, _, byte_start, _| words.push((surface.to_owned(), byte_start)));
                if words.is_empty() {
                    continue;
                }
                let exact_case = (label.chars().count() <= 2).then(|| label.to_owned());
                let literal = label.chars().any(is_symbol).then(|| (words[0].1, label.to_lowercase()));
                let folded = words.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ");
                let key = match (&exact_case, &literal) {
                    (Some(exact), _) => format!("={exact}"),
                    (None, Some((_, lit))) => format!("~{lit}"),
                    (None, None) => folded.clone(),
                };
                let at = match by_key.get(&key) {
                    Some(&at) => at,
                    None => {
                        let mut node = 0u32;
                        for (w, _) in &words {
                            let term = ex.intern(w);
                            let next = ex.ends.len() as u32;
                            node = *ex.edges.entry((node, term)).or_insert(next);
                            if node == next {
                                ex.ends.push(Vec::new());
                            }
                        }
                        let at = ex.patterns.len() as u32;
                        ex.patterns.push(Pattern { folded, exact_case, literal, skills: Vec::new() });
                        ex.ends[node as usize].push(at);
                        by_key.insert(key, at);
                        at
                    }
                };
                let skills = &mut ex.patterns[at as usize].skills;
                if !skills.contains(&(ix as SkillIx)) {
                    skills.push(ix as SkillIx);
                }
            }
        }
        ex
    }

    fn intern(&mut self, surface: &str) -> TermId {
        if let Some(&t) = self.surface_term.get(surface) {
            return t;
        }
        let term = self.analyzer.term(surface);
        let next = self.terms.len() as TermId;
        let id = *self.terms.entry(term.into_boxed_str()).or_insert(next);
        self.surface_term.insert(surface.into(), id);
        id
    }

    /// The term of a word of the text, if any label has it.
    fn term_of(&self, surface: &str, unknown: &mut Unknown) -> Option<TermId> {
        if let Some(&t) = self.surface_term.get(surface) {
            return Some(t);
        }
        unknown.term(surface, |surface| self.analyzer.with_term(surface, |term| self.terms.get(term).copied()))
    }

    /// Every skill mentioned in `text`, in order of first mention, with every mention.
    pub fn extract(&self, text: &str) -> Vec<Found> {
        self.extract_listing(text, usize::MAX)
    }

    /// Every skill mentioned in `text`, in order of first mention, with its first `listed`
    /// mentions (the others are only counted: a text repeating one label costs no copy of it
    /// per mention).
    pub fn extract_listing(&self, text: &str, listed: usize) -> Vec<Found> {
        let mut unknown = Unknown::default();
        let mut words: Vec<Word> = Vec::with_capacity(text.len() / 6);
        each_token(text, |surface, start, end, byte_start, byte_end| {
            let term = self.term_of(surface, &mut unknown);
            words.push(Word { term, start, end, byte_start, byte_end });
        });
        let mut found: Vec<Found> = Vec::new();
        let mut slot: HashMap<SkillIx, usize> = HashMap::default();
        // The start of each found skill's last mention.
        let mut last_start: Vec<usize> = Vec::new();
        let mut scratch = Scratch::default();
        let mut i = 0;
        while i < words.len() {
            match self.longest_at(text, &words, i, &mut scratch) {
                Some((last, start_byte, end_byte)) => {
                    let start = words[i].start - text[start_byte..words[i].byte_start].chars().count();
                    let end = words[last].end + text[words[last].byte_end..end_byte].chars().count();
                    let surface = &text[start_byte..end_byte];
                    for skill in scratch.best.iter().flat_map(|&p| &self.patterns[p as usize].skills) {
                        let at = *slot.entry(*skill).or_insert_with(|| {
                            found.push(Found { skill: *skill, mentions: Vec::new(), mention_count: 0 });
                            last_start.push(usize::MAX);
                            found.len() - 1
                        });
                        let found = &mut found[at];
                        // A skill reached through two of its labels at one place counts once.
                        if std::mem::replace(&mut last_start[at], start) != start {
                            found.mention_count += 1;
                            if found.mentions.len() < listed {
                                found.mentions.push(Mention { start, end, surface: surface.to_owned() });
                            }
                        }
                    }
                    i = last + 1;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The longest label starting at word `i`: its last word and its byte span (symbols
    /// included); the patterns it is (those written as the text is, when some are) are left in
    /// `scratch.best`. The scratch buffers are reused across the words of a text.
    fn longest_at(&self, text: &str, words: &[Word], i: usize, scratch: &mut Scratch) -> Option<(usize, usize, usize)> {
        let mut node = 0u32;
        let mut best = None;
        for (j, w) in words.iter().enumerate().skip(i) {
            let Some(term) = w.term else { break };
            let Some(&next) = self.edges.get(&(node, term)) else { break };
            node = next;
            let ends = &self.ends[node as usize];
            if ends.is_empty() {
                continue;
            }
            let spans = &mut scratch.spans;
            spans.clear();
            for &p in ends {
                if let Some((s, e)) = self.span_of(&self.patterns[p as usize], text, &words[i], w) {
                    spans.push((p, s, e));
                }
            }
            if spans.is_empty() {
                continue;
            }
            // Several labels here (they share terms): prefer those written as the text is.
            let mut any_exact = false;
            if spans.len() > 1 {
                let folded = &mut scratch.folded;
                folded.clear();
                each_token(&text[words[i].byte_start..w.byte_end], |surface, _, _, _, _| {
                    if !folded.is_empty() {
                        folded.push(' ');
                    }
                    folded.push_str(surface);
                });
                any_exact = spans.iter().any(|(p, ..)| self.patterns[*p as usize].folded == *folded);
            }
            let folded = &scratch.folded;
            let chosen = |p: u32| !any_exact || self.patterns[p as usize].folded == *folded;
            scratch.best.clear();
            let (mut start, mut end) = (usize::MAX, 0);
            for &(p, s, e) in spans.iter().filter(|(p, ..)| chosen(*p)) {
                scratch.best.push(p);
                start = start.min(s);
                end = end.max(e);
            }
            best = Some((j, start, end));
        }
        best
    }

    /// Where `pattern` sits in the text when it matches from `first` to `last` word, symbols
    /// included; `None` when its case or symbols are not there.
    fn span_of(&self, pattern: &Pattern, text: &str, first: &Word, last: &Word) -> Option<(usize, usize)> {
        if let Some(exact) = &pattern.exact_case {
            return (text[first.byte_start..last.byte_end] == **exact).then_some((first.byte_start, last.byte_end));
        }
        let Some((lead, literal)) = &pattern.literal else {
            return Some((first.byte_start, last.byte_end));
        };
        let start = first.byte_start.checked_sub(*lead)?;
        let end = start + literal.len();
        let written = text.get(start..end)?;
        if written.to_lowercase() != *literal || end < last.byte_end {
            return None;
        }
        // Whole words: the label may not continue into a letter or digit.
        let next = text[end..].chars().next();
        let prev = text[..start].chars().next_back();
        if next.is_some_and(char::is_alphanumeric) || prev.is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some((start, end))
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

    #[test]
    fn each_distinct_unknown_word_is_looked_up_once() {
        let mut unknown = Unknown::default();
        let mut asked = Vec::new();
        let term = |w: &str| {
            unknown.term(w, |w| {
                asked.push(w.to_owned());
                Some(w.len() as TermId)
            })
        };
        let got = ["negotiating", "seo", "negotiating", "negotiat", "seo"].map(term);
        assert_eq!(got, [Some(11), Some(3), Some(11), Some(8), Some(3)]);
        assert_eq!(asked, ["negotiating", "seo", "negotiat"]);
    }

    #[test]
    fn listing_fewer_mentions_still_counts_them_all() {
        let text = "SEO, then SEO and İstanbul Tours, SEO again";
        let all = extractor().extract(text);
        let listed = extractor().extract_listing(text, 2);
        assert_eq!(all.iter().map(|f| (f.mentions.len(), f.mention_count)).collect::<Vec<_>>(), [(3, 3), (1, 1)]);
        assert_eq!(listed.iter().map(|f| (f.mentions.len(), f.mention_count)).collect::<Vec<_>>(), [(2, 3), (1, 1)]);
        assert_eq!(listed[0].mentions, all[0].mentions[..2]);
        assert_eq!(listed[1], all[1]);
    }
}
