//! Every byte of data the program prints or exports goes through one of two writers here: JSON
//! ([`write_json`], [`write_jsonl`], [`write_json_value`]) and CSV rows ([`CsvRows`]). The
//! reading commands (`list`, `search`, `show`, `timeline`, `diff`, `suggest`, `check`) and
//! `export` share them, so their escaping cannot drift apart.
//!
//! JSON escapes as `\uXXXX` what JSON allows raw but does harm elsewhere (see
//! [`write_json_value`]); every value reads back unchanged. A CSV cell is made safe for a
//! terminal ([`crate::text::sanitize`]) and for a spreadsheet ([`crate::text::csv_cell`]).

use std::io::{self, Write};

use serde::Serialize;

use crate::text::csv_cell;

/// Writes `value` as JSON, indented or compact, escaping as `\uXXXX` what JSON allows raw but
/// does harm elsewhere: characters that act on a terminal ([`crate::text::is_unsafe`]: DEL, C1
/// controls, bidirectional overrides, U+FEFF), the line separators U+2028 and U+2029 that some
/// JSON Lines readers split on, and `<`, `>`, `&`, so that JSON-LD pasted into a `<script>`
/// element cannot close it. The values read back unchanged.
pub fn write_json_value(
    w: &mut impl Write,
    value: &impl Serialize,
    pretty: bool,
) -> io::Result<()> {
    let result = if pretty {
        let mut ser = serde_json::Serializer::with_formatter(w, SafeFormatter(Pretty::default()));
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(
            w,
            SafeFormatter(serde_json::ser::CompactFormatter),
        );
        value.serialize(&mut ser)
    };
    result.map_err(json_error)
}

/// Writes a JSON value, indented, followed by a newline.
pub fn write_json(w: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    write_json_value(w, value, true)?;
    writeln!(w)
}

/// Writes one compact JSON value a line.
pub fn write_jsonl<T: Serialize>(
    w: &mut impl Write,
    values: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    for v in values {
        write_json_value(w, &v, false)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

type Pretty = serde_json::ser::PrettyFormatter<'static>;

pub(crate) fn needs_escape(c: char) -> bool {
    matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') || crate::text::is_unsafe(c)
}

/// The bytes that can begin a character [`needs_escape`] accepts: `<`, `>`, `&`, DEL, and the
/// UTF-8 lead bytes of C1 controls (0xC2), U+061C (0xD8), U+200B to U+2069 (0xE2) and U+FEFF
/// (0xEF). Every other byte is passed over without decoding, which keeps the check off the
/// profile.
static MAY_NEED_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'&' as usize] = true;
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xd8] = true;
    t[0xe2] = true;
    t[0xef] = true;
    t
};

struct SafeFormatter<F>(F);

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[inline]
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            self.0.$name(w $(, $arg)*)
        }
    )*};
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeFormatter<F> {
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        begin_object_value();
        end_object_value();
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Decode a character only at a byte that may begin one needing escape.
            if !MAY_NEED_ESCAPE[usize::from(b)] {
                i += 1;
                continue;
            }
            let c = fragment[i..].chars().next().unwrap_or_default();
            let len = c.len_utf8();
            if needs_escape(c) {
                w.write_all(&bytes[start..i])?;
                // Every such character is in the Basic Multilingual Plane: one `\\uXXXX`.
                write!(w, "\\u{:04x}", c as u32)?;
                start = i + len;
            }
            i += len;
        }
        w.write_all(&bytes[start..])
    }
}

/// A JSON writer error as an I/O error, keeping a closed pipe recognisable.
pub fn json_error(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    }
}

/// A CSV writer error as an I/O error, keeping its kind (a closed pipe, a full disk).
pub fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// CSV rows, RFC 4180 (quoted where needed, CRLF line ends): every cell, headers too, goes
/// through [`csv_cell`], so that no record opens in a spreadsheet as a formula or acts on a
/// terminal the file is printed to.
pub struct CsvRows<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvRows<W> {
    pub fn new(w: W) -> CsvRows<W> {
        CsvRows {
            out: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(w),
        }
    }

    /// Writes one row.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) -> io::Result<()> {
        for c in cells {
            self.out
                .write_field(csv_cell(c.as_ref()).as_bytes())
                .map_err(csv_error)?;
        }
        self.out.write_record(None::<&[u8]>).map_err(csv_error)
    }

    /// Flushes what is buffered to the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_acts_elsewhere_and_reads_back_the_same() {
        let all: String = (0..0x1_0000u32).filter_map(char::from_u32).collect();
        for pretty in [false, true] {
            let mut out = Vec::new();
            write_json_value(&mut out, &all, pretty).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert_eq!(serde_json::from_str::<String>(&text).unwrap(), all);
            for c in text.chars() {
                assert!(!needs_escape(c) || c == '\n', "{c:?} is written raw");
            }
        }
    }

    #[test]
    fn export_json_escapes_a_byte_order_mark() {
        let mut out = Vec::new();
        write_json_value(&mut out, &"a\u{feff}b", false).unwrap();
        assert_eq!(out, b"\"a\\ufeffb\"");
    }

    #[test]
    fn the_crate_alone_would_let_formulas_through() {
        // Why every cell goes through csv_cell: the csv crate quotes for CSV's sake only.
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(["-2+3", "@SUM(1)"]).unwrap();
        let raw = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(raw, "-2+3,@SUM(1)\n");
    }

    #[test]
    fn csv_rows_are_guarded_and_sanitized() {
        let mut buf = Vec::new();
        let mut rows = CsvRows::new(&mut buf);
        rows.row(["=1+1", "\x1b]0;x\x07", " @SUM(1)", "plain"])
            .unwrap();
        rows.flush().unwrap();
        drop(rows);
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(text, "'=1+1,␛]0;x␇,' @SUM(1),plain\r\n");
    }
}
