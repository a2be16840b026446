//! Running the server tools, as the unprivileged server user when we are root.

use super::*;

/// Runs the server tools directly, or as [`PG_USER`] when we are root.
pub(super) struct Runner {
    /// `Some(use_runuser)` when commands must run as [`PG_USER`].
    as_pg_user: Option<bool>,
    /// Root, but [`PG_USER`] does not exist (and was not to be created).
    pub(super) missing_user: bool,
    ids: Option<(u32, u32)>,
}

impl Runner {
    pub(super) fn new(create_user: bool) -> Result<Self> {
        if id(&["-u"])? != 0 {
            return Ok(Self {
                as_pg_user: None,
                missing_user: false,
                ids: None,
            });
        }
        if id(&["-u", PG_USER]).is_err() {
            if !create_user {
                return Ok(Self {
                    as_pg_user: Some(true),
                    missing_user: true,
                    ids: None,
                });
            }
            eprintln!("pg: creating system user {PG_USER}");
            let useradd = Command::new(find_program("useradd"))
                .args([
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    PG_USER,
                ])
                .output()
                .context("running useradd")?;
            check_output(&useradd, "useradd")?;
        }
        let ids = (id(&["-u", PG_USER])?, id(&["-g", PG_USER])?);
        let runuser = find_program("runuser").is_file();
        Ok(Self {
            as_pg_user: Some(runuser),
            missing_user: false,
            ids: Some(ids),
        })
    }

    pub(super) fn who(&self) -> &'static str {
        if self.as_pg_user.is_some() {
            PG_USER
        } else {
            "the current user"
        }
    }

    /// A command for `program`, run from `cwd` (the checkout may be unreadable to [`PG_USER`]).
    pub(super) fn command(&self, program: &Path, cwd: &Path) -> Command {
        let mut command = match self.as_pg_user {
            None => Command::new(program),
            Some(true) => {
                let mut command = Command::new(find_program("runuser"));
                command.args(["-u", PG_USER, "--"]).arg(program);
                command
            }
            Some(false) => {
                // su takes a shell command line: `exec "$0" "$@"` runs the arguments
                // after the user unquoted; `--` keeps su from parsing them as options.
                let mut command = Command::new(find_program("su"));
                command
                    .args(["-s", "/bin/sh", "-c", "exec \"$0\" \"$@\"", "--", PG_USER])
                    .arg(program);
                command
            }
        };
        command.current_dir(cwd);
        command
    }

    /// Hands a directory to [`PG_USER`] when we are root.
    pub(super) fn give(&self, dir: &Path) -> Result<()> {
        if let Some((uid, gid)) = self.ids {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid))
                .with_context(|| format!("chown {} to {PG_USER}", dir.display()))?;
        }
        Ok(())
    }
}

/// `id ARGS`, parsed as a number.
pub(super) fn id(args: &[&str]) -> Result<u32> {
    let output = Command::new("id")
        .args(args)
        .output()
        .context("running id")?;
    if !output.status.success() {
        bail!("id {} failed", args.join(" "));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().parse()?)
}
