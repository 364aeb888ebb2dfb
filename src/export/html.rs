//! The HTML export: a static site a desk can publish as it is. `index.html` lists the
//! incidents by company and the verdicts by kind; `INCIDENT/index.html` is an incident's
//! timeline; `INCIDENT/VERDICT-ID/index.html` is a verdict's page, both statements side by
//! side, with its ClaimReview JSON-LD embedded: the page a review's `url` points to
//! ([`super::claimreview::review_url`]).
//!
//! No page needs JavaScript or makes a request anywhere: the style is inline, and a
//! Content-Security-Policy forbids scripts, frames, images and fetches, so that even a page
//! edited by hand later cannot call out. Record text is untrusted: it is escaped for HTML
//! after control characters are made visible ([`crate::text::sanitize`]); links are made only
//! to `http` and `https` addresses; the JSON-LD escapes `<`, `>` and `&`, so no text can close
//! its `<script>` element.
//!
//! The site is built in a temporary folder beside `--out` and moved into place when complete.
//! An existing `--out` folder is replaced only when it is empty or an earlier export (it holds
//! [`MARKER`]), so that a mistyped path never deletes someone's folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use super::claimreview::{self, ClaimReviewOptions};
use super::{ExportError, Selection, Summary, web_url};
use crate::model::{Contradiction, Incident, Statement, Verdict};
use crate::query::Filter;
use crate::store::Corpus;
use crate::text::sanitize;

/// The file that marks a folder as a site this export wrote, and so one it may replace.
pub const MARKER: &str = ".onrecord-site";

/// What every page's head says: no script, no request to anywhere, no referrer.
const HEAD: &str = r#"<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}
.text{white-space:pre-wrap}.meta{color:#555;font-size:.9rem}.verdict{font-weight:bold}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.pair>div{border:1px solid #ccc;padding:.6rem}
</style>
"#;

/// Writes the site into `dir`, replacing an earlier export there.
pub fn write_site(
    dir: &Path,
    corpus: &Corpus,
    filter: &Filter,
    options: &ClaimReviewOptions,
) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    let replace_err = |e: io::Error| ExportError::Write(dir.to_path_buf(), e);
    check_replaceable(dir).map_err(replace_err)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .tempdir_in(parent)
        .map_err(replace_err)?;
    let root = temp.path();
    for sel in &selection.incidents {
        let inc = sel.incident;
        let folder = root.join(&inc.id);
        fs::create_dir_all(&folder)?;
        let verdicts: Vec<(&Contradiction, &str)> = sel
            .contradictions
            .iter()
            .zip(&sel.verdict_ids)
            .map(|(c, id)| (*c, id.as_str()))
            .collect();
        fs::write(
            folder.join("index.html"),
            incident_page(inc, &sel.statements, &verdicts),
        )?;
        for (c, id) in verdicts {
            let page = verdict_page(corpus, inc, c, id, options)?;
            fs::create_dir_all(folder.join(id))?;
            fs::write(folder.join(id).join("index.html"), page)?;
        }
    }
    fs::write(root.join("index.html"), index_page(corpus, &selection))?;
    fs::write(
        root.join(MARKER),
        "written by onrecord export --format html\n",
    )?;
    #[cfg(unix)]
    {
        // A temporary folder is private to its owner; a site is for publishing.
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root, fs::Permissions::from_mode(0o755)).map_err(replace_err)?;
    }
    let root = temp.keep();
    let old = parent.join(format!(".{name}.old.{}", std::process::id()));
    let had_old = dir.exists();
    if had_old {
        fs::rename(dir, &old).map_err(replace_err)?;
    }
    if let Err(e) = fs::rename(&root, dir) {
        if had_old {
            let _ = fs::rename(&old, dir);
        }
        let _ = fs::remove_dir_all(&root);
        return Err(replace_err(e));
    }
    if had_old {
        fs::remove_dir_all(&old).map_err(replace_err)?;
    }
    Ok(selection.summary())
}

/// `dir` may be replaced when it does not exist, is an empty folder, or holds [`MARKER`];
/// never when it is a file or a symbolic link.
fn check_replaceable(dir: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let refuse = |why: &str| Err(io::Error::other(why.to_string()));
    if meta.file_type().is_symlink() {
        return refuse("it is a symbolic link: give the folder itself");
    }
    if !meta.is_dir() {
        return refuse("it is a file, not a folder: give a folder for the site");
    }
    let empty = fs::read_dir(dir)?.next().is_none();
    if empty || dir.join(MARKER).is_file() {
        Ok(())
    } else {
        refuse(
            "the folder holds files this export did not write: give a new or empty folder, \
             or one an earlier html export wrote",
        )
    }
}

/// Record text as HTML text: controls made visible, markup characters escaped.
pub fn esc(s: &str) -> String {
    let safe = sanitize(s);
    let mut out = String::with_capacity(safe.len() + 8);
    for c in safe.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str, json_ld: Option<&str>) -> String {
    let mut out = String::with_capacity(body.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
    out.push_str(HEAD);
    let _ = writeln!(out, "<title>{}</title>", esc(title));
    if let Some(ld) = json_ld {
        let _ = writeln!(
            out,
            "<script type=\"application/ld+json\">\n{ld}\n</script>"
        );
    }
    out.push_str("</head>\n<body>\n");
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

fn link(url: &str, text: &str) -> String {
    match web_url(url) {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"nofollow noopener noreferrer\">{}</a>",
            esc(&u),
            esc(text)
        ),
        None => esc(text),
    }
}

fn statement_block(out: &mut String, inc: &Incident, st: &Statement) {
    let role = st
        .role
        .as_deref()
        .map(|r| format!(" ({})", esc(r)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} · {}{role} · {} · <code>{}#{}</code></p>",
        esc(&st.date.human()),
        esc(&st.speaker),
        st.kind,
        esc(&inc.id),
        esc(&st.id)
    );
    let _ = writeln!(
        out,
        "<blockquote class=\"text\">{}</blockquote>",
        esc(&st.text)
    );
    if let Some(t) = &st.translation {
        let _ = writeln!(out, "<p class=\"text\"><i>{}</i></p>", esc(t));
    }
    let source = st.source.as_deref().and_then(|s| inc.source(s));
    let url = st
        .url
        .as_deref()
        .or_else(|| source.and_then(|s| s.url.as_deref()));
    let outlet = source.map_or("source", |s| s.outlet.as_str());
    match url {
        Some(u) => {
            let _ = writeln!(out, "<p class=\"meta\">{}</p>", link(u, outlet));
        }
        None if source.is_some() => {
            let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(outlet));
        }
        None => {}
    }
}

fn incident_page(
    inc: &Incident,
    statements: &[&Statement],
    verdicts: &[(&Contradiction, &str)],
) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<p><a href=\"../index.html\">All incidents</a></p>");
    let _ = writeln!(body, "<h1>{}</h1>", esc(&inc.title));
    let _ = writeln!(
        body,
        "<p class=\"meta\">{} · <code>{}</code></p>",
        esc(&inc.company),
        esc(&inc.id)
    );
    if let Some(summary) = &inc.summary {
        let _ = writeln!(body, "<p class=\"text\">{}</p>", esc(summary.trim()));
    }
    if !verdicts.is_empty() {
        body.push_str("<h2>Verdicts</h2>\n<ul>\n");
        for (c, id) in verdicts {
            let _ = writeln!(
                body,
                "<li><a href=\"{id}/index.html\"><span class=\"verdict\">{}</span>: {} → {}</a></li>",
                c.verdict,
                esc(&c.between[0].to_string()),
                esc(&c.between[1].to_string())
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str("<h2>Timeline</h2>\n");
    let mut ordered = statements.to_vec();
    ordered.sort_by_key(|s| s.date);
    for st in ordered {
        let _ = writeln!(body, "<section id=\"{}\">", esc(&st.id));
        statement_block(&mut body, inc, st);
        body.push_str("</section>\n");
    }
    page(&inc.title, &body, None)
}

/// A verdict's page, with its ClaimReview when the verdict makes one.
fn verdict_page(
    corpus: &Corpus,
    holder: &Incident,
    c: &Contradiction,
    id: &str,
    options: &ClaimReviewOptions,
) -> Result<String, ExportError> {
    let json_ld = match claimreview::review(corpus, holder, c, id, options) {
        Some(review) => {
            let mut bytes = Vec::new();
            crate::output::write_json_value(&mut bytes, &review, true)?;
            Some(String::from_utf8(bytes).map_err(io::Error::other)?)
        }
        None => None,
    };
    let (reviewed, evidence) = c.reviewed();
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<p><a href=\"../../index.html\">All incidents</a> · <a href=\"../index.html\">{}</a></p>",
        esc(&holder.title)
    );
    let title = format!(
        "{}: {} and {}",
        words(c.verdict),
        c.between[0],
        c.between[1]
    );
    let _ = writeln!(body, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        body,
        "<p><span class=\"verdict\">{}</span>: {}</p>",
        words(c.verdict),
        esc(c.verdict.meaning())
    );
    if let Some(claim) = &c.claim {
        let _ = writeln!(body, "<p><b>Claim:</b> {}</p>", esc(claim.trim()));
    }
    body.push_str("<div class=\"pair\">\n");
    for (label, r) in [("Claim reviewed", reviewed), ("Evidence", evidence)] {
        let _ = writeln!(body, "<div>\n<h2>{label}</h2>");
        match corpus.statement(r) {
            Some((inc, st)) => statement_block(&mut body, inc, st),
            None => {
                let _ = writeln!(body, "<p>{} is not in the corpus.</p>", esc(&r.to_string()));
            }
        }
        body.push_str("</div>\n");
    }
    body.push_str("</div>\n");
    if let Some(note) = &c.note {
        let _ = writeln!(
            body,
            "<h2>Why</h2>\n<p class=\"text\">{}</p>",
            esc(note.trim())
        );
    }
    if let Some(by) = &c.tagged_by {
        let at = c
            .tagged_at
            .map(|t| format!(" on {}", super::iso_day(t.date_naive())))
            .unwrap_or_default();
        let _ = writeln!(body, "<p class=\"meta\">Decided by {}{at}.</p>", esc(by));
    }
    Ok(page(&title, &body, json_ld.as_deref()))
}

fn words(v: Verdict) -> &'static str {
    match claimreview::rating(v) {
        Some((_, words)) => words,
        None if v == Verdict::Consistent => "Consistent",
        None => "Unrelated",
    }
}

fn index_page(corpus: &Corpus, selection: &Selection) -> String {
    let mut body = String::from("<h1>On the record</h1>\n<h2>By company</h2>\n");
    let mut companies: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
    for sel in &selection.incidents {
        companies
            .entry(sel.incident.company.as_str())
            .or_default()
            .push(sel.incident);
    }
    for (company, incidents) in &companies {
        let _ = writeln!(body, "<h3>{}</h3>\n<ul>", esc(company));
        for inc in incidents {
            let _ = writeln!(
                body,
                "<li><a href=\"{}/index.html\">{}</a></li>",
                inc.id,
                esc(&inc.title)
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str("<h2>By verdict</h2>\n");
    for v in Verdict::ALL {
        let rows: Vec<_> = selection
            .contradictions()
            .filter(|(_, c, _)| c.verdict == v)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<h3>{}</h3>\n<table>\n<tr><th>Company</th><th>Claim reviewed</th><th>Verdict</th></tr>",
            words(v)
        );
        for (inc, c, id) in rows {
            let claim = match &c.claim {
                Some(claim) => claim.clone(),
                None => corpus
                    .statement(c.reviewed().0)
                    .map(|(_, st)| claimreview::shorten(&st.text, claimreview::CLAIM_CHARS))
                    .unwrap_or_default(),
            };
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td><td><a href=\"{}/{id}/index.html\">{}</a></td></tr>",
                esc(&inc.company),
                esc(&claim),
                inc.id,
                words(v)
            );
        }
        body.push_str("</table>\n");
    }
    page("On the record", &body, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_controls_shown() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert!(!esc("a\x1b[2Jb").contains('\x1b'));
    }

    #[test]
    fn a_folder_that_is_not_an_earlier_site_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let mine = tmp.path().join("notes");
        fs::create_dir(&mine).unwrap();
        fs::write(mine.join("draft.txt"), "mine").unwrap();
        assert!(check_replaceable(&mine).is_err());
        fs::write(tmp.path().join("file"), "x").unwrap();
        assert!(check_replaceable(&tmp.path().join("file")).is_err());
        assert!(check_replaceable(&tmp.path().join("new")).is_ok());
        fs::write(mine.join(MARKER), "").unwrap();
        assert!(check_replaceable(&mine).is_ok());
    }
}
