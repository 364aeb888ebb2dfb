//! Filters shared by `list`, `search`, `suggest`, `export` and the interface, and the tokens
//! that set them inside a query (`company:temu since:2024-06 vendons`). The command line's
//! flags (`--company temu`) are read into the same [`Filter`] by `cli::filter`.

use crate::fold::fold;
use crate::model::{Date, Incident, Kind, Statement, is_slug};

/// Which statements to keep. Within one field any value may match; all fields must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The incident's company, folded, matched as a substring.
    pub company: Vec<String>,
    /// The statement's organization, folded, matched as a substring.
    pub organization: Vec<String>,
    /// A tag of the statement or of its incident.
    pub tag: Vec<String>,
    /// The speaker, folded, matched as a substring.
    pub speaker: Vec<String>,
    pub kind: Vec<Kind>,
    /// Incident ids.
    pub incident: Vec<String>,
    /// Statements whose date's period ends on or after this one's start.
    pub since: Option<Date>,
    /// Statements whose date's period starts on or before this one's end.
    pub until: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("`{field}` wants a date like 2024, 2024-11 or 2024-11-09, not `{value}`")]
    BadDate { field: &'static str, value: String },
    #[error("`kind` wants quote, paraphrase or document, not `{0}`")]
    BadKind(String),
    #[error("`incident` wants an incident id (lowercase letters, digits and dashes), not `{0}`")]
    BadIncident(String),
    #[error("`{0}:` needs a value, like `{0}:something`")]
    Empty(String),
}

/// The field names a query token may start with.
pub const FIELDS: &[&str] = &[
    "company",
    "organization",
    "tag",
    "speaker",
    "kind",
    "incident",
    "since",
    "until",
];

fn filter_date(field: &'static str, value: &str) -> Result<Date, FilterError> {
    match Date::parse(value) {
        Some(d @ (Date::Year(_) | Date::Month(..) | Date::Day(_))) => Ok(d),
        _ => Err(FilterError::BadDate {
            field,
            value: value.to_string(),
        }),
    }
}

impl Filter {
    /// Adds one `field:value` condition. `field` must be one of [`FIELDS`].
    pub fn add(&mut self, field: &str, value: &str) -> Result<(), FilterError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(FilterError::Empty(field.to_string()));
        }
        match field {
            "company" => self.company.push(fold(value)),
            "organization" => self.organization.push(fold(value)),
            "speaker" => self.speaker.push(fold(value)),
            "tag" => self.tag.push(value.to_lowercase()),
            "kind" => self.kind.push(
                Kind::parse(&value.to_lowercase())
                    .ok_or_else(|| FilterError::BadKind(value.to_string()))?,
            ),
            "incident" => {
                if !is_slug(value) {
                    return Err(FilterError::BadIncident(value.to_string()));
                }
                self.incident.push(value.to_string())
            }
            "since" => self.since = Some(filter_date("since", value)?),
            "until" => self.until = Some(filter_date("until", value)?),
            _ => unreachable!("callers pass only FIELDS"),
        }
        Ok(())
    }

    /// Adds every condition of `other`, as when a search box's tokens join the command line's
    /// flags. A date bound in `other` replaces this one's.
    pub fn extend(&mut self, other: Filter) {
        self.company.extend(other.company);
        self.organization.extend(other.organization);
        self.tag.extend(other.tag);
        self.speaker.extend(other.speaker);
        self.kind.extend(other.kind);
        self.incident.extend(other.incident);
        self.since = other.since.or(self.since);
        self.until = other.until.or(self.until);
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether any statement of this incident could match (the incident-level fields).
    pub fn matches_incident(&self, inc: &Incident) -> bool {
        (self.incident.is_empty() || self.incident.contains(&inc.id))
            && (self.company.is_empty() || {
                let c = fold(&inc.company);
                self.company.iter().any(|w| c.contains(w.as_str()))
            })
    }

    pub fn matches(&self, inc: &Incident, st: &Statement) -> bool {
        self.matches_incident(inc) && self.matches_statement(inc, st)
    }

    /// The statement-level fields only, for callers that checked [`Filter::matches_incident`]
    /// once for all of an incident's statements.
    pub fn matches_statement(&self, inc: &Incident, st: &Statement) -> bool {
        let contains = |wanted: &[String], have: &str| {
            wanted.is_empty() || {
                let have = fold(have);
                wanted.iter().any(|w| have.contains(w.as_str()))
            }
        };
        contains(&self.organization, &st.organization)
            && contains(&self.speaker, &st.speaker)
            && (self.kind.is_empty() || self.kind.contains(&st.kind))
            && (self.tag.is_empty()
                || self
                    .tag
                    .iter()
                    .any(|t| st.tags.contains(t) || inc.tags.contains(t)))
            && self.since.is_none_or(|d| st.date.end() >= d.start())
            && self.until.is_none_or(|d| st.date.start() <= d.end())
    }
}

/// A search box's text split into filter tokens and the words left to search for.
/// `company:temu "ne vendons" since:2024-06` gives a company and a date filter and the
/// text `"ne vendons"`. A token whose field is not one of [`FIELDS`] stays in the text.
pub fn parse_query(input: &str) -> Result<(Filter, String), FilterError> {
    let mut filter = Filter::default();
    let mut rest: Vec<&str> = Vec::new();
    let mut in_quotes = false;
    for token in input.split_whitespace() {
        if !in_quotes
            && let Some((field, value)) = token.split_once(':')
            && let Some(field) = FIELDS.iter().find(|f| f.eq_ignore_ascii_case(field))
        {
            filter.add(field, value)?;
            continue;
        }
        in_quotes ^= token.matches('"').count() % 2 == 1;
        rest.push(token);
    }
    Ok((filter, rest.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_become_filters_and_the_rest_stays() {
        let (f, rest) = parse_query("company:Acmé since:2024-06 kind:quote vendons").unwrap();
        assert_eq!(f.company, vec!["acme"]);
        assert_eq!(f.since, Some(Date::Month(2024, 6)));
        assert_eq!(f.kind, vec![Kind::Quote]);
        assert_eq!(rest, "vendons");
        let (_, rest) = parse_query("\"note: this\" http://x").unwrap();
        assert_eq!(rest, "\"note: this\" http://x");
    }

    #[test]
    fn bad_values_say_what_was_expected() {
        let e = parse_query("since:last-week").unwrap_err();
        assert!(e.to_string().contains("2024-11"), "{e}");
        assert!(parse_query("kind:rumour").is_err());
        assert!(parse_query("company:").is_err());
    }
}
