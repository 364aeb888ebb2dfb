//! The config file, `$XDG_CONFIG_HOME/onrecord/config.toml` (else
//! `~/.config/onrecord/config.toml`): where it is, and the `[export]` settings the command line
//! reads. The interface's own settings (keys, colours, `tagged_by`) are read by `tui::config`
//! from the same file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the config file: {}", .0.display(), .1)]
    Unreadable(PathBuf, std::io::Error),
    #[error("{}: {}", .0.display(), .1)]
    Invalid(PathBuf, String),
}

/// Where the config file is looked for.
pub fn path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".config"),
    };
    Some(base.join("onrecord").join("config.toml"))
}

/// `[export]`: who publishes the ClaimReview export, when the command line does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSettings {
    pub publisher: Option<String>,
    pub publisher_url: Option<String>,
    pub review_url_base: Option<String>,
}

#[derive(Deserialize)]
struct ExportPart {
    #[serde(default)]
    export: ExportSettings,
}

/// The `[export]` settings of the config file at `path`; the defaults when there is none.
pub fn export_settings(path: &Path) -> Result<ExportSettings, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str::<ExportPart>(&text)
            .map(|p| p.export)
            .map_err(|e| ConfigError::Invalid(path.to_path_buf(), e.to_string().trim().into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ExportSettings::default()),
        Err(e) => Err(ConfigError::Unreadable(path.to_path_buf(), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_settings_are_read_beside_the_interfaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(export_settings(&path).unwrap(), ExportSettings::default());
        std::fs::write(
            &path,
            "tagged_by = \"Desk\"\n[export]\npublisher = \"Example Fact Desk\"\n\
             review_url_base = \"https://factdesk.example.org/r\"\n",
        )
        .unwrap();
        let s = export_settings(&path).unwrap();
        assert_eq!(s.publisher.as_deref(), Some("Example Fact Desk"));
        assert_eq!(s.publisher_url, None);
        std::fs::write(&path, "[export]\npublsher = \"x\"\n").unwrap();
        let e = export_settings(&path).unwrap_err().to_string();
        assert!(e.contains("config.toml") && e.contains("publsher"), "{e}");
    }
}
