//! Where the GeoIP databases are.

use std::path::PathBuf;

/// The GeoIP directory: the one given (`--geoip-dir` or `MAILCASE_GEOIP_DIR`), else the
/// user's data directory (`$XDG_DATA_HOME/mailcase/geoip`, `~/.local/share/mailcase/geoip`),
/// where `scripts/setup-geoip.sh` installs by default. `None` when nothing is there.
pub fn resolve(given: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(dir) = given {
        return Some(dir);
    }
    default_dir().filter(|d| d.is_dir())
}

/// The default installation directory.
pub fn default_dir() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("mailcase").join("geoip"))
}
