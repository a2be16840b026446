use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "facts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub source_id: String,
    pub kind: String,
    pub fact_key: String,
    pub subject_key: String,
    pub content_hash: String,
    pub show_id: Option<Uuid>,
    pub service_id: Option<String>,
    pub country: Option<String>,
    pub available_from: Option<Date>,
    pub available_until: Option<Date>,
    pub air_date: Option<Date>,
    pub confidence: f64,
    pub retrieved_at: DateTimeUtc,
    pub payload: String,
    pub run_id: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub ended_run_id: Option<Uuid>,
    pub replaces_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
