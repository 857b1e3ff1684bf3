//! The layers of ARCHITECTURE.md, checked so that the document stays true:
//! which workspace crate may depend on which (read from `cargo metadata`),
//! that the test support is a dev-dependency only, and what the code under
//! a service's `domain/` and `store/` may import.
//!
//! When a rule here changes, change ARCHITECTURE.md with it.

use std::{
    fmt, fs,
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

/// The layers, from the bottom up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    Proto,
    Lib,
    Service,
    Gateway,
    App,
    /// `tests/support`: what the test suites share; a dev-dependency only.
    TestSupport,
    /// The end-to-end tests (`tests/`) and the load tool (`load/`): the
    /// product does not ship them; they may use every crate.
    Tooling,
    /// A directory ARCHITECTURE.md does not name.
    Unplaced,
}

impl Layer {
    /// Where a crate sits, by its directory in the workspace.
    fn of(dir: &Path) -> Layer {
        if dir == Path::new("tests/support") {
            return Layer::TestSupport;
        }
        let first = dir
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy());
        match first.as_deref() {
            Some("proto") => Layer::Proto,
            Some("libs") => Layer::Lib,
            Some("services") => Layer::Service,
            Some("gateway") => Layer::Gateway,
            Some("app") => Layer::App,
            Some("tests" | "load") => Layer::Tooling,
            _ => Layer::Unplaced,
        }
    }

    /// The layers a crate of this layer may depend on (normal and build
    /// dependencies; dev-dependencies are free, see `dev_dependencies_are_free`).
    fn may_use(self, other: Layer) -> bool {
        use Layer::*;
        match self {
            Proto | Unplaced => false,
            Lib | Service | Gateway | TestSupport => matches!(other, Proto | Lib),
            App => matches!(other, Proto | Lib | Service | Gateway),
            Tooling => true,
        }
    }
}

struct Crate {
    name: String,
    dir: PathBuf,
    layer: Layer,
    /// (dependency name, kind: "normal", "dev" or "build")
    dependencies: Vec<(String, String)>,
}

impl fmt::Display for Crate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, {:?})",
            self.name,
            self.dir.display(),
            self.layer
        )
    }
}

/// Every workspace member with its dependencies on other members.
fn workspace() -> (PathBuf, Vec<Crate>) {
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("failed to run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata's JSON");
    let root = PathBuf::from(metadata["workspace_root"].as_str().expect("workspace_root"));
    let packages = metadata["packages"].as_array().expect("packages");
    let members: Vec<&str> = packages
        .iter()
        .map(|p| p["name"].as_str().expect("package name"))
        .collect();
    let crates = packages
        .iter()
        .map(|p| {
            let manifest = Path::new(p["manifest_path"].as_str().expect("manifest_path"));
            let dir = manifest
                .parent()
                .and_then(|d| d.strip_prefix(&root).ok())
                .expect("a member inside the workspace")
                .to_path_buf();
            let dependencies = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .map(|d| {
                    let name = d["name"].as_str().expect("dependency name").to_owned();
                    let kind = d["kind"].as_str().unwrap_or("normal").to_owned();
                    (name, kind)
                })
                .filter(|(name, _)| members.contains(&name.as_str()))
                .collect();
            Crate {
                name: p["name"].as_str().expect("package name").to_owned(),
                layer: Layer::of(&dir),
                dir,
                dependencies,
            }
        })
        .collect();
    (root, crates)
}

#[test]
fn each_crate_depends_only_on_the_layers_below_it() {
    let (_, crates) = workspace();
    let mut broken = Vec::new();
    for krate in &crates {
        for (name, kind) in &krate.dependencies {
            if kind == "dev" {
                continue;
            }
            let used = crates.iter().find(|c| &c.name == name).expect("a member");
            if !krate.layer.may_use(used.layer) {
                broken.push(format!("{krate} depends on {used} ({kind})"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "dependencies that ARCHITECTURE.md does not allow:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_layer_is_present() {
    // A guard on the test itself: a layout change that moved every crate to
    // Tooling would make the rules above vacuous.
    let (_, crates) = workspace();
    for layer in [
        Layer::Proto,
        Layer::Lib,
        Layer::Service,
        Layer::Gateway,
        Layer::App,
        Layer::TestSupport,
        Layer::Tooling,
    ] {
        assert!(
            crates.iter().any(|c| c.layer == layer),
            "no crate in the {layer:?} layer: update ARCHITECTURE.md and this test"
        );
    }
}

#[test]
fn dev_dependencies_are_free_but_nothing_ships_tooling() {
    // A service's tests may start a peer service (dealers' tests start parts,
    // surveys' tests start dealers), but no shipped crate depends on tooling.
    let (_, crates) = workspace();
    let mut broken = Vec::new();
    for krate in crates.iter().filter(|c| c.layer != Layer::Tooling) {
        for (name, kind) in &krate.dependencies {
            let used = crates.iter().find(|c| &c.name == name).expect("a member");
            if kind != "dev" && used.layer == Layer::Tooling {
                broken.push(format!("{krate} depends on {used} ({kind})"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "shipped crates that depend on tooling:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_crate_sits_in_a_directory_the_document_names() {
    let (_, crates) = workspace();
    let unplaced: Vec<String> = crates
        .iter()
        .filter(|c| c.layer == Layer::Unplaced)
        .map(|c| c.to_string())
        .collect();
    assert!(
        unplaced.is_empty(),
        "crates outside the directories of ARCHITECTURE.md (add a row there and a layer here):\n{}",
        unplaced.join("\n")
    );
}

#[test]
fn the_test_support_is_a_dev_dependency_only() {
    // It may fake what production does (a settable clock, a deliverer that
    // fails as told): nothing that runs outside a test may link it.
    let (_, crates) = workspace();
    let mut broken = Vec::new();
    for krate in &crates {
        for (name, kind) in &krate.dependencies {
            let used = crates.iter().find(|c| &c.name == name).expect("a member");
            if used.layer == Layer::TestSupport && kind != "dev" {
                broken.push(format!("{krate} depends on {used} ({kind})"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "the test support used outside tests:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_layers_of_the_tooling_crates() {
    assert_eq!(Layer::of(Path::new("tests/support")), Layer::TestSupport);
    assert_eq!(Layer::of(Path::new("tests")), Layer::Tooling);
    assert_eq!(Layer::of(Path::new("load")), Layer::Tooling);
    assert_eq!(Layer::of(Path::new("examples/demo")), Layer::Unplaced);
    assert!(!Layer::TestSupport.may_use(Layer::Service));
}

/// What the files under `services/*/src/<folder>` may not import.
fn forbidden_imports(folder: &str, forbidden: &[&str]) -> Vec<String> {
    let (root, crates) = workspace();
    let mut found = Vec::new();
    for service in crates.iter().filter(|c| c.layer == Layer::Service) {
        let src = root.join(&service.dir).join("src");
        let mut files = Vec::new();
        rust_files(&src.join(folder), &mut files);
        let module_file = src.join(format!("{folder}.rs"));
        if module_file.is_file() {
            files.push(module_file);
        }
        for file in files {
            let text = fs::read_to_string(&file).expect("a readable source file");
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                for path in forbidden {
                    if names_path(code, path) {
                        let shown = file.strip_prefix(&root).unwrap_or(&file).display();
                        found.push(format!("{shown}:{}: {}", number + 1, line.trim()));
                    }
                }
            }
        }
    }
    found
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Whether `code` names the path `path` (`tonic`, `crate::grpc`) as a path of
/// its own: followed by `::`, `;`, `,`, `}` or ` as`, and not the tail of a
/// longer name (`my_tonic`).
fn names_path(code: &str, path: &str) -> bool {
    code.match_indices(path).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = &code[at + path.len()..];
        let starts = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
        let ends = ["::", ";", ",", "}", " as "]
            .iter()
            .any(|end| after.starts_with(end));
        starts && ends
    })
}

#[test]
fn domain_code_knows_no_transport_and_no_storage() {
    let found = forbidden_imports(
        "domain",
        &[
            "tonic",
            "sqlx",
            "redis",
            "aftercare_proto",
            "aftercare_db",
            "crate::grpc",
            "crate::store",
        ],
    );
    assert!(
        found.is_empty(),
        "domain code that reaches for transport or storage (ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn store_code_does_not_import_the_grpc_layer() {
    let found = forbidden_imports("store", &["crate::grpc"]);
    assert!(
        found.is_empty(),
        "store code that imports grpc/ (ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_path_matcher_sees_imports_and_not_longer_names() {
    assert!(names_path("use tonic::Status;", "tonic"));
    assert!(names_path("    x: sqlx::Pool,", "sqlx"));
    assert!(names_path("use crate::grpc::convert;", "crate::grpc"));
    assert!(names_path("use {tonic, prost};", "tonic"));
    assert!(!names_path("let tonic_level = 3;", "tonic"));
    assert!(!names_path("use aftercare_db_extra::X;", "aftercare_db"));
    assert!(!names_path("use my::tonic::X;", "tonic"));
}
