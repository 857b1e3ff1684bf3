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

/// What the files under `services/*/src/<folder>` (and `<folder>.rs`) name
/// of `forbidden`: in `use` trees, grouped or not, and in paths written out
/// in the code.
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
            let shown = file.strip_prefix(&root).unwrap_or(&file).display();
            for (line, path) in named_paths(&text) {
                if forbidden.iter().any(|f| starts_with_path(&path, f)) {
                    found.push(format!("{shown}:{line}: {path}"));
                }
            }
        }
    }
    found
}

/// Every path a source text names, with its line: each leaf of each `use`
/// tree (`use crate::{a::b, c};` names `crate::a::b` and `crate::c`), and
/// each path written in code outside `use` (`crate::grpc::x(…)`).
fn named_paths(text: &str) -> Vec<(usize, String)> {
    let mut paths = Vec::new();
    let mut statement: Option<(usize, String)> = None;
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let trimmed = code.trim_start();
        let opens_use = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|start| trimmed.strip_prefix(start));
        match (&mut statement, opens_use) {
            (Some((_, text)), _) => text.push_str(code),
            (None, Some(rest)) => statement = Some((number + 1, rest.to_owned())),
            (None, None) => {
                for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
                    if word.contains("::") {
                        paths.push((number + 1, word.trim_start_matches("::").to_owned()));
                    }
                }
            }
        }
        if let Some((line, text)) = statement.take_if(|(_, text)| text.contains(';')) {
            let tree = text.split(';').next().unwrap_or_default();
            for path in use_leaves("", tree) {
                paths.push((line, path));
            }
        }
    }
    paths
}

/// The full paths of a `use` tree below `prefix`.
fn use_leaves(prefix: &str, tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let join = |p: &str, q: &str| match (p.is_empty(), q.is_empty()) {
        (true, _) => q.to_owned(),
        (_, true) => p.to_owned(),
        _ => format!("{p}::{q}"),
    };
    let Some(open) = tree.find('{') else {
        let path = tree.split("as").next().unwrap_or_default();
        return vec![join(prefix, path.trim_end_matches("::"))];
    };
    let head = join(prefix, tree[..open].trim_end_matches("::"));
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut leaves = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                leaves.extend(use_leaves(&head, &inner[start..at]));
                start = at + 1;
            }
            _ => {}
        }
    }
    if start < inner.len() {
        leaves.extend(use_leaves(&head, &inner[start..]));
    }
    leaves
}

/// Whether `path` is `prefix` or inside it: `crate::grpc::x` is inside
/// `crate::grpc`, `crate::grpcx` is not; `self` leaves count as their parent.
fn starts_with_path(path: &str, prefix: &str) -> bool {
    let path = path.strip_suffix("::self").unwrap_or(path);
    path == prefix || path.starts_with(&format!("{prefix}::"))
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
            "crate::usecases",
            "crate::events",
            "crate::peers",
            "crate::leagues",
        ],
    );
    assert!(
        found.is_empty(),
        "domain code that reaches for transport or storage (ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn each_layer_of_a_service_imports_only_the_layers_below_it() {
    let found = [
        // The store maps rows: nothing of callers, transport, events, peers
        // or the league tables.
        forbidden_imports(
            "store",
            &[
                "crate::usecases",
                "crate::grpc",
                "crate::events",
                "crate::peers",
                "crate::leagues",
            ],
        ),
        // Handlers reach the rows only through a use case.
        forbidden_imports("grpc", &["crate::store"]),
        // Events convert themselves.
        forbidden_imports("events", &["crate::grpc", "crate::store"]),
    ]
    .concat();
    assert!(
        found.is_empty(),
        "code that skips or inverts a layer of its service (ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_path_matcher_sees_grouped_imports_and_written_paths() {
    let text = "use tonic::Status;\nuse crate::{\n    domain::x,\n    grpc::{convert, self},\n};\n\
                let n = crate::store::rows(); // crate::peers::no\nlet tonic_level = 3;\n";
    let paths: Vec<String> = named_paths(text).into_iter().map(|(_, p)| p).collect();
    assert_eq!(
        paths,
        [
            "tonic::Status",
            "crate::domain::x",
            "crate::grpc::convert",
            "crate::grpc::self",
            "crate::store::rows"
        ]
    );
    assert!(starts_with_path("crate::grpc::self", "crate::grpc"));
    assert!(starts_with_path("tonic::Status", "tonic"));
    assert!(!starts_with_path("crate::grpcx", "crate::grpc"));
    assert!(!starts_with_path("aftercare_db_extra::X", "aftercare_db"));
}
