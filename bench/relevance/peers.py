"""The two peers the server is judged against, on the same skills and the same queries.

Both index each skill's name, alt labels and description as three fields, weighted 10 / 5 / 1,
rank by BM25, treat a query as the OR of its words (a document matching more words scores more),
and take the query's last word also as a prefix (a search box is searched as the user types).

tantivy (PyPI `tantivy`, the official bindings), configured as a competent user would:
- analyzer `en`: tantivy's simple tokenizer (runs of letters and digits), lower case, ASCII
  folding, English (Porter) stemmer; the same analyzer for the three fields and the query;
- per query word, for each field f with boost b_f, the SHOULD clauses
    term(f, t)                       boost b_f        (BM25)
    fuzzy(f, t, d, transposition=1)  boost b_f * 4    (tantivy scores fuzzy matches as a constant)
  where t is the word's analyzed token and d the typo budget by the word's length: 0 up to 4
  letters, 1 for 5-8, 2 from 9 (a fuzzy clause is only added when d > 0);
- for the last query word also term(f, c) boost b_f for each of the 50 most frequent terms c of
  the field that begin with w, the folded, unstemmed word (Elasticsearch's `max_expansions`; a
  tantivy prefix query would score every completion as one constant);
- the fuzzy weight 4 was the best of 0.5, 2, 4 and 8 on 300 cases per class with seed 99 (an
  exact match scores BM25, 4.0-10.5 with median 6.8 for the best document of a label word in
  `name`, 5th-95th percentile, times the boost);
- the query is the SHOULD (OR) of every word's clauses; top 10 by score, ties by document order.

SQLite FTS5 (the sqlite3 module's own FTS5), with the same weights:
- `fts5(name, aliases, description, tokenize = "unicode61 remove_diacritics 2")`, alt labels one
  per line in `aliases`;
- the query is the OR of the query's words, each quoted (no word is an operator), the last one
  also as a prefix (`"a" OR "b" OR "c"*`); ranked by `bm25(skills, 0, 10, 5, 1)` (the first, unindexed column holds the
  conceptUri), top 10, ties by rowid.
"""

from __future__ import annotations

import sqlite3

import tantivy

from esco import Skill, fold, words

BOOSTS = {"name": 10.0, "aliases": 5.0, "description": 1.0}
# tantivy scores a fuzzy match as a constant (its boost): this makes it worth about what an exact
# match of an uncommon word is worth in BM25 (see the module docs).
FUZZY_WEIGHT = 4.0
# The last word's prefix expands to the most frequent terms it begins, as Elasticsearch's
# `max_expansions` does; each is scored by BM25 like a typed word.
PREFIX_EXPANSIONS = 50


def typo_budget(word: str) -> int:
    n = len(word)
    return 0 if n <= 4 else 1 if n <= 8 else 2


class TantivyPeer:
    name = "tantivy"

    def __init__(self, skills: list[Skill]):
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("uri", stored=True, tokenizer_name="raw")
        for f in BOOSTS:
            builder.add_text_field(f, tokenizer_name="en")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)  # in RAM
        self.analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )
        self.index.register_tokenizer("en", self.analyzer)
        writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        for s in skills:
            doc = tantivy.Document()
            doc.add_text("uri", s.uri)
            doc.add_text("name", s.name)
            for a in s.aliases:
                doc.add_text("aliases", a)
            doc.add_text("description", s.description)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def query(self, text: str) -> tantivy.Query | None:
        qwords = words(text)
        clauses = []
        for i, w in enumerate(qwords):
            last = i == len(qwords) - 1
            d = typo_budget(w)
            for f, b in BOOSTS.items():
                for t in self.analyzer.analyze(w):
                    clauses.append(tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, f, t), b))
                    if d:
                        fuzzy = tantivy.Query.fuzzy_term_query(self.schema, f, t, distance=d, transposition_cost_one=True)
                        clauses.append(tantivy.Query.boost_query(fuzzy, b * FUZZY_WEIGHT))
                if last:
                    for t, _ in self.searcher.terms_with_prefix(f, fold(w), limit=PREFIX_EXPANSIONS):
                        clauses.append(tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, f, t), b))
        if not clauses:
            return None
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, c) for c in clauses])

    def search(self, text: str, limit: int = 10) -> list[str]:
        q = self.query(text)
        if q is None:
            return []
        hits = self.searcher.search(q, limit).hits
        return [self.searcher.doc(addr)["uri"][0] for _, addr in hits]


class Fts5Peer:
    name = "fts5"

    def __init__(self, skills: list[Skill]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE skills USING fts5(uri UNINDEXED, name, aliases, description,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO skills(uri, name, aliases, description) VALUES (?, ?, ?, ?)",
            [(s.uri, s.name, "\n".join(s.aliases), s.description) for s in skills],
        )
        self.db.commit()

    @staticmethod
    def match(text: str) -> str | None:
        qwords = words(text)
        if not qwords:
            return None
        quoted = ['"' + w.replace('"', '""') + '"' for w in qwords]
        quoted[-1] += "*"
        return " OR ".join(quoted)

    def search(self, text: str, limit: int = 10) -> list[str]:
        m = self.match(text)
        if m is None:
            return []
        rows = self.db.execute(
            "SELECT uri FROM skills WHERE skills MATCH ? ORDER BY bm25(skills, 0.0, 10.0, 5.0, 1.0), rowid LIMIT ?",
            (m, limit),
        )
        return [r[0] for r in rows]
