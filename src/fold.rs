//! Folding text for matching: lowercase, accents removed, ligatures spelled out, typographic
//! quotes and apostrophes made plain, so that `donnees` finds "données" and `ECHEC` "échec".
//! Search, diff and suggestions all compare folded text; each keeps its own way back to the
//! original characters through [`fold_with_offsets`].

/// Appends the folded form of one character (zero, one or more characters).
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'Ā' | 'Ă' | 'Ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' | 'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ'
        | 'Ė' | 'Ę' | 'Ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "g",
        'ĥ' | 'ħ' | 'Ĥ' | 'Ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī'
        | 'Ĭ' | 'Į' | 'İ' => "i",
        'ĵ' | 'Ĵ' => "j",
        'ķ' | 'Ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø'
        | 'Ō' | 'Ŏ' | 'Ő' => "o",
        'ŕ' | 'ŗ' | 'ř' | 'Ŕ' | 'Ŗ' | 'Ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' | 'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ'
        | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "u",
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
