//! Tests of Onbehalf's packages.
//!
//! - The Windows Installer package: built here from `installer/windows/main.wxs` with wixl
//!   (`installer/windows/build-msi.sh`), its tables read with `msiinfo export`.
//! - The `.deb` and `.rpm` that `installer/package.sh --debug` builds into `target/packages/`:
//!   unpacked and run.
//! - The macOS configuration profile `installer/macos/onbehalf.mobileconfig`.
//!
//! The policy keys and MSI properties are the admin policy contract every platform shares.
//! These tests run on Linux, where `installer/package.sh` builds the packages; the MSI and the
//! macOS packages themselves are built by `.github/workflows/packages.yml`.
#![cfg(target_os = "linux")]

mod contract;
mod linux;
mod macos;
mod msi;
mod support;
