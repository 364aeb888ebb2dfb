//! Folding text for matching: lowercase, accents removed, ligatures spelled out, typographic
//! quotes and apostrophes made plain, so that `donnees` finds "données" and `ECHEC` "échec".
//! Search, diff and suggestions all compare folded text; each keeps its own way back to the
//! original characters through [`fold_with_offsets`].

use unicode_normalization::char::decompose_compatible;

/// Appends the folded form of one character (zero, one or more characters): its
/// compatibility decomposition (NFKD) without the diacritics, lowercased, with the few
/// letters and signs that have no decomposition ([`spelled_out`]) spelled out.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // Before decomposing: NFKD would turn `″` into two primes and `ŀ` into `l·`.
    if let Some(s) = spelled_out(c) {
        out.push_str(s);
        return;
    }
    decompose_compatible(c, |d| {
        if d.is_ascii() {
            out.push(d.to_ascii_lowercase());
        } else if is_diacritic(d) {
            // Accents go: `é` decomposes into `e` and U+0301.
        } else if let Some(s) = spelled_out(d) {
            out.push_str(s);
        } else {
            out.extend(d.to_lowercase());
        }
    });
}

/// Letters that are not a base letter plus a mark (so NFKD leaves them alone), and
/// typographic quotes, dashes and spaces, as a reader would type them.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' | 'ẞ' => "ss",
        'þ' | 'Þ' => "th",
        'ð' | 'Ð' | 'đ' | 'Đ' => "d",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' | 'ŀ' | 'Ŀ' => "l",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ı' => "i",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬀ' => "ff",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' => " ",
        _ => return None,
    })
}

/// The combining marks that accents and other diacritics decompose into. Marks of other
/// kinds (an Indic vowel sign, say) are part of the letter and stay.
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// The folded form of a text.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// The folded text, and for each of its bytes the byte offset in `s` of the character it
/// came from, so a match in folded text maps back to the original.
pub fn fold_with_offsets(s: &str) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(s.len());
    let mut origin = Vec::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let before = out.len();
        fold_char(c, &mut out);
        origin.extend(std::iter::repeat_n(i as u32, out.len() - before));
    }
    (out, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table this module folded with before it decomposed with NFKD, kept as the
    /// measure of what folding must still do.
    fn old_fold_char(c: char, out: &mut String) {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            return;
        }
        let s: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä'
            | 'Å' | 'Ā' | 'Ă' | 'Ą' => "a",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' | 'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "c",
            'ď' | 'đ' | 'Ď' | 'Đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē'
            | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "g",
            'ĥ' | 'ħ' | 'Ĥ' | 'Ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ'
            | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "i",
            'ĵ' | 'Ĵ' => "j",
            'ķ' | 'Ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' | 'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö'
            | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "o",
            'ŕ' | 'ŗ' | 'ř' | 'Ŕ' | 'Ŗ' | 'Ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "s",
            'ţ' | 'ť' | 'ŧ' | 'ț' | 'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'Ù' | 'Ú' | 'Û' | 'Ü'
            | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "u",
            'ŵ' | 'Ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' | 'Ý' | 'Ÿ' | 'Ŷ' => "y",
            'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' | 'ẞ' => "ss",
            'þ' | 'Þ' => "th",
            'ð' | 'Ð' => "d",
            'ﬁ' => "fi",
            'ﬂ' => "fl",
            'ﬀ' => "ff",
            'ﬃ' => "ffi",
            'ﬄ' => "ffl",
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => "\"",
            '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
            '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' => " ",
            // Combining marks (from decomposed text) vanish.
            '\u{0300}'..='\u{036F}' => "",
            _ => {
                for l in c.to_lowercase() {
                    out.push(l);
                }
                return;
            }
        };
        out.push_str(s);
    }

    #[test]
    fn folds_every_character_the_table_folded_the_same_way() {
        let mut differ = Vec::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut old = String::new();
            old_fold_char(c, &mut old);
            if old == c.to_lowercase().to_string() {
                continue; // the table left it to lowercasing
            }
            let mut new = String::new();
            fold_char(c, &mut new);
            if new != old {
                differ.push((c, old, new));
            }
        }
        assert!(differ.is_empty(), "folded differently: {differ:?}");
    }

    #[test]
    fn folds_text_as_the_table_did() {
        let text = "« Nous n’avons jamais vendu — ni ne vendrons — les données de nos clients », \
            déclare Œuvres Façonnées S.A. à Straße 5 ; l’ŒIL d’Ærø, Łódź et Ðakovo ; \
            ﬁnancement ﬂou ; ÀÉÎÕÜ àéîõü ; re\u{301}seau ; 50\u{a0}% ; −3 ; \"ok\"";
        let old: String = text.chars().fold(String::new(), |mut s, c| {
            old_fold_char(c, &mut s);
            s
        });
        assert_eq!(fold(text), old);
    }

    #[test]
    fn folds_what_decomposes_beyond_the_table() {
        // Letters with marks the table never listed, compatibility forms, other scripts.
        assert_eq!(fold("ǅ ǽ Ḁ ṩ ẞ"), "dz ae a s ss");
        assert_eq!(fold("ＡＢＣ ﬅ"), "abc st");
        assert_eq!(fold("Ελλάδα йод"), "ελλαδα иод");
        // An Indic vowel sign is part of its letter and stays.
        assert_eq!(fold("हिन्दी"), "हिन्दी");
    }

    #[test]
    fn folds_accents_case_ligatures_and_quotes() {
        assert_eq!(fold("Données CLIENTS"), "donnees clients");
        assert_eq!(fold("ÉCHEC"), "echec");
        assert_eq!(fold("cœur Œuvre"), "coeur oeuvre");
        assert_eq!(fold("n’utilisions"), "n'utilisions");
        assert_eq!(fold("«supprimer»"), "\"supprimer\"");
        assert_eq!(fold("re\u{301}seau"), "reseau");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn offsets_point_back_to_the_original() {
        let s = "cœur é";
        let (f, o) = fold_with_offsets(s);
        assert_eq!(f, "coeur e");
        assert_eq!(f.len(), o.len());
        let e = f.rfind('e').unwrap();
        assert_eq!(&s[o[e] as usize..], "é");
        assert_eq!(o[2], o[1]); // both letters of "oe" come from "œ"
    }
}
