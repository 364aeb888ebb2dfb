//! Record text is untrusted. Everything the program prints to a terminal or writes into a
//! spreadsheet cell passes through here, so that no record can move the cursor, retitle the
//! terminal, reorder the screen or run a formula.

use std::borrow::Cow;

/// Whether a character would act on a terminal rather than show: C0 and C1 controls, DEL,
/// and the bidirectional embeddings, overrides and isolates that can reorder a line.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                // Zero-width space and direction marks; the joiners U+200C and U+200D stay,
                // as Persian script and emoji sequences need them.
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{061C}'
        )
}

fn visible(c: char, out: &mut String) {
    match c {
        // Control Pictures show C0 controls as themselves: ␛ for ESC, ␇ for BEL.
        '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('␡'),
        _ => out.push_str(&format!("<U+{:04X}>", c as u32)),
    }
}

/// Text safe to print, keeping line breaks: every other unsafe character is shown visibly,
/// a tab becomes a space.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    sanitize_with(s, true)
}

/// Text safe to print on one line: line breaks become `⏎`.
pub fn one_line(s: &str) -> Cow<'_, str> {
    sanitize_with(s, false)
}

fn sanitize_with(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\r' if chars.peek() == Some(&'\n') && keep_newlines => {}
            '\n' => out.push('⏎'),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\t' => out.push(' '),
            c if is_unsafe(c) => visible(c, &mut out),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A spreadsheet cell that cannot run as a formula nor act on a terminal: the text made safe
/// to print ([`sanitize`]: an escape shows as `␛`, a tab as a space, line breaks stay), with a
/// leading `'`, as OWASP advises, when a spreadsheet could read it as a formula: its first
/// character other than white space is `=`, `+`, `-` or `@` (spreadsheets that trim spaces on
/// import see the formula behind them), or it starts with a tab, carriage return or line feed.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let risky = matches!(s.chars().next(), Some('\t' | '\r' | '\n'))
        || matches!(
            s.chars().find(|c| !c.is_whitespace()),
            Some('=' | '+' | '-' | '@')
        );
    let safe = sanitize(s);
    if risky {
        Cow::Owned(format!("'{safe}"))
    } else {
        safe
    }
}

/// The first line of a text, cut to at most `max` characters with an ellipsis.
pub fn first_line(s: &str, max: usize) -> String {
    let line = s.trim_start().lines().next().unwrap_or("");
    let more = s.trim().lines().nth(1).is_some();
    let mut out: String = line.chars().take(max).collect();
    if line.chars().count() > max {
        out.pop();
        out.push('…');
    } else if more {
        out.push('…');
    }
    one_line(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_show_visibly() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a␛[2Jb");
        assert_eq!(sanitize("x\u{202E}y"), "x<U+202E>y");
        assert_eq!(sanitize("\x1b]52;c;aGk=\x07"), "␛]52;c;aGk=␇");
        assert_eq!(sanitize("a\u{9b}b"), "a<U+009B>b");
        assert_eq!(sanitize("one\ntwo"), "one\ntwo");
        assert_eq!(one_line("one\r\ntwo"), "one⏎two");
        assert!(matches!(sanitize("données « ok »"), Cow::Borrowed(_)));
    }

    #[test]
    fn formulas_are_neutralised() {
        for f in ["=1+1", "+3", "-2+3", "@SUM(1)", "\tx", "\rx", "\nx"] {
            assert!(csv_cell(f).starts_with('\''), "{f:?}");
        }
        assert_eq!(csv_cell("\tx"), "' x");
        assert_eq!(
            csv_cell("\u{a0}\u{3000}=cmd|' /C calc'!A0"),
            "'\u{a0}\u{3000}=cmd|' /C calc'!A0"
        );
        assert_eq!(csv_cell("Nous ne vendons pas"), "Nous ne vendons pas");
    }

    #[test]
    fn csv_formula_behind_white_space_is_guarded() {
        for f in ["  =1+1", " \t+3", "\t-2+3", "\r\n@SUM(1)", "\tplain"] {
            assert!(csv_cell(f).starts_with('\''), "{f:?}");
        }
        assert_eq!(csv_cell(" 3 - 2"), " 3 - 2");
    }

    #[test]
    fn first_lines() {
        assert_eq!(first_line("abc\ndef", 10), "abc…");
        assert_eq!(first_line("abcdef", 4), "abc…");
        assert_eq!(first_line("abc", 4), "abc");
    }
}
