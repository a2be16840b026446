//! The exec plugin as a provider: each configured command is a provider of its own, whose
//! spec the program declares and whose facts it prints.

use crate::config::{self, Config};
use crate::process::{Event, Exchange};
use crate::protocol::{self, FactRules, Message, RequestKind};
use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::futures_util::{StreamExt, stream};
use psma_plugin_sdk::serde_json::Value;
use psma_plugin_sdk::text::{Label, LongText, SourceId, Title};
use psma_plugin_sdk::{
    Attribution, Capabilities, Fact, FactKind, FactStream, PluginDeps, Provider, ProviderError,
    ProviderFactory, ProviderSpec, Scope, ScopeKind, async_trait,
};
use std::sync::Arc;

/// The factory PSMA registers under `exec`: builds a provider from a section with an `exec`
/// command.
#[derive(Debug, Default, Clone, Copy)]
pub struct ExecFactory;

/// The factory's id.
const ID: &str = "exec";

fn describe() -> Result<ProviderSpec, ProviderError> {
    let bad = |field: &'static str| {
        move |e: psma_plugin_sdk::text::InvalidText| ProviderError::config(field, e.0)
    };
    Ok(ProviderSpec {
        id: SourceId::parse(ID).map_err(bad("source_id"))?,
        display_name: Title::parse("External program").map_err(bad("display_name"))?,
        version: Label::parse(env!("CARGO_PKG_VERSION")).map_err(bad("version"))?,
        capabilities: Capabilities {
            scopes: vec![ScopeKind::All, ScopeKind::Show, ScopeKind::Country],
            fact_kinds: FactKind::ALL.to_vec(),
            countries: Vec::new(),
            needs_credentials: false,
            search: false,
        },
        config_schema: config::schema(None),
        attribution: Attribution {
            text: LongText::parse("Data from an external program this server runs")
                .map_err(bad("attribution"))?,
            url: None,
            license: None,
        },
        min_refresh_interval_secs: protocol::DEFAULT_MIN_REFRESH_SECS,
        rate_limit: None,
    })
}

impl ProviderFactory for ExecFactory {
    fn id(&self) -> &'static str {
        ID
    }

    fn describe(&self) -> ProviderSpec {
        // Built from constants that satisfy their rules (the conformance test checks it).
        describe().unwrap_or_else(|e| unreachable_spec(&e))
    }

    /// Checks the configuration, asks the program for its spec (within 10 s or
    /// `timeout_secs`), and checks the program's `config` against the schema it declares.
    fn build(&self, config: &Value, deps: PluginDeps) -> Result<Arc<dyn Provider>, ProviderError> {
        let config = Config::from_json(config)?;
        let declared = run_apart(ask_spec(config.clone()))?;
        let (spec, program_schema) = protocol::provider_spec(declared, &config.source_id)
            .map_err(|e| ProviderError::config("exec", format!("the program's spec: {e}")))?;
        if let Some(schema) = &program_schema {
            protocol::check_program_config(schema, &config.config)?;
        }
        Ok(Arc::new(Exec { spec, config, deps }))
    }
}

#[expect(
    clippy::panic,
    reason = "unreachable: the spec is built from constants"
)]
fn unreachable_spec(err: &ProviderError) -> ProviderSpec {
    panic!("the exec plugin's spec is invalid: {err}")
}

/// Runs `future` to completion on a runtime of its own, on a thread of its own: `build` is
/// synchronous and may be called from within a runtime, where blocking on one is refused.
fn run_apart<T: Send + 'static>(
    future: impl Future<Output = Result<T, ProviderError>> + Send + 'static,
) -> Result<T, ProviderError> {
    let failed = |why: String| ProviderError::config("exec", why);
    std::thread::Builder::new()
        .name("psma-exec-spec".to_owned())
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| failed(format!("cannot run the program: {e}")))?
                .block_on(future)
        })
        .map_err(|e| failed(format!("cannot run the program: {e}")))?
        .join()
        .map_err(|_| failed("asking the program for its spec panicked".to_owned()))?
}

/// The `spec` exchange: what the program declared (`None`: nothing). Every failure is a
/// configuration error on `exec`: the command does not work.
async fn ask_spec(config: Config) -> Result<Option<Value>, ProviderError> {
    let failed = |why: String| ProviderError::config("exec", why);
    let request = protocol::spec_request(&config.source_id);
    let mut exchange = Exchange::start(&config, RequestKind::Spec, request, config.short_timeout())
        .map_err(failed)?;
    let mut declared = None;
    loop {
        match exchange.next().await {
            Event::Line(number, line) => match protocol::message(number, &line) {
                Message::Spec(spec) => {
                    declared.get_or_insert(spec);
                }
                Message::Error(error) => {
                    exchange.kill().await;
                    return Err(error.into_error(number, false));
                }
                Message::Log(level, text) => protocol::log(&config.source_id, level, &text),
                Message::Invalid(why) => {
                    exchange.kill().await;
                    return Err(failed(format!(
                        "line {number} of `{}`'s answer to `spec`: {why}",
                        config.program
                    )));
                }
                Message::Blank | Message::Fact(_) | Message::Ok => {}
            },
            Event::Finished(Ok(())) => return Ok(declared),
            Event::Finished(Err(why)) => return Err(failed(why)),
        }
    }
}

/// One configured program.
struct Exec {
    spec: ProviderSpec,
    config: Config,
    deps: PluginDeps,
}

/// Where a `read` is.
enum Reading {
    /// Not started: the request to send and the fetch's "now".
    Ready(Vec<u8>, DateTime<Utc>),
    Running(Box<Exchange>, DateTime<Utc>),
    Done,
}

fn upstream(message: String) -> ProviderError {
    ProviderError::Upstream {
        status: None,
        message,
    }
}

impl Exec {
    /// The next item of a `read`, and where the read is then.
    async fn next_item(&self, state: Reading) -> Option<(Result<Fact, ProviderError>, Reading)> {
        let (mut exchange, now) = match state {
            Reading::Done => return None,
            Reading::Running(exchange, now) => (exchange, now),
            Reading::Ready(request, now) => {
                match Exchange::start(
                    &self.config,
                    RequestKind::Read,
                    request,
                    self.config.timeout,
                ) {
                    Ok(exchange) => (Box::new(exchange), now),
                    Err(why) => return Some((Err(upstream(why)), Reading::Done)),
                }
            }
        };
        let rules = FactRules {
            source_id: &self.spec.id,
            now,
            services: &self.deps.services,
            kinds: &self.spec.capabilities.fact_kinds,
        };
        loop {
            match exchange.next().await {
                Event::Line(number, line) => match protocol::read_item(&rules, number, &line) {
                    None => {}
                    Some(Err(error)) if !error.is_record_level() => {
                        exchange.kill().await;
                        return Some((Err(error), Reading::Done));
                    }
                    Some(item) => return Some((item, Reading::Running(exchange, now))),
                },
                Event::Finished(Ok(())) => return None,
                Event::Finished(Err(why)) => return Some((Err(upstream(why)), Reading::Done)),
            }
        }
    }
}

#[async_trait]
impl Provider for Exec {
    fn spec(&self) -> &ProviderSpec {
        &self.spec
    }

    /// The `check` exchange: passes when the program exits with status 0 without printing an
    /// `error`.
    async fn check(&self) -> Result<(), ProviderError> {
        let request = protocol::check_request(&self.config);
        let mut exchange = Exchange::start(
            &self.config,
            RequestKind::Check,
            request,
            self.config.short_timeout(),
        )
        .map_err(upstream)?;
        loop {
            match exchange.next().await {
                Event::Line(number, line) => match protocol::message(number, &line) {
                    Message::Error(error) => {
                        exchange.kill().await;
                        return Err(error.into_error(number, false));
                    }
                    Message::Log(level, text) => protocol::log(&self.spec.id, level, &text),
                    Message::Invalid(why) => {
                        exchange.kill().await;
                        return Err(upstream(format!(
                            "line {number} of `{}`'s answer to `check`: {why}",
                            self.config.program
                        )));
                    }
                    Message::Blank | Message::Ok | Message::Spec(_) | Message::Fact(_) => {}
                },
                Event::Finished(result) => return result.map_err(upstream),
            }
        }
    }

    fn fetch(&self, scope: Scope) -> FactStream<'_> {
        if !self.spec.capabilities.scopes.contains(&scope.kind()) {
            let declared: Vec<&str> = self
                .spec
                .capabilities
                .scopes
                .iter()
                .map(|s| s.as_str())
                .collect();
            let refused = ProviderError::config(
                "scope",
                format!(
                    "`{}` is read by scope {}; `{}` is not supported",
                    self.spec.id,
                    declared.join(", "),
                    scope.kind().as_str()
                ),
            );
            return stream::once(async move { Err(refused) }).boxed();
        }
        let now = self.deps.clock.now();
        let request = protocol::read_request(&self.config, &scope, now);
        stream::unfold(Reading::Ready(request, now), move |state| {
            self.next_item(state)
        })
        .boxed()
    }
}
