//! Where the data folder is, known before the service starts: a front end opens its log file
//! there before anything is logged, and `Config::load` (which resolves the folder through the
//! same function) may already log.

use std::path::PathBuf;

use crate::config::Options;
use crate::error::ServiceError;

/// The folder of the data folder where front ends keep their log files.
const LOGS_DIR: &str = "logs";

impl Options {
    /// The data folder these options name, or else the platform's: the folder
    /// [`crate::Onbehalf::start`] opens.
    pub fn resolved_data_dir(&self) -> Result<PathBuf, ServiceError> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => directories::ProjectDirs::from("com", "Onbehalf", "Onbehalf")
                .map(|d| d.data_local_dir().to_path_buf())
                .ok_or_else(|| {
                    ServiceError::config(
                        "Could not find a folder for Onbehalf's data (no home folder?). Start \
                         it with --data-dir DIR.",
                    )
                }),
        }
    }

    /// The folder for log files in the data folder these options name.
    pub fn logs_dir(&self) -> Result<PathBuf, ServiceError> {
        Ok(self.resolved_data_dir()?.join(LOGS_DIR))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_data_folder_known_before_start_is_the_one_the_configuration_resolves() {
        let dir = tempfile::tempdir().unwrap();
        let no_policy = dir.path().join("policy.toml");
        std::fs::write(&no_policy, "").unwrap();
        let platform = Options {
            policy_file: Some(no_policy),
            ..Options::default()
        };
        let given = Options {
            data_dir: Some(dir.path().join("data")),
            ..platform.clone()
        };
        for opts in [platform, given] {
            assert_eq!(
                opts.resolved_data_dir().unwrap(),
                Config::load(&opts).unwrap().data_dir,
                "{opts:?}"
            );
        }
        assert_eq!(
            Options {
                data_dir: Some(dir.path().to_path_buf()),
                ..Options::default()
            }
            .logs_dir()
            .unwrap(),
            dir.path().join("logs")
        );
    }
}
