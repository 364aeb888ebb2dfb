//! The interface's settings in `$XDG_CONFIG_HOME/onrecord/config.toml` (else
//! `~/.config/onrecord/config.toml`): keys, the name written as `tagged_by`, and colours.
//! A missing file means the defaults; a bad one is an error that names the file and the line.

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::style::Color;
use serde::Deserialize;

use super::keymap::Keymap;

pub use crate::config::{ConfigError, path};

/// Colours of the interface, each settable under `[colors]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Borders of the focused pane, titles, the selected row's mark.
    pub accent: Color,
    /// Secondary text: dates, counts, labels.
    pub muted: Color,
    pub quote: Color,
    pub paraphrase: Color,
    pub document: Color,
    /// Verdicts that find a contradiction.
    pub contradicts: Color,
    /// Verdicts that find none.
    pub consistent: Color,
    /// Errors and failed files.
    pub error: Color,
    /// The background of the selected row.
    pub selected: Color,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            accent: Color::Cyan,
            muted: Color::DarkGray,
            quote: Color::Green,
            paraphrase: Color::Yellow,
            document: Color::Blue,
            contradicts: Color::Red,
            consistent: Color::Green,
            error: Color::Red,
            selected: Color::DarkGray,
        }
    }
}

impl Theme {
    fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let color: Color = value.parse().map_err(|_| {
            format!(
                "[colors] {name} = \"{value}\": not a colour; use a name (red, light-blue, \
                 dark-gray), an index 0-255, or \"#rrggbb\""
            )
        })?;
        let slot = match name {
            "accent" => &mut self.accent,
            "muted" => &mut self.muted,
            "quote" => &mut self.quote,
            "paraphrase" => &mut self.paraphrase,
            "document" => &mut self.document,
            "contradicts" => &mut self.contradicts,
            "consistent" => &mut self.consistent,
            "error" => &mut self.error,
            "selected" => &mut self.selected,
            _ => {
                return Err(format!(
                    "[colors] `{name}` is not a colour setting; the settings are accent, muted, \
                     quote, paraphrase, document, contradicts, consistent, error, selected"
                ));
            }
        };
        *slot = color;
        Ok(())
    }
}

/// Everything the config file can change.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub keymap: Keymap,
    /// Written as `tagged_by` on verdicts tagged here.
    pub tagged_by: Option<String>,
    pub theme: Theme,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    tagged_by: Option<String>,
    #[serde(default)]
    keys: BTreeMap<String, Keys>,
    #[serde(default)]
    colors: BTreeMap<String, String>,
    /// Read by the command line's `export` (`crate::config`); checked here too, so that a
    /// mistake in it stops the interface as any other would.
    #[serde(default)]
    #[allow(dead_code)]
    export: crate::config::ExportSettings,
}

/// Reads the config file at `path`; the defaults when there is none.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text).map_err(|m| ConfigError::Invalid(path.to_path_buf(), m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(ConfigError::Unreadable(path.to_path_buf(), e)),
    }
}

/// Reads a config file's text.
pub fn parse(text: &str) -> Result<Config, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
    let mut config = Config {
        tagged_by: file.tagged_by.filter(|s| !s.trim().is_empty()),
        ..Config::default()
    };
    for (action, keys) in &file.keys {
        let keys = match keys {
            Keys::One(k) => std::slice::from_ref(k),
            Keys::Many(ks) => ks.as_slice(),
        };
        // Without a key for these, the interface could not be left or explained.
        if keys.is_empty() && matches!(action.as_str(), "quit" | "help") {
            return Err(format!(
                "[keys] {action} = []: `{action}` needs at least one key (the default is \
                 {})",
                if action == "quit" { "\"q\"" } else { "\"?\"" }
            ));
        }
        config
            .keymap
            .rebind(action, keys)
            .map_err(|m| format!("[keys] {m}"))?;
    }
    if let Some((mode, key, a, b)) = config.keymap.conflicts().into_iter().next() {
        return Err(format!(
            "[keys] `{}` is bound to both `{}` and `{}` ({}): give one of them another key",
            key.label(),
            a.name(),
            b.name(),
            mode.title()
        ));
    }
    for (name, value) in &file.colors {
        config.theme.set(name, value)?;
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::Action;
    use crate::tui::keymap::{Key, Mode};

    #[test]
    fn a_good_file() {
        let c = parse(
            "tagged_by = \"Desk A\"\n[keys]\nquit = \"ctrl-q\"\ndown = [\"n\", \"Down\"]\n\
             new = \"N\"\n\
             [colors]\naccent = \"magenta\"\n",
        )
        .unwrap();
        assert_eq!(c.tagged_by.as_deref(), Some("Desk A"));
        assert_eq!(c.theme.accent, Color::Magenta);
        assert_eq!(
            c.keymap.lookup(Mode::Browse, Key::parse("n").unwrap()),
            Some(Action::Down)
        );
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, wanted) in [
            ("tagged_by = ", "line 1"),
            ("colour = 1", "colour"),
            ("[keys]\nfly = \"x\"", "fly"),
            ("[keys]\nquit = \"hyper-x\"", "hyper-x"),
            ("[colors]\naccent = \"plaid\"", "plaid"),
            ("[colors]\nbackground = \"red\"", "background"),
            ("[keys]\nquit = []", "quit = []"),
            ("[keys]\nhelp = []", "help = []"),
            ("[keys]\ndown = \"n\"", "`n` is bound to both"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(wanted), "{text:?}: {e}");
        }
    }
}
