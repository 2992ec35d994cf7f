//! Where Alter keeps its data, in two steps.
//!
//! [`Settings`] is what a person can set (environment variables, the
//! `settings.toml` file in the data folder); [`Config`] is the resolved,
//! validated result with absolute paths, built once at start-up and passed
//! explicitly to everything that needs it. Nothing below the shells reads the
//! environment.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::TwinId;

/// Environment variable naming the data folder.
pub const ENV_HOME: &str = "ALTER_HOME";
/// Environment variable naming the models folder.
pub const ENV_MODELS: &str = "ALTER_MODELS_DIR";

/// What a person can set. Every field is optional; [`Settings::resolve`] fills
/// in the defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub home: Option<PathBuf>,
    pub models_dir: Option<PathBuf>,
    /// Worker threads for inference; 0 means "all cores".
    pub threads: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not find a data folder for Alter: set {ENV_HOME} to a writable folder")]
    NoHome,
    #[error("could not read the current directory")]
    CurrentDir(#[source] std::io::Error),
}

impl crate::HasErrorCode for ConfigError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::Io
    }
}

impl Settings {
    /// Reads `ALTER_HOME` and `ALTER_MODELS_DIR`.
    pub fn from_env() -> Self {
        let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        Self { home: var(ENV_HOME), models_dir: var(ENV_MODELS), threads: 0 }
    }

    /// Resolves defaults and makes every path absolute.
    pub fn resolve(&self) -> Result<Config, ConfigError> {
        let home = match &self.home {
            Some(home) => absolute(home)?,
            None => directories::ProjectDirs::from("", "", "alter")
                .map(|dirs| dirs.data_dir().to_path_buf())
                .ok_or(ConfigError::NoHome)?,
        };
        let models_dir = match &self.models_dir {
            Some(dir) => absolute(dir)?,
            None => home.join("models"),
        };
        let threads = if self.threads == 0 {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
        } else {
            self.threads
        };
        Ok(Config { home, models_dir, threads })
    }
}

/// The resolved configuration: absolute paths, no optional fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub home: PathBuf,
    pub models_dir: PathBuf,
    pub threads: usize,
}

impl Config {
    /// A configuration rooted in one folder (tests, kiosks).
    pub fn rooted(home: &Path) -> Self {
        Settings { home: Some(home.to_path_buf()), ..Settings::default() }
            .resolve()
            .expect("an explicit home always resolves")
    }

    /// The app database: the twin library and app-wide state.
    pub fn app_db(&self) -> PathBuf {
        self.home.join("alter.db")
    }

    /// Folder holding every twin's own folder.
    pub fn twins_dir(&self) -> PathBuf {
        self.home.join("twins")
    }

    /// A twin's own folder: its database, voice profile, copies of its files.
    pub fn twin_dir(&self, id: &TwinId) -> PathBuf {
        self.twins_dir().join(id.as_str())
    }

    /// A twin's own database: documents, chunks, vectors, persona, conversations.
    pub fn twin_db(&self, id: &TwinId) -> PathBuf {
        self.twin_dir(id).join("twin.db")
    }
}

fn absolute(path: &Path) -> Result<PathBuf, ConfigError> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir().map_err(ConfigError::CurrentDir)?.join(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_default_inside_home() {
        let cfg = Settings { home: Some("/data/alter".into()), ..Default::default() }.resolve().unwrap();
        assert_eq!(cfg.models_dir, PathBuf::from("/data/alter/models"));
        assert_eq!(cfg.app_db(), PathBuf::from("/data/alter/alter.db"));
        let id = TwinId::parse("maya").unwrap();
        assert_eq!(cfg.twin_db(&id), PathBuf::from("/data/alter/twins/maya/twin.db"));
        assert!(cfg.threads >= 1);
    }

    #[test]
    fn relative_paths_become_absolute() {
        let cfg = Settings { home: Some("rel".into()), models_dir: Some("m".into()), threads: 3 }.resolve().unwrap();
        assert!(cfg.home.is_absolute() && cfg.models_dir.is_absolute());
        assert_eq!(cfg.threads, 3);
    }
}
