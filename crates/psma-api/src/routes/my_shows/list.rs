//! `GET /api/v1/my-shows`.

use super::MyShowView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::Unavailable;
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// The caller's shows, by show id.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyShowList {
    /// Every show on the list.
    pub items: Vec<MyShowView>,
}

/// The shows the caller wants to watch.
#[utoipa::path(get, path = "/api/v1/my-shows", tag = "planning", operation_id = "list_my_shows",
    responses((status = 200, description = "The caller's shows", body = MyShowList), Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let shows = state.profiles.my_shows(&ctx).await?;
    Ok(HttpResponse::Ok().json(MyShowList {
        items: shows.iter().map(MyShowView::from).collect(),
    }))
}
