//! `GET /my-services`: the services the member keeps or subscribes to, and the form adding one.

use super::TermsForm;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::{Field, FieldErrors};
use crate::ui::page::{Layout, Section, render};
use crate::ui::pages::Outcome;
use crate::ui::pages::service_name;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::access::Permission;
use psma_core::tenancy::TenantCtx;

pub(crate) struct Line {
    id: String,
    name: String,
    permanent: bool,
    price: String,
    contract: Option<u16>,
}

/// A service to choose in the add form.
pub(crate) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "pages/my_services.html")]
pub(crate) struct MyServices {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    services: Vec<Line>,
    notice: Option<String>,
    removed: Option<(String, String)>,
    choices: Vec<Choice>,
    permanent: bool,
    fields: Vec<Field>,
    errors: FieldErrors,
}

impl MyServices {
    /// The page, with the add form showing `form` and `errors`.
    pub(crate) async fn load(
        state: &ApiState,
        ctx: &TenantCtx,
        csrf: String,
        form: &TermsForm,
        errors: FieldErrors,
        outcome: &Outcome,
    ) -> Result<Self, ApiError> {
        let mine = state.profiles.my_services(ctx).await?;
        let mut services: Vec<Line> = mine
            .iter()
            .map(|s| Line {
                id: s.service_id.to_string(),
                name: service_name(state, s.service_id.as_str()),
                permanent: s.terms.permanent,
                price: match (&s.terms.monthly_price, &s.terms.currency) {
                    (Some(amount), Some(currency)) => format!(
                        "{amount} {currency} every {} days",
                        s.terms.billing_cycle_days.unwrap_or(30)
                    ),
                    _ => "the catalog's price".to_owned(),
                },
                contract: s.terms.min_contract_days.filter(|d| *d > 0),
            })
            .collect();
        services.sort_by_key(|l| l.name.to_lowercase());
        let known = |id: &Option<String>| {
            id.as_deref()
                .filter(|id| state.catalog.registry().contains(id))
                .map(|id| (id.to_owned(), service_name(state, id)))
        };
        let notice = known(&outcome.saved)
            .map(|(_, name)| format!("Saved: {name}."))
            .or_else(|| {
                known(&outcome.restored).map(|(_, name)| format!("{name} is back in My Services."))
            });
        let removed = known(&outcome.removed)
            .filter(|(id, _)| !mine.iter().any(|s| s.service_id.as_str() == id));
        let mut choices: Vec<Choice> = state
            .catalog
            .registry()
            .services
            .iter()
            .filter(|e| !mine.iter().any(|s| s.service_id == e.service_id))
            .map(|e| Choice {
                value: e.service_id.to_string(),
                label: e.name.to_string(),
                selected: form.service_id == e.service_id.as_str(),
            })
            .collect();
        choices.sort_by_key(|c| c.label.to_lowercase());
        let entry = state.catalog.registry().get(&form.service_id);
        Ok(Self {
            layout: Layout::new("My Services", Section::MyServices),
            csrf,
            can_edit: ctx.grants().allows(Permission::MY_SERVICES_WRITE),
            services,
            notice,
            removed,
            choices,
            permanent: form.is_permanent(),
            fields: form.fields(&errors, entry),
            errors,
        })
    }
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    outcome: web::Query<Outcome>,
) -> Result<HttpResponse, ApiError> {
    let page = MyServices::load(
        &state,
        &ctx,
        csrf.0,
        &TermsForm::default(),
        FieldErrors::default(),
        &outcome,
    )
    .await?;
    render(StatusCode::OK, &page)
}
