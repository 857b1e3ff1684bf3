//! Embeds the browser pages' build output (`web/dist`, committed; rebuilt by
//! `scripts/web build`) into the gateway: a table of every file with its
//! content type, its gzip twin and an ETag, written to `$OUT_DIR/web_assets.rs`.

use std::{
    env, fs,
    path::{Path, PathBuf},
};

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/dist");
    println!("cargo:rerun-if-changed={}", dist.display());

    let mut files = Vec::new();
    collect(&dist, &mut files);
    files.sort();

    let mut table = String::from("&[\n");
    for path in files
        .iter()
        .filter(|p| p.extension().is_none_or(|e| e != "gz"))
    {
        let name = path
            .strip_prefix(&dist)
            .expect("under dist")
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = fs::read(path).expect("readable asset");
        let gzip = path.with_extension(match path.extension() {
            Some(ext) => format!("{}.gz", ext.to_string_lossy()),
            None => "gz".into(),
        });
        let gzip = if gzip.exists() {
            format!("Some(include_bytes!({:?}))", gzip.display().to_string())
        } else {
            "None".into()
        };
        table.push_str(&format!(
            "    Asset {{ name: {name:?}, content_type: {:?}, etag: \"\\\"{:016x}\\\"\", body: include_bytes!({:?}), gzip: {gzip} }},\n",
            content_type(path),
            fnv1a(&bytes),
            path.display().to_string(),
        ));
    }
    table.push(']');

    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("web_assets.rs");
    fs::write(out, table).expect("writable OUT_DIR");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    // A checkout without the build output still builds: it serves no page.
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("readable dist").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A content hash for the ETag (64-bit FNV-1a: the same bytes, the same tag).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
