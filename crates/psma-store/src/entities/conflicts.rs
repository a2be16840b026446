use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "conflicts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub kind: String,
    pub subject: String,
    pub show_id: Uuid,
    pub other_show_id: Option<Uuid>,
    pub service_id: Option<String>,
    pub country: Option<String>,
    pub fact_ids: String,
    pub summary: String,
    pub detected_at: DateTimeUtc,
    pub run_id: Uuid,
    pub cleared_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
