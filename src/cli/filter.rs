//! The filter flags every filtering command takes (`--company temu --since 2024-06`), read
//! into the domain's [`Filter`].

use crate::query::{Filter, FilterError};

/// The flags every filtering command takes; flatten into a command's `Args`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only this company's incidents (repeatable)
    #[arg(long, value_name = "NAME")]
    pub company: Vec<String>,
    /// Only statements of this organization (repeatable)
    #[arg(long, value_name = "NAME")]
    pub organization: Vec<String>,
    /// Only statements with this tag, on them or on their incident (repeatable)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only this speaker (repeatable)
    #[arg(long, value_name = "NAME")]
    pub speaker: Vec<String>,
    /// Only quote, paraphrase or document (repeatable)
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    /// Only this incident (repeatable)
    #[arg(long, value_name = "ID")]
    pub incident: Vec<String>,
    /// From this date: 2024, 2024-11 or 2024-11-09
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Up to this date: 2024, 2024-11 or 2024-11-09
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

impl FilterArgs {
    pub fn to_filter(&self) -> Result<Filter, FilterError> {
        let mut f = Filter::default();
        for (field, values) in [
            ("company", &self.company),
            ("organization", &self.organization),
            ("tag", &self.tag),
            ("speaker", &self.speaker),
            ("kind", &self.kind),
            ("incident", &self.incident),
        ] {
            for v in values {
                f.add(field, v)?;
            }
        }
        if let Some(v) = &self.since {
            f.add("since", v)?;
        }
        if let Some(v) = &self.until {
            f.add("until", v)?;
        }
        Ok(f)
    }
}
