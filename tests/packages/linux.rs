//! The `.deb` and `.rpm` that `installer/package.sh` builds with the Tauri bundler.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::{built_package, has_program, run, POLICY};

const DESKTOP_FILE: &str = "usr/share/applications/Onbehalf.desktop";
const AUTOSTART_FILE: &str = "etc/xdg/autostart/app.onbehalf.desktop";
const POLICY_EXAMPLE: &str = "etc/onbehalf/policy.toml.example";

/// The `.deb`, unpacked once for every test here (into the tests' scratch folder).
fn unpacked_deb() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let deb = built_package("deb");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packages/deb-root");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .unwrap_or_else(|e| panic!("cannot empty {}: {e}", dir.display()));
        }
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot make {}: {e}", dir.display()));
        run("dpkg-deb", &["-x", &path_str(&deb), &path_str(&dir)]);
        dir
    })
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The `Key=value` lines of a desktop entry.
fn desktop_value(file: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{key}=")))
        .map(str::to_string)
}

#[test]
fn the_deb_installs_the_command_line_as_usr_bin_onbehalf() {
    let root = unpacked_deb();
    let cli = root.join("usr/bin/onbehalf");
    assert!(cli.is_file(), "the .deb has no /usr/bin/onbehalf");
    let help = run(&path_str(&cli), &["--help"]);
    assert!(
        help.contains("Usage: onbehalf"),
        "`/usr/bin/onbehalf --help` from the .deb prints no usage:\n{help}"
    );
    assert!(
        root.join("usr/bin/onbehalf-app").is_file(),
        "the .deb has no /usr/bin/onbehalf-app"
    );
}

#[test]
fn the_debs_menu_entry_and_autostart_entry_are_valid() {
    let root = unpacked_deb();
    for file in [DESKTOP_FILE, AUTOSTART_FILE] {
        let path = root.join(file);
        assert!(path.is_file(), "the .deb has no /{file}");
        let problems = run("desktop-file-validate", &[&path_str(&path)]);
        assert!(
            problems.trim().is_empty(),
            "desktop-file-validate finds problems in /{file}:\n{problems}"
        );
    }
    let menu = root.join(DESKTOP_FILE);
    assert_eq!(
        desktop_value(&menu, "Exec").as_deref(),
        Some("onbehalf-app")
    );
    assert_eq!(desktop_value(&menu, "Name").as_deref(), Some("Onbehalf"));
    let autostart = root.join(AUTOSTART_FILE);
    assert_eq!(
        desktop_value(&autostart, "Exec").as_deref(),
        Some("onbehalf-app --hidden"),
        "at login the app starts in the tray, its window hidden"
    );
}

#[test]
fn the_deb_carries_a_policy_example_with_every_key() {
    let root = unpacked_deb();
    let path = root.join(POLICY_EXAMPLE);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the .deb has no /{POLICY_EXAMPLE}: {e}"));
    for (_, key) in POLICY {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("# {key} = "))),
            "/{POLICY_EXAMPLE} does not show the policy key {key} (as a commented `# {key} = ...`)"
        );
    }
    assert!(
        !text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.starts_with('#')),
        "/{POLICY_EXAMPLE} only shows examples: every line is a comment"
    );
    assert!(text.contains("# [recommended]"));
}

#[test]
fn the_deb_is_named_and_versioned_as_the_app() {
    let deb = built_package("deb");
    let fields = run(
        "dpkg-deb",
        &["-f", &path_str(&deb), "Package", "Version", "Depends"],
    );
    let version = crate::support::tauri_config()["version"]
        .as_str()
        .map(str::to_string)
        .expect("tauri.conf.json has a version");
    assert!(
        fields.contains("Package: onbehalf"),
        "unexpected package name:\n{fields}"
    );
    assert!(
        fields.contains(&format!("Version: {version}")),
        "the .deb's version is not {version}:\n{fields}"
    );
    assert!(
        fields.contains("libwebkit2gtk-4.1-0"),
        "the .deb depends on WebKitGTK:\n{fields}"
    );
}

#[test]
fn the_rpm_installs_the_same_files() {
    let rpm = built_package("rpm");
    let size = std::fs::metadata(&rpm).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0, "{} is empty", rpm.display());
    if !has_program("rpm") {
        eprintln!(
            "`rpm` is not installed: only checked that {} exists",
            rpm.display()
        );
        return;
    }
    let files = run("rpm", &["-qlp", &path_str(&rpm)]);
    for file in [
        "/usr/bin/onbehalf",
        "/usr/bin/onbehalf-app",
        &format!("/{DESKTOP_FILE}"),
        &format!("/{AUTOSTART_FILE}"),
        &format!("/{POLICY_EXAMPLE}"),
    ] {
        assert!(
            files.lines().any(|l| l == file),
            "the .rpm does not install {file}; it lists:\n{files}"
        );
    }
}

#[test]
fn the_bundler_config_points_at_the_installer_files() {
    let config = crate::support::tauri_config();
    let src_tauri = crate::support::root().join("src-tauri");
    let bundle = &config["bundle"];
    let template = bundle["windows"]["wix"]["template"]
        .as_str()
        .expect("bundle.windows.wix.template is set");
    assert!(
        src_tauri
            .join(template)
            .ends_with("installer/windows/main.wxs"),
        "the Tauri bundler builds the MSI from installer/windows/main.wxs, not {template}"
    );
    for format in ["deb", "rpm"] {
        let linux = &bundle["linux"][format];
        let desktop = linux["desktopTemplate"].as_str().unwrap_or_default();
        assert!(
            src_tauri.join(desktop).is_file(),
            "bundle.linux.{format}.desktopTemplate names no file: {desktop:?}"
        );
        let files = linux["files"].as_object().expect("a files map");
        for target in [
            "/usr/bin/onbehalf",
            &format!("/{AUTOSTART_FILE}"),
            &format!("/{POLICY_EXAMPLE}"),
        ] {
            assert!(
                files.contains_key(target),
                "bundle.linux.{format}.files does not install {target}"
            );
        }
    }
}
