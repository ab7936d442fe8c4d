//! Highlighted snippets: the words of a text that a hit matched, in `<mark>`, the rest
//! HTML-escaped; a long text is cut to the window of [`WINDOW`] words that holds the most
//! matched words, with `…` where it was cut.

use super::analyzer::{Analyzer, tokens};
use super::index::{SearchIndex, TermId};

/// Words shown of a long text.
pub const WINDOW: usize = 16;

pub fn snippet(index: &SearchIndex, text: &str, terms: &[TermId]) -> String {
    let analyzer = Analyzer::default();
    let toks = tokens(text);
    let marked: Vec<bool> =
        toks.iter().map(|t| index.term(&analyzer, &t.surface).is_some_and(|id| terms.contains(&id))).collect();
    let (from, to) = if toks.len() <= WINDOW {
        (0, toks.len())
    } else {
        // The window with the most marked words; the earliest on a tie.
        let mut count: usize = marked[..WINDOW].iter().filter(|m| **m).count();
        let mut best = (0, count);
        for start in 1..=toks.len() - WINDOW {
            count = count + usize::from(marked[start + WINDOW - 1]) - usize::from(marked[start - 1]);
            if count > best.1 {
                best = (start, count);
            }
        }
        // Context before the first matched word: it starts three words into the window.
        let first_marked = (best.0..best.0 + WINDOW).find(|&i| marked[i]).unwrap_or(best.0);
        let start = first_marked.saturating_sub(3).min(toks.len() - WINDOW);
        (start, start + WINDOW)
    };
    let start_byte = if from == 0 { 0 } else { toks[from].byte_start };
    let end_byte = if to == toks.len() { text.len() } else { toks[to - 1].byte_end };
    let mut out = String::with_capacity(end_byte - start_byte + 32);
    if from > 0 {
        out.push('…');
    }
    let mut at = start_byte;
    for (t, &m) in toks[from..to].iter().zip(&marked[from..to]) {
        escape_into(&mut out, &text[at..t.byte_start]);
        if m {
            out.push_str("<mark>");
            escape_into(&mut out, &text[t.byte_start..t.byte_end]);
            out.push_str("</mark>");
        } else {
            escape_into(&mut out, &text[t.byte_start..t.byte_end]);
        }
        at = t.byte_end;
    }
    escape_into(&mut out, &text[at..end_byte]);
    if to < toks.len() {
        out.push('…');
    }
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
