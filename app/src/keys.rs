//! The embedded mode's keys: made on first start and kept in the data
//! directory, so that `aftercare token` signs with the key the running
//! system verifies with. The distributed mode takes them from the settings.

use std::path::Path;

use aftercare_auth::Secret;
use anyhow::Context;
use serde::Deserialize;

use crate::settings::Settings;

const FILE: &str = "keys.toml";

#[derive(Debug, Clone)]
pub(crate) struct KeySet {
    pub token: Secret,
    pub internal: Secret,
}

#[derive(Deserialize)]
struct KeyFile {
    token_secret: String,
    internal_secret: String,
}

fn decode(text: &str, what: &str) -> anyhow::Result<Secret> {
    let secret = Secret::from_base64(text).with_context(|| format!("{what} is not base64"))?;
    anyhow::ensure!(
        secret.expose().len() >= 32,
        "{what} must be at least 32 bytes"
    );
    Ok(secret)
}

/// A key the distributed mode must be given in its settings.
pub(crate) fn required(value: &Option<String>, name: &str) -> anyhow::Result<Secret> {
    let text = value.as_deref().with_context(|| {
        format!(
            "{name} is not set (environment: AFTERCARE_{})",
            name.to_uppercase().replace('.', "__")
        )
    })?;
    decode(text, name)
}

/// The embedded mode's keys: each from the settings when set there, else
/// from the data directory, where they are made on first use.
pub(crate) fn load_or_create(settings: &Settings) -> anyhow::Result<KeySet> {
    let (token, internal) = (&settings.keys.token_secret, &settings.keys.internal_secret);
    let file = match (token, internal) {
        (Some(_), Some(_)) => None,
        _ => Some(key_file(&settings.data_dir)?),
    };
    let pick = |setting: &Option<String>, name: &str, stored: fn(&KeyFile) -> &str| match setting {
        Some(text) => decode(text, name),
        // The file was read above, since this key is not set.
        None => decode(file.as_ref().map(stored).unwrap_or_default(), name),
    };
    Ok(KeySet {
        token: pick(token, "keys.token_secret", |f| &f.token_secret)?,
        internal: pick(internal, "keys.internal_secret", |f| &f.internal_secret)?,
    })
}

/// The key tokens are signed with: `keys.token_secret` (what the gateway
/// of the distributed mode verifies with), else the data directory's.
pub(crate) fn token(settings: &Settings) -> anyhow::Result<Secret> {
    match &settings.keys.token_secret {
        Some(text) => decode(text, "keys.token_secret"),
        None => Ok(load_or_create(settings)?.token),
    }
}

/// The data directory's key file, made on first use.
fn key_file(dir: &Path) -> anyhow::Result<KeyFile> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create data directory {}", dir.display()))?;
    let path = dir.join(FILE);
    if !path.exists() {
        write_new(dir, &path)?;
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("failed to read {}", path.display()))?;
    toml_parse(&text).with_context(|| format!("{} is not a key file", path.display()))
}

fn toml_parse(text: &str) -> anyhow::Result<KeyFile> {
    use figment::providers::{Format, Toml};
    Ok(figment::Figment::from(Toml::string(text)).extract()?)
}

/// Writes new keys to `path` unless another process (`aftercare token`
/// racing `aftercare run`'s first start) does first: they go to a private
/// temporary file beside it, on disk before it is moved into place without
/// replacing anything, so that `path` is only ever missing or whole. The
/// loser of the race keeps the winner's keys.
fn write_new(dir: &Path, path: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let text = format!(
        "# Keys of this data directory. Anyone holding them can mint tokens.\n\
         token_secret = \"{}\"\ninternal_secret = \"{}\"\n",
        Secret::generate().to_base64(),
        Secret::generate().to_base64()
    );
    let failed = || format!("failed to write {}", path.display());
    // Readable by its owner only, as a temporary file is made.
    let mut file = tempfile::Builder::new()
        .prefix(".keys.toml.")
        .tempfile_in(dir)
        .with_context(failed)?;
    file.write_all(text.as_bytes()).with_context(failed)?;
    file.as_file().sync_all().with_context(failed)?;
    match file.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.error).with_context(failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racing_first_starts_all_end_with_the_same_keys() {
        // Each round a fresh directory and loaders let go at once.
        for _ in 0..50 {
            let dir = tempfile::tempdir().unwrap();
            let settings = Settings {
                data_dir: dir.path().join("data"),
                ..Settings::default()
            };
            let start = std::sync::Barrier::new(8);
            let loaded: Vec<_> = std::thread::scope(|s| {
                let racers: Vec<_> = (0..8)
                    .map(|_| {
                        s.spawn(|| {
                            start.wait();
                            load_or_create(&settings)
                        })
                    })
                    .collect();
                racers.into_iter().map(|r| r.join().unwrap()).collect()
            });
            let keys: Vec<_> = loaded
                .into_iter()
                .map(|k| k.map(|k| (k.token.to_base64(), k.internal.to_base64())))
                .collect::<anyhow::Result<_>>()
                .expect("every loader gets keys");
            assert!(keys.iter().all(|k| *k == keys[0]), "one set of keys");
            let files: Vec<_> = std::fs::read_dir(&settings.data_dir)
                .unwrap()
                .map(|f| f.unwrap().file_name())
                .collect();
            assert_eq!(files, [FILE], "no temporary file left behind");
        }
    }
}
