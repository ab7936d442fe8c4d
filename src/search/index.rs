//! The in-memory search index of one catalog: every skill, category and FAQ entry as a
//! document of labels (name or question, then aliases) and a body (description or answer),
//! each a sequence of terms; the postings of every term; and the vocabulary of folded words
//! (surfaces), sorted, for typo tolerance and prefix search.

use std::collections::HashMap as StdHashMap;

/// The index's maps are read for every query word and built for every word of the catalog: a
/// fast non-cryptographic hash (keys are the catalog's own words).
pub type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::RandomState>;

use super::analyzer::{Analyzer, each_token, is_stop_word, tokens};
use crate::catalog::{Category, Faq, Skill};

pub type TermId = u32;
pub type DocId = u32;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Skill,
    Category,
    Faq,
}

/// A field of a document: its name (or question), one of its aliases, or its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Name,
    Alias(u16),
    Body,
}

impl Field {
    /// The class of the field, as rules 5 and 6 see it: name 0, alias 1, body 2.
    pub fn class(self) -> u8 {
        match self {
            Field::Name => 0,
            Field::Alias(_) => 1,
            Field::Body => 2,
        }
    }

    /// The bit of this field in a field set (aliases past the 62nd share the last alias bit).
    pub fn bit(self) -> u64 {
        match self {
            Field::Name => 1,
            Field::Alias(a) => 1 << (1 + u64::from(a).min(61)),
            Field::Body => 1 << 63,
        }
    }
}

pub struct Doc {
    pub kind: DocKind,
    /// The skill's, category's or FAQ entry's index in the catalog.
    pub item: u32,
    /// The name (or question), then the aliases.
    pub labels: Vec<Label>,
    /// The description (or answer), as terms.
    pub body: Vec<TermId>,
}

pub struct Label {
    pub terms: Vec<TermId>,
    /// The label's folded words joined by single spaces: what an exact query equals.
    pub folded: String,
    /// The same without a trailing parenthesis ("Python (computer programming)" → "python").
    pub base_folded: Option<String>,
    /// The terms that are not stop words, in order.
    pub core: Vec<TermId>,
    /// The same for the label without its parenthesis.
    pub base_core: Option<Vec<TermId>>,
}

/// One folded word of the indexed texts.
pub struct Surface {
    pub text: Box<str>,
    pub chars: Box<[char]>,
    pub term: TermId,
}

/// What ranking reads of a document without reading its fields (one small entry per document,
/// so that the rules can be bounded for thousands of hits without a cache miss on each one's
/// labels and body; see `super::bound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Bit `len % 64` set for the byte length of each label's folded text (and of the name's
    /// without its parenthesis): a label can equal the folded query only if its bit is set.
    pub folded_lens: u64,
    /// Bit `min(n, 31)` set for the number `n` of core terms of each label (and of the name
    /// without its parenthesis).
    pub core_lens: u32,
    /// Terms in the name, in the shortest alias (`u16::MAX` when none), in the body (saturated).
    pub lens: [u16; 3],
}

impl Shape {
    fn of(doc: &Doc) -> Shape {
        let mut shape = Shape { folded_lens: 0, core_lens: 0, lens: [0, u16::MAX, 0] };
        let len = |n: usize| n.min(usize::from(u16::MAX)) as u16;
        for (i, l) in doc.labels.iter().enumerate() {
            shape.folded_lens |= 1 << (l.folded.len() % 64);
            shape.core_lens |= 1 << l.core.len().min(31);
            if i == 0 {
                shape.lens[0] = len(l.terms.len());
            } else {
                shape.lens[1] = shape.lens[1].min(len(l.terms.len()));
            }
        }
        if let Some(l) = doc.labels.first() {
            if let Some(base) = &l.base_folded {
                shape.folded_lens |= 1 << (base.len() % 64);
            }
            if let Some(core) = &l.base_core {
                shape.core_lens |= 1 << core.len().min(31);
            }
        }
        shape.lens[2] = len(doc.body.len());
        shape
    }
}

pub struct SearchIndex {
    pub docs: Vec<Doc>,
    /// `shapes[doc]`: the lengths ranking bounds its rules with.
    pub shapes: Vec<Shape>,
    /// `postings[term]`: every (document, field) the term occurs in, once per occurrence.
    pub postings: Vec<Vec<(DocId, Field)>>,
    /// How many documents hold each term.
    pub doc_freq: Vec<u32>,
    pub terms: HashMap<Box<str>, TermId>,
    /// Every folded word, sorted.
    pub surfaces: Vec<Surface>,
    pub surface_by_text: HashMap<Box<str>, u32>,
    /// Average field lengths in terms: names, aliases, bodies.
    pub avg_len: [f32; 3],
}

/// Builds the index: terms are interned, each distinct folded word is stemmed once.
struct Builder {
    analyzer: Analyzer,
    terms: HashMap<Box<str>, TermId>,
    surface_term: HashMap<Box<str>, TermId>,
    postings: Vec<Vec<(DocId, Field)>>,
}

impl Builder {
    fn term_of(&mut self, surface: &str) -> TermId {
        if let Some(&t) = self.surface_term.get(surface) {
            return t;
        }
        let term = self.analyzer.term(surface);
        let next = self.terms.len() as TermId;
        let id = *self.terms.entry(term.into_boxed_str()).or_insert(next);
        if id == next {
            self.postings.push(Vec::new());
        }
        self.surface_term.insert(surface.into(), id);
        id
    }

    /// The terms of a field's text, posted; with its folded words joined by spaces when `folded`.
    fn field(&mut self, doc: DocId, field: Field, text: &str, folded: Option<&mut String>) -> (Vec<TermId>, Vec<bool>) {
        let mut terms = Vec::new();
        let mut stop = Vec::new();
        let mut folded = folded;
        each_token(text, |surface, _, _, _, _| {
            let id = self.term_of(surface);
            self.postings[id as usize].push((doc, field));
            terms.push(id);
            if let Some(out) = folded.as_deref_mut() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(surface);
                stop.push(is_stop_word(surface));
            }
        });
        (terms, stop)
    }

    fn label(&mut self, doc: DocId, field: Field, text: &str) -> Label {
        let mut folded = String::new();
        let (terms, stop) = self.field(doc, field, text, Some(&mut folded));
        let core: Vec<TermId> = terms.iter().zip(&stop).filter(|(_, s)| !**s).map(|(t, _)| *t).collect();
        let (base_folded, base_core) = match text.trim_end().strip_suffix(')').and_then(|t| t.rfind('(')) {
            Some(open) if open > 0 => {
                let base = &text[..open];
                let words: Vec<String> = tokens(base).into_iter().map(|t| t.surface).collect();
                let core = words.iter().filter(|w| !is_stop_word(w)).map(|w| self.term_of(w)).collect();
                (Some(words.join(" ")), Some(core))
            }
            _ => (None, None),
        };
        Label { folded, terms, base_folded, core, base_core }
    }
}

impl SearchIndex {
    pub fn new(skills: &[Skill], categories: &[Category], faqs: &[Faq]) -> Self {
        let mut b = Builder {
            analyzer: Analyzer::default(),
            terms: HashMap::default(),
            surface_term: HashMap::default(),
            postings: Vec::new(),
        };
        let mut docs = Vec::with_capacity(skills.len() + categories.len() + faqs.len());
        for (i, s) in skills.iter().enumerate() {
            let id = docs.len() as DocId;
            let mut labels = vec![b.label(id, Field::Name, &s.name)];
            for (a, alias) in s.aliases.iter().enumerate() {
                labels.push(b.label(id, Field::Alias(a.min(u16::MAX as usize) as u16), alias));
            }
            let body = b.field(id, Field::Body, &s.description, None).0;
            docs.push(Doc { kind: DocKind::Skill, item: i as u32, labels, body });
        }
        // Categories and FAQ entries: one label (name, question) and a body each.
        let categories = categories.iter().enumerate().map(|(i, c)| (DocKind::Category, i, &c.name, &c.description));
        let faqs = faqs.iter().enumerate().map(|(i, f)| (DocKind::Faq, i, &f.question, &f.answer));
        for (kind, item, label, body) in categories.chain(faqs) {
            let id = docs.len() as DocId;
            let labels = vec![b.label(id, Field::Name, label)];
            let body = b.field(id, Field::Body, body, None).0;
            docs.push(Doc { kind, item: item as u32, labels, body });
        }

        let doc_freq = b
            .postings
            .iter()
            .map(|p| {
                let mut n = 0u32;
                let mut last = None;
                for &(d, _) in p {
                    if last != Some(d) {
                        n += 1;
                        last = Some(d);
                    }
                }
                n
            })
            .collect();

        let mut surfaces: Vec<Surface> = b
            .surface_term
            .into_iter()
            .map(|(text, term)| Surface { chars: text.chars().collect(), text, term })
            .collect();
        surfaces.sort_unstable_by(|a, b| a.text.cmp(&b.text));
        let surface_by_text = surfaces.iter().enumerate().map(|(i, s)| (s.text.clone(), i as u32)).collect();

        let mut sums = [0f64; 3];
        let mut counts = [0f64; 3];
        for d in &docs {
            for (i, l) in d.labels.iter().enumerate() {
                let c = usize::from(i > 0);
                sums[c] += l.terms.len() as f64;
                counts[c] += 1.0;
            }
            sums[2] += d.body.len() as f64;
            counts[2] += 1.0;
        }
        let avg = |i: usize| if counts[i] > 0.0 { (sums[i] / counts[i]).max(1.0) as f32 } else { 1.0 };

        SearchIndex {
            shapes: docs.iter().map(Shape::of).collect(),
            docs,
            postings: b.postings,
            doc_freq,
            terms: b.terms,
            surfaces,
            surface_by_text,
            avg_len: [avg(0), avg(1), avg(2)],
        }
    }

    /// The inverse document frequency of a term (BM25's, never negative).
    pub fn idf(&self, term: TermId) -> f64 {
        let n = self.docs.len() as f64;
        let df = f64::from(self.doc_freq[term as usize]);
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// The term of a folded word, when some indexed text has that word or another form of it.
    pub fn term(&self, analyzer: &Analyzer, surface: &str) -> Option<TermId> {
        match self.surface_by_text.get(surface) {
            Some(&s) => Some(self.surfaces[s as usize].term),
            None => analyzer.with_term(surface, |t| self.terms.get(t).copied()),
        }
    }

    /// The surfaces that start with `prefix` (a range of [`Self::surfaces`]).
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.surfaces.partition_point(|s| &*s.text < prefix);
        let len = self.surfaces[start..].partition_point(|s| s.text.starts_with(prefix));
        start..start + len
    }
}
