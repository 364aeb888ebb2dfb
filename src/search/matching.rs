//! Folding a field for matching, splitting a query into terms, and how a term is found in
//! folded text: as a whole word, at a word's start, or inside a word.

use super::*;

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Folds `s` onto `out` with runs of whitespace made one space, so a phrase matches across
/// line breaks and double spaces. With `origin`, records for each output byte the byte offset
/// in `s` of the character it came from.
pub(super) fn fold_field(s: &str, out: &mut String, origin: Option<&mut Vec<u32>>) {
    let Some(origin) = origin else {
        return fold_plain(s, out);
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let before = out.len();
        let b = bytes[i];
        // Most record text is ASCII: fold it a byte at a time without decoding.
        let (c, width) = if b.is_ascii() {
            (b as char, 1)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if b.is_ascii() {
            out.push(b.to_ascii_lowercase() as char);
        } else {
            fold_char(c, out);
        }
        match out.len() - before {
            1 => origin.push(i as u32),
            n => origin.extend(std::iter::repeat_n(i as u32, n)),
        }
        i += width;
    }
}

/// [`fold_field`] without recording where each byte came from: a run of plain ASCII (most of
/// an archive) at a time.
fn fold_plain(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII that folds to itself lowercased: no whitespace but single spaces,
        // each after a character that is not whitespace (so a space that stays as it is).
        // Plain: ASCII, and not one of the characters `char::is_whitespace` says ASCII has.
        let start = i;
        let plain = |b: u8| b > b' ' && b < 0x80 || b < b'\t' || b > b'\r' && b < b' ';
        while i < bytes.len() {
            let b = bytes[i];
            if !(plain(b) || b == b' ' && i > start && bytes[i - 1] != b' ') {
                break;
            }
            i += 1;
        }
        if i > start {
            let at = out.len();
            out.push_str(&s[start..i]);
            if let Some(run) = out.get_mut(at..) {
                run.make_ascii_lowercase();
            }
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            fold_char(c, out);
        }
        i += c.len_utf8();
    }
}

pub(super) fn folded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_field(s, &mut out, None);
    out
}

/// How a term was found in a statement's folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    None,
    Infix,
    Prefix,
    Whole,
}

pub(super) fn boundary_before(hay: &str, at: usize) -> bool {
    !hay[..at].chars().next_back().is_some_and(is_word_char)
}

pub(super) fn boundary_after(hay: &str, at: usize) -> bool {
    !hay[at..].chars().next().is_some_and(is_word_char)
}

pub(super) fn level_at(hay: &str, at: usize, len: usize) -> Level {
    match (boundary_before(hay, at), boundary_after(hay, at + len)) {
        (true, true) => Level::Whole,
        (true, false) => Level::Prefix,
        _ => Level::Infix,
    }
}

/// The best way a term occurs in `hay`.
pub(super) fn term_level(hay: &str, finder: &memmem::Finder) -> Level {
    let len = finder.needle().len();
    let mut best = Level::None;
    for at in finder.find_iter(hay.as_bytes()) {
        best = best.max(level_at(hay, at, len));
        if best == Level::Whole {
            break;
        }
    }
    best
}

/// How each ASCII letter and digit occurs in one entry's folded text: anywhere, at the start
/// of a word, as a word of its own. Tells a one-letter term's [`Level`] exactly, as
/// [`term_level`] would find it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Letters {
    present: u64,
    starts: u64,
    whole: u64,
}

/// The bit of a term that is one ASCII letter or digit.
pub(super) fn letter_bit(term: &str) -> Option<u32> {
    match term.as_bytes() {
        [c @ b'a'..=b'z'] => Some(u32::from(c - b'a')),
        [c @ b'0'..=b'9'] => Some(26 + u32::from(c - b'0')),
        [c @ b'A'..=b'Z'] => Some(36 + u32::from(c - b'A')),
        _ => None,
    }
}

impl Letters {
    pub(super) fn of(hay: &str) -> Letters {
        let mut l = Letters::default();
        let mut before = false;
        let mut chars = hay.chars().peekable();
        while let Some(c) = chars.next() {
            let word = is_word_char(c);
            if let Some(bit) = letter_bit(c.encode_utf8(&mut [0; 4])) {
                let m = 1u64 << bit;
                l.present |= m;
                if !before {
                    l.starts |= m;
                    if !chars.peek().is_some_and(|&n| is_word_char(n)) {
                        l.whole |= m;
                    }
                }
            }
            before = word;
        }
        l
    }

    /// The best way the letter `bit` (from [`letter_bit`]) occurs.
    pub(super) fn level(&self, bit: u32) -> Level {
        let m = 1u64 << bit;
        if self.whole & m != 0 {
            Level::Whole
        } else if self.starts & m != 0 {
            Level::Prefix
        } else if self.present & m != 0 {
            Level::Infix
        } else {
            Level::None
        }
    }
}

pub(super) fn exact_score(hay: &str, levels: &[Level], phrase: Option<&memmem::Finder>) -> i64 {
    // Where the phrase starts a word, every term before the last is followed by a space, so
    // is found whole, and the last starts a word: without that, no need to look for it.
    let possible = levels.split_last().is_some_and(|(last, before)| {
        *last >= Level::Prefix && before.iter().all(|&l| l == Level::Whole)
    });
    if let Some(f) = phrase.filter(|_| possible) {
        let len = f.needle().len();
        let mut best = 0;
        for at in f.find_iter(hay.as_bytes()) {
            if boundary_before(hay, at) {
                best = best.max(if boundary_after(hay, at + len) { 2 } else { 1 });
                if best == 2 {
                    break;
                }
            }
        }
        if best > 0 {
            return base(MatchRank::Phrase) + best;
        }
    }
    levels_score(levels)
}

/// The score of a statement where the terms were found so, not as a phrase.
pub(super) fn levels_score(levels: &[Level]) -> i64 {
    let worst = levels.iter().copied().min().unwrap_or(Level::Whole);
    let whole = levels.iter().filter(|&&l| l == Level::Whole).count() as i64;
    let prefix = levels.iter().filter(|&&l| l >= Level::Prefix).count() as i64;
    match worst {
        Level::Whole => base(MatchRank::Words),
        Level::Prefix => base(MatchRank::Prefix) + whole,
        _ => base(MatchRank::Fuzzy) + INFIX + whole + prefix,
    }
}

/// A query folded and split into what must be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Query {
    pub(super) terms: Vec<Term>,
    /// The whole query as one run of words, when it has more than one.
    pub(super) phrase: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term {
    /// Folded.
    pub(super) text: String,
    /// A single word long enough to forgive typos in, not quoted.
    pub(super) fuzzable: bool,
}

impl Query {
    pub(super) fn parse(query: &str) -> Query {
        let text = folded(query);
        let mut terms = Vec::new();
        for (i, part) in text.split('"').enumerate() {
            let quoted = i % 2 == 1;
            let trim = |s: &str| s.trim_matches(|c: char| !is_word_char(c)).to_string();
            if quoted {
                let phrase = trim(part);
                if !phrase.is_empty() {
                    terms.push(Term {
                        text: phrase,
                        fuzzable: false,
                    });
                }
            } else {
                for word in part.split(' ').map(trim).filter(|w| !w.is_empty()) {
                    let fuzzable =
                        word.chars().all(is_word_char) && max_edits(word.chars().count()) > 0;
                    terms.push(Term {
                        text: word,
                        fuzzable,
                    });
                }
            }
        }
        let words: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        let phrase = words.join(" ");
        let phrase = (phrase.contains(' ')).then_some(phrase);
        Query { terms, phrase }
    }

    /// Whether every entry matching `self` exactly also matched `earlier` exactly, so this
    /// query may search only what the earlier one found.
    pub(super) fn narrows(&self, earlier: &Query) -> bool {
        !earlier.terms.is_empty()
            && earlier
                .terms
                .iter()
                .all(|old| self.terms.iter().any(|new| new.text.contains(&old.text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_split_into_words_and_phrases() {
        let q = Query::parse("Données  \"ne VENDONS pas\" clients,");
        let texts: Vec<&str> = q.terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["donnees", "ne vendons pas", "clients"]);
        assert!(!q.terms[1].fuzzable);
        assert_eq!(q.phrase.as_deref(), Some("donnees ne vendons pas clients"));
        assert_eq!(Query::parse("« ne vendons »").terms[0].text, "ne vendons");
        assert_eq!(Query::parse("  ").terms, []);
        assert_eq!(Query::parse("vendons").phrase, None);
    }

    #[test]
    fn a_growing_query_narrows() {
        let a = Query::parse("donn");
        let b = Query::parse("donnees cl");
        assert!(b.narrows(&a));
        assert!(!a.narrows(&b));
        assert!(!Query::parse("don").narrows(&a));
        assert!(!b.narrows(&Query::parse("")));
    }

    #[test]
    fn levels_follow_word_boundaries() {
        let f = |t: &str| memmem::Finder::new(t.as_bytes()).into_owned();
        assert_eq!(term_level("l'echec total", &f("echec")), Level::Whole);
        assert_eq!(term_level("echecs", &f("echec")), Level::Prefix);
        assert_eq!(term_level("mechecs echec", &f("echec")), Level::Whole);
        assert_eq!(term_level("mechecs", &f("echec")), Level::Infix);
        assert_eq!(term_level("rien", &f("echec")), Level::None);
    }

    #[test]
    fn the_letters_table_places_one_letter_terms_as_a_scan_does() {
        for hay in [
            "a b\u{1f}ca d'x",
            "l'echec a 3 heures\u{1f}\u{1f}v",
            "vv v2 2v",
            "données clés é e",
            "",
            "z",
        ] {
            let letters = Letters::of(hay);
            for c in ('a'..='z').chain('0'..='9') {
                let term = c.to_string();
                let bit = letter_bit(&term).expect("a letter or digit");
                let f = memmem::Finder::new(term.as_bytes());
                assert_eq!(letters.level(bit), term_level(hay, &f), "{c:?} in {hay:?}");
            }
        }
        assert_eq!(letter_bit("ab"), None);
        assert_eq!(letter_bit("é"), None);
    }

    #[test]
    fn folded_fields_keep_a_way_back() {
        let mut out = String::new();
        let mut origin = Vec::new();
        fold_field("Œuvre  des\ndonnées", &mut out, Some(&mut origin));
        assert_eq!(out, "oeuvre des donnees");
        assert_eq!(out.len(), origin.len());
        assert_eq!(origin[out.find("donnees").unwrap()], 12);
    }
}
