//! The tokenizer: Unicode words, numbers, runs of space and single punctuation characters,
//! with French elisions (`n'`, `l'`, `qu'`) split off. Every token keeps its byte range in the
//! original text, so that a change can be quoted as it was written.

use std::collections::HashMap;

/// FNV-1a: the maps here are keyed by short words, where it is several times faster than the
/// default SipHash and no key comes from an adversary who could exploit it.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A hash map keyed by words.
pub type WordMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Space,
    Punct,
}

/// One token: a byte range of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start..self.end]
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\u{0300}'..='\u{036F}')
}

/// French words that elide before a vowel: `n'`, `l'`, `qu'`... They become tokens of their own,
/// apostrophe included, so that "n'utilisions" diffs as `n'` + `utilisions`.
fn is_elision(word: &str) -> bool {
    word.len() <= 6
        && super::lexicon::get()
            .elisions
            .iter()
            .any(|e| e.eq_ignore_ascii_case(word))
}

/// Splits a text into words, numbers, runs of white space and single punctuation characters.
/// Concatenating every token's text gives the text back.
pub fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(s.len() / 3);
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let kind = if c.is_whitespace() {
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_whitespace() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            TokenKind::Space
        } else if c.is_ascii_digit() {
            // 1,000 and 3.5 are one number; "2024-11" is a number, a dash, a number.
            while let Some(&(i, d)) = chars.peek() {
                let separator = matches!(d, '.' | ',')
                    && s[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_digit());
                if !d.is_ascii_digit() && !separator {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            TokenKind::Number
        } else if is_word_char(c) {
            while let Some(&(i, d)) = chars.peek() {
                if is_word_char(d) {
                    end = i + d.len_utf8();
                    chars.next();
                } else if (is_apostrophe(d) || d == '-')
                    && s[i + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(is_word_char)
                {
                    if is_apostrophe(d) && is_elision(&s[start..end]) {
                        end = i + d.len_utf8();
                        chars.next();
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            TokenKind::Word
        } else {
            TokenKind::Punct
        };
        out.push(Token { kind, start, end });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn tokens_rebuild_the_text() {
        for s in [
            "Nous ne vendons pas et ne vendrons pas de données clients",
            "bien que nous n’utilisions que les noms",
            "  «supprimer temporairement»\n l'étendue — 1,000.5 euros!",
            "We don't sell; we won't. Royaume-Uni, peut-être…",
            "",
        ] {
            assert_eq!(texts(s).concat(), s);
        }
    }

    #[test]
    fn french_elisions_split_and_english_contractions_stay() {
        assert_eq!(
            texts("n’utilisions l'étendue qu'il d’argent"),
            [
                "n’",
                "utilisions",
                " ",
                "l'",
                "étendue",
                " ",
                "qu'",
                "il",
                " ",
                "d’",
                "argent"
            ]
        );
        assert_eq!(texts("don't aujourd'hui"), ["don't", " ", "aujourd'hui"]);
        assert_eq!(texts("customers' data"), ["customers", "'", " ", "data"]);
    }

    #[test]
    fn numbers_punctuation_and_spaces() {
        assert_eq!(
            texts("1,000 and 3.5%, 2024-11."),
            [
                "1,000", " ", "and", " ", "3.5", "%", ",", " ", "2024", "-", "11", "."
            ]
        );
        let kinds: Vec<TokenKind> = tokenize("a 1 .").iter().map(|t| t.kind).collect();
        use TokenKind::*;
        assert_eq!(kinds, [Word, Space, Number, Space, Punct]);
    }
}
