//! Search: one in-memory index per catalog snapshot, built when the catalog is loaded (and on
//! every live swap, with the new catalog), serving `GET /skills?q=`, `GET /search` and typo
//! correction. No SQL runs per query, and a response can only ever see the index of the
//! catalog it reads names from: both are parts of one immutable snapshot.
//!
//! The pipeline: [`analyzer`] turns text into terms (fold, spelling, stem), [`index`] holds the
//! documents and postings, [`query`] plans a query (word roles, corrections, prefixes),
//! [`rank`] applies the ranking rules, [`snippet`] highlights a hit. `docs/SEARCH.md` gives an
//! example of every rule.
//!
//! Why our own index rather than tantivy: the ranking this catalog needs (exactness on whole
//! labels, framing words that never outrank the skill, word dropping by informativeness,
//! typo budgets by word length with Damerau distance) is a bucket sort over whole-document
//! keys, which a BM25 scorer does not express; and the corpus is small (ESCO: 14,600
//! documents, ~30,000 distinct words), so postings in `Vec`s and a first-letter-bucketed scan
//! of the sorted vocabulary for corrections cost microseconds (BENCHMARKS.md has the figures).
//! `fst` + `levenshtein_automata` would make the correction scan sub-linear; at this vocabulary
//! size the scan of one first-letter bucket is already cheap, so we keep one dependency fewer.

pub mod analyzer;
pub mod autocomplete;
mod bound;
mod exactness;
mod fields;
pub mod index;
pub mod query;
pub mod rank;
pub mod snippet;
mod spelling;

pub use index::{DocKind, Field, SearchIndex, TermId};
pub use rank::Filter;

use crate::domain::SearchText;
use analyzer::Analyzer;
use query::How;

/// One hit, explained.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: DocKind,
    /// The skill's, category's or FAQ entry's index in the catalog.
    pub item: u32,
    /// The field that explains the match.
    pub field: Field,
    pub score: f64,
    /// Query words that were corrected to match this hit: (as typed, as indexed).
    pub corrections: Vec<(String, String)>,
    /// Query words this hit does not match.
    pub unmatched: Vec<String>,
    /// The terms it matched, for highlighting.
    pub terms: Vec<TermId>,
}

/// A page of hits.
#[derive(Debug, Clone)]
pub struct Hits {
    pub hits: Vec<Hit>,
    /// How many documents match, over all pages.
    pub total: usize,
    /// The query with the best hit's corrections applied, when it has any.
    pub corrected: Option<String>,
}

impl SearchIndex {
    /// The hits of `q` that `filter` allows, the page `offset..offset + limit` of them.
    pub fn search(&self, q: &SearchText, filter: &Filter, offset: usize, limit: usize) -> Hits {
        if q.words().is_empty() {
            return Hits { hits: Vec::new(), total: 0, corrected: None };
        }
        let analyzer = Analyzer::default();
        let plan = query::plan(self, &analyzer, q.words(), true);
        let (ranked, total) = rank::rank(self, &plan, filter, offset, limit);
        let explain = |r: &rank::Ranked| {
            let doc = &self.docs[r.doc as usize];
            let mut corrections = Vec::new();
            let mut unmatched = Vec::new();
            let mut terms = Vec::new();
            for (w, m) in plan.words.iter().zip(&r.words(&plan)) {
                match m {
                    Some(m) => {
                        terms.push(m.term);
                        if let (How::Typo, Some(s)) = (m.how, m.surface) {
                            corrections.push((w.text.clone(), self.surfaces[s as usize].text.to_string()));
                        }
                    }
                    None => unmatched.push(w.text.clone()),
                }
            }
            Hit { kind: doc.kind, item: doc.item, field: r.field, score: r.score, corrections, unmatched, terms }
        };
        let corrected = ranked.first().filter(|_| total > 0).map(explain).and_then(|best| {
            (!best.corrections.is_empty()).then(|| {
                plan.words
                    .iter()
                    .map(|w| {
                        best.corrections
                            .iter()
                            .find(|(from, _)| *from == w.text)
                            .map_or(w.text.as_str(), |(_, to)| to.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        });
        let end = offset.saturating_add(limit).min(total);
        let hits = if offset < end { ranked[offset..end].iter().map(explain).collect() } else { Vec::new() };
        Hits { hits, total, corrected }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::catalog::Skill;

    fn skill(name: &str, aliases: Vec<String>, description: &str) -> Skill {
        Skill {
            slug: name.to_lowercase(),
            name: name.to_owned(),
            description: description.to_owned(),
            category: 0,
            categories: vec![0],
            aliases,
            uri: None,
            skill_type: None,
            kind: crate::domain::SkillType::Skill,
        }
    }

    /// Names made of a small vocabulary, so that names share words, contain each other, and
    /// differ only by inflection or spelling: the cases ranking has to get right.
    fn name() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            Just("manage"),
            Just("managing"),
            Just("staff"),
            Just("of"),
            Just("and"),
            Just("organise"),
            Just("organize"),
            Just("music"),
            Just("musical"),
            Just("instruments"),
            Just("Café"),
            Just("SQL"),
            Just("experience"),
            Just("skills"),
            Just("(computer programming)"),
            Just("teach"),
            Just("physics"),
        ];
        proptest::collection::vec(word, 1..5).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// A query made of any skill's exact name returns that skill first (or another skill
        /// with the same name, folded).
        #[test]
        fn a_skills_exact_name_finds_it_first(
            names in proptest::collection::vec(name(), 1..25),
            aliases in proptest::collection::vec(name(), 0..10),
            pick in any::<prop::sample::Index>(),
        ) {
            let skills: Vec<Skill> = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let alias = aliases.get(i).cloned().into_iter().collect();
                    skill(n, alias, "Skills and experience with music, staff and physics.")
                })
                .collect();
            let index = SearchIndex::new(&skills, &[], &[]);
            let target = &skills[pick.index(skills.len())];
            let q = SearchText::parse("q", &target.name).unwrap();
            let found = index.search(&q, &Filter { kind: Some(DocKind::Skill), within: None }, 0, 1);
            let first = &skills[found.hits[0].item as usize];
            let fold = |s: &str| crate::domain::text::words(s).collect::<Vec<_>>();
            prop_assert_eq!(fold(&first.name), fold(&target.name), "q={:?} first={:?}", target.name, first.name);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Any page is the same slice of the full order that scanning every hit gives: the bounds
        /// that spare scanning most of a large tied bucket, and the counts that spare scanning a
        /// one-word hit's body (rules 4–6), never change which hits a page holds, their order,
        /// nor what each says.
        #[test]
        fn a_page_is_a_slice_of_the_full_order(
            names in proptest::collection::vec(name(), 1..40),
            bodies in proptest::collection::vec(name(), 1..40),
            query in name(),
            offset in 0usize..12,
            limit in 1usize..6,
        ) {
            let skills: Vec<Skill> = names
                .iter()
                .enumerate()
                .map(|(i, n)| skill(n, vec![bodies[i % bodies.len()].clone()], &bodies[(i * 7) % bodies.len()]))
                .collect();
            let index = SearchIndex::new(&skills, &[], &[]);
            let q = SearchText::parse("q", &query).unwrap();
            let filter = Filter { kind: Some(DocKind::Skill), within: None };
            rank::SCAN_ALL.set(true);
            let all = index.search(&q, &filter, 0, usize::MAX / 2);
            rank::SCAN_ALL.set(false);
            let page = index.search(&q, &filter, offset, limit);
            let key = |h: &Hit| (h.item, h.field, h.score.to_bits(), h.corrections.clone(), h.unmatched.clone());
            let expected: Vec<_> = all.hits.iter().skip(offset).take(limit).map(key).collect();
            prop_assert_eq!(page.hits.iter().map(key).collect::<Vec<_>>(), expected, "q={:?}", query);
            prop_assert_eq!(page.total, all.total);
            prop_assert_eq!(page.corrected, all.corrected);
        }
    }

    /// Past the last hit, a page is empty and still says how the best hit read the query.
    #[test]
    fn a_page_past_the_end_keeps_total_and_correction() {
        let skills: Vec<Skill> =
            ["teach physics", "teach music", "manage staff"].iter().map(|n| skill(n, vec![], "")).collect();
        let index = SearchIndex::new(&skills, &[], &[]);
        let q = SearchText::parse("q", "teach physcis").unwrap();
        let filter = Filter { kind: Some(DocKind::Skill), within: None };
        let past = index.search(&q, &filter, 1_000_000, 10);
        let first = index.search(&q, &filter, 0, 10);
        assert!(past.hits.is_empty());
        assert_eq!((past.total, past.corrected.as_deref()), (2, Some("teach physics")));
        assert_eq!((first.total, first.corrected.as_deref()), (2, Some("teach physics")));
        assert_eq!(first.hits.iter().map(|h| h.item).collect::<Vec<_>>(), [0, 1]);
    }

    /// Rule 5 before rule 6 for a one-word query, whose hits are ranked from the postings'
    /// counts: a long name with the word (attribute 0, a low score) before a short alias with it.
    #[test]
    fn a_name_with_the_word_ranks_before_an_alias_with_a_higher_score() {
        let long = format!("{} zebra", (1..30).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" "));
        let mut skills = vec![skill(&long, vec![], ""), skill("other", vec!["zebra crossing".into()], "")];
        skills.extend(["one", "two", "three", "four", "five"].map(|n| skill(n, vec![], "")));
        let index = SearchIndex::new(&skills, &[], &[]);
        let q = SearchText::parse("q", "zebra").unwrap();
        let found = index.search(&q, &Filter { kind: Some(DocKind::Skill), within: None }, 0, 10);
        let got: Vec<(u32, Field)> = found.hits.iter().map(|h| (h.item, h.field)).collect();
        assert_eq!(got, [(0, Field::Name), (1, Field::Alias(0))]);
        assert!(found.hits[0].score < found.hits[1].score, "{:?}", found.hits);
    }
}
