//! A deterministic, made-up corpus of any size in the full file format, for benchmarks and
//! tests: French and English prose with accents, partial dates, sources, comments and
//! verdicts, about ten statements a file. The same options always give the same bytes.
//!
//! Two shapes: the default spreads statements over twelve companies, phrased from a few dozen
//! templates; [`Options::organizations`] instead gives every one of N organizations an equal
//! share (20 × 5,000 at 100k statements, as a large archive where big companies say a lot),
//! and names in each statement a few made-up programmes and places drawn from a vocabulary of
//! thousands with a long tail, as real prose has, so that many words are shared by tens or
//! hundreds of one organization's statements.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

const COMPANIES: &[&str] = &[
    "Acme Widgets",
    "Globex Corp",
    "Initech",
    "Umbrella Holdings",
    "Hooli",
    "Vandelay Industries",
    "Soylent Foods",
    "Wonka Confiserie",
    "Cyberdyne Systèmes",
    "Tyrell Réseaux",
    "Duff Breweries",
    "Stark Logistique",
];

const SUBJECTS_FR: &[&str] = &[
    "les données clients",
    "les photos de profil",
    "l’historique d’achat",
    "les adresses électroniques",
    "la localisation des utilisateurs",
    "les contacts du téléphone",
    "les avis publiés",
    "les numéros de carte",
];
const SUBJECTS_EN: &[&str] = &[
    "customer data",
    "profile photos",
    "purchase history",
    "email addresses",
    "user location",
    "phone contacts",
    "published reviews",
    "card numbers",
];
const CLAIMS_FR: &[(&str, &str)] = &[
    (
        "Nous ne vendons pas et ne vendrons pas {s}",
        "We do not and will not sell {s}",
    ),
    (
        "Nous n’avons jamais partagé {s} avec des tiers",
        "We have never shared {s} with third parties",
    ),
    (
        "Nous utilisons uniquement {s} pour améliorer le service",
        "We only use {s} to improve the service",
    ),
    (
        "Nous pourrions partager {s} avec nos partenaires",
        "We may share {s} with our partners",
    ),
    (
        "Le programme est suspendu temporairement en raison de malentendus sur {s}",
        "The programme is temporarily suspended because of misunderstandings about {s}",
    ),
    (
        "Tous les utilisateurs peuvent supprimer {s} à tout moment",
        "All users can delete {s} at any time",
    ),
    (
        "Certains partenaires ont eu accès à {s} pendant 30 jours",
        "Some partners had access to {s} for 30 days",
    ),
    (
        "Nous conservons {s} définitivement pour des raisons de sécurité",
        "We keep {s} permanently for security reasons",
    ),
];
const CLAIMS_EN: &[&str] = &[
    "We will never sell {s} to anyone",
    "Our terms allow us to buy and use {s} for life",
    "We do not collect {s} without consent",
    "Only a small share of {s} was exposed, about 2% of accounts",
    "We have closed the programme that used {s}",
    "The company now shares {s} with advertisers",
];
const SPEAKERS: &[(&str, Option<&str>)] = &[
    ("Jeanne Martin", Some("porte-parole")),
    ("Company spokesperson", None),
    ("Paul Durand", Some("directeur général")),
    ("Press office", None),
    ("Dana Smith", Some("chief privacy officer")),
];
const CHANNELS: &[&str] = &[
    "press release",
    "interview",
    "terms of service",
    "post",
    "message to AFP",
];
const OUTLETS: &[&str] = &[
    "Le Quotidien Imaginaire",
    "The Daily Example",
    "Agence Fictive",
    "Radio Exemple",
];
const TOPICS: &[&str] = &[
    "referral",
    "privacy",
    "breach",
    "pricing",
    "consent",
    "advertising",
];

/// A small deterministic generator (SplitMix64), so the corpus needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What a generated corpus holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub files: usize,
    pub statements: usize,
    pub verdicts: usize,
    pub bytes: u64,
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub statements: usize,
    pub seed: u64,
    /// `Some(n)`: n organizations with an equal share of the statements each, and a long-tailed
    /// vocabulary; `None`: the default shape, twelve companies and template prose.
    pub organizations: Option<usize>,
}

/// Writes a corpus of `statements` statements under `dir` (created if needed), in
/// sub-folders by year as a newsroom might keep them, in the default shape.
pub fn generate(dir: &Path, statements: usize, seed: u64) -> io::Result<Generated> {
    generate_with(
        dir,
        &Options {
            statements,
            seed,
            organizations: None,
        },
    )
}

/// Writes a corpus as `options` say under `dir` (created if needed).
pub fn generate_with(dir: &Path, options: &Options) -> io::Result<Generated> {
    let statements = options.statements;
    let mut rng = Rng(options.seed);
    let mut out = Generated::default();
    let orgs = options.organizations.map(|n| n.max(1));
    let vocabulary = orgs.map(|_| Vocabulary::new(options.seed));
    let mut file_no = 0;
    while out.statements < statements {
        let n = (statements - out.statements).min(6 + rng.below(9));
        let (company, per_year) = match orgs {
            None => (
                COMPANIES[file_no % COMPANIES.len()].to_string(),
                COMPANIES.len(),
            ),
            Some(k) => (organization(file_no % k), k),
        };
        let year = 2015 + (file_no / per_year) % 10;
        let id = format!("{}-{}-{file_no}", slug(&company), rng.word(TOPICS));
        let text = incident(
            &mut rng,
            &company,
            year as i32,
            file_no,
            n,
            vocabulary.as_ref(),
            &mut out,
        );
        let folder = dir.join(year.to_string());
        fs::create_dir_all(&folder)?;
        fs::write(folder.join(format!("{id}.toml")), &text)?;
        out.bytes += text.len() as u64;
        out.files += 1;
        out.statements += n;
        file_no += 1;
    }
    Ok(out)
}

/// The i-th organization of the skewed shape: the made-up companies, then numbered
/// subsidiaries of them.
fn organization(i: usize) -> String {
    let base = COMPANIES[i % COMPANIES.len()];
    match i / COMPANIES.len() {
        0 => base.to_string(),
        k => format!("{base} {}", k + 1),
    }
}

/// Made-up programme and place names (syllables, so they read as invented), drawn with a
/// Zipf-like long tail: a few are everywhere, most are rare, as words are in prose.
struct Vocabulary {
    words: Vec<String>,
}

impl Vocabulary {
    const SIZE: usize = 6000;

    fn new(seed: u64) -> Self {
        const SYLLABLES: &[&str] = &[
            "va", "lo", "ri", "tes", "sa", "mo", "né", "ka", "dor", "lin", "pe", "vé", "ru", "zan",
            "to", "bri", "quel", "mar", "fi", "os",
        ];
        let mut rng = Rng(seed ^ 0x5EED_70CA_B000);
        let mut seen = std::collections::HashSet::new();
        let mut words = Vec::with_capacity(Self::SIZE);
        while words.len() < Self::SIZE {
            let n = 2 + rng.below(3);
            let mut w: String = (0..n).map(|_| rng.word(SYLLABLES)).collect();
            if let Some(first) = w.get(..1) {
                let upper = first.to_uppercase();
                w.replace_range(..1, &upper);
            }
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        Vocabulary { words }
    }

    /// A word of rank r with probability about 1/r (inverse transform of the harmonic law).
    fn draw(&self, rng: &mut Rng) -> &str {
        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        let r = ((Self::SIZE as f64 + 1.0).powf(u) - 1.0) as usize;
        &self.words[r.min(Self::SIZE - 1)]
    }
}

fn slug(s: &str) -> String {
    let folded = crate::fold::fold(s);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.join("-")
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn incident(
    rng: &mut Rng,
    company: &str,
    year: i32,
    file_no: usize,
    n: usize,
    vocabulary: Option<&Vocabulary>,
    totals: &mut Generated,
) -> String {
    let mut t = String::with_capacity(n * 600);
    let topic = rng.word(TOPICS);
    let _ = writeln!(t, "# Made-up incident {file_no}, generated for benchmarks.");
    let _ = writeln!(
        t,
        "title = {}",
        quoted(&format!("{company}: {topic} controversy of {year}"))
    );
    let _ = writeln!(t, "company = {}", quoted(company));
    let _ = writeln!(
        t,
        "summary = \"\"\"\nA generated incident about {topic}.\nDeuxième ligne, avec des accents : é, è, à, ç, œ.\"\"\""
    );
    let _ = writeln!(t, "tags = [\"{topic}\", \"generated\"]\n");
    for (k, outlet) in OUTLETS.iter().enumerate().take(2) {
        let _ = writeln!(
            t,
            "[[sources]]\nid = \"source-{k}\"\noutlet = {}",
            quoted(outlet)
        );
        let _ = writeln!(t, "url = \"https://example.org/{year}/{file_no}/{k}\"");
        let _ = writeln!(t, "published = {year}-0{}-1{k}\nlang = \"fr\"\n", 1 + k);
    }
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("s{i}");
        let month = 1 + (i * 12 / n.max(1)) as u32;
        let date = match rng.below(10) {
            // Only the first statement may be known to the year alone, so that the generated
            // verdict (first, last) names the earlier statement first.
            0 if i == 0 => format!("\"{year}\""),
            1 | 2 => format!("\"{year}-{month:02}\""),
            3 => format!("{year}-{month:02}-0{}T1{}:05:00+01:00", 1 + i % 9, i % 10),
            _ => format!("{year}-{month:02}-{:02}", 1 + rng.below(28)),
        };
        let (speaker, role) = *rng.pick(SPEAKERS);
        let french = rng.chance(60);
        let (mut text, mut translation) = if french {
            let (fr, en) = rng.pick(CLAIMS_FR);
            let k = rng.below(SUBJECTS_FR.len());
            (
                fr.replace("{s}", SUBJECTS_FR[k]),
                Some(en.replace("{s}", SUBJECTS_EN[k])),
            )
        } else {
            (
                rng.word(CLAIMS_EN).replace("{s}", rng.word(SUBJECTS_EN)),
                None,
            )
        };
        if let Some(v) = vocabulary {
            // The same names in the text and its translation, so French meets English.
            let (a, b, c) = (v.draw(rng), v.draw(rng), v.draw(rng));
            if french {
                let _ = write!(text, ", dans le programme {a} {b} à {c}");
                if let Some(tr) = translation.as_mut() {
                    let _ = write!(tr, ", in the {a} {b} programme at {c}");
                }
            } else {
                let _ = write!(text, ", in the {a} {b} programme at {c}");
            }
        }
        let kind = ["quote", "quote", "paraphrase", "document"][rng.below(4)];
        if i % 4 == 0 {
            let _ = writeln!(t, "# Statement {i}: checked against the source.");
        }
        let _ = writeln!(t, "[[statements]]\nid = \"{id}\"\ndate = {date}");
        let _ = writeln!(t, "speaker = {}", quoted(speaker));
        if let Some(role) = role {
            let _ = writeln!(t, "role = {}", quoted(role));
        }
        if kind != "quote" {
            let _ = writeln!(t, "kind = \"{kind}\"");
        }
        let channel = rng.word(CHANNELS);
        let _ = writeln!(t, "channel = {}", quoted(channel));
        let _ = writeln!(t, "source = \"source-{}\"", i % 2);
        let _ = writeln!(t, "lang = \"{}\"", if french { "fr" } else { "en" });
        let _ = writeln!(t, "text = {}", quoted(&text));
        if let Some(tr) = translation {
            let _ = writeln!(t, "translation = {}", quoted(&tr));
        }
        if rng.chance(30) {
            let _ = writeln!(t, "tags = [\"{}\"]", rng.word(TOPICS));
        }
        t.push('\n');
        ids.push(id);
    }
    if n >= 2 && rng.chance(40) {
        let verdict = [
            "contradicts",
            "partly-contradicts",
            "walks-back",
            "consistent",
        ][rng.below(4)];
        let _ = writeln!(
            t,
            "[[contradictions]]\nbetween = [\"{}\", \"{}\"]\nverdict = \"{verdict}\"",
            ids[0],
            ids[n - 1]
        );
        let _ = writeln!(
            t,
            "note = \"Generated verdict; la note peut contenir des accents.\""
        );
        let _ = writeln!(
            t,
            "tagged_by = \"Generator\"\ntagged_at = {year}-12-31T09:30:00Z\n"
        );
        totals.verdicts += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_corpus_loads_clean_and_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let ga = generate(a.path(), 300, 7).unwrap();
        let gb = generate(b.path(), 300, 7).unwrap();
        assert_eq!(ga, gb);
        assert_eq!(ga.statements, 300);
        let corpus = crate::store::load(a.path()).unwrap();
        let errors: Vec<String> = corpus.errors().map(|d| d.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(corpus.statement_count(), 300);
        assert_eq!(corpus.incidents.len(), ga.files);
        assert!(
            corpus
                .incidents
                .iter()
                .any(|i| !i.contradictions.is_empty())
        );
    }

    #[test]
    fn skewed_shape_gives_each_organization_an_equal_share() {
        let a = tempfile::tempdir().unwrap();
        let options = Options {
            statements: 2000,
            seed: 3,
            organizations: Some(20),
        };
        let g = generate_with(a.path(), &options).unwrap();
        assert_eq!(g.statements, 2000);
        let corpus = crate::store::load(a.path()).unwrap();
        let errors: Vec<String> = corpus.errors().map(|d| d.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let mut per_org = std::collections::HashMap::<&str, usize>::new();
        for i in &corpus.incidents {
            for s in &i.statements {
                *per_org.entry(s.organization.as_str()).or_default() += 1;
            }
        }
        assert_eq!(per_org.len(), 20, "{per_org:?}");
        for (org, n) in &per_org {
            assert!((70..=130).contains(n), "{org}: {n}");
        }
        // The long tail: many words shared by a few statements, a few by very many.
        let mut counts = std::collections::HashMap::<&str, usize>::new();
        for i in &corpus.incidents {
            for s in &i.statements {
                for w in s
                    .text
                    .split([' ', ','])
                    .filter(|w| w.starts_with(char::is_uppercase))
                {
                    *counts.entry(w).or_default() += 1;
                }
            }
        }
        let rare = counts.values().filter(|&&n| (2..=10).contains(&n)).count();
        let common = counts.values().filter(|&&n| n >= 100).count();
        assert!(rare > 100 && common >= 1, "rare {rare}, common {common}");
        // Same options, same bytes; the default shape is unchanged by the option's existence.
        let b = tempfile::tempdir().unwrap();
        assert_eq!(generate_with(b.path(), &options).unwrap(), g);
        let c = tempfile::tempdir().unwrap();
        assert_ne!(generate(c.path(), 2000, 3).unwrap(), g);
    }
}
