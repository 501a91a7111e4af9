//! Institutions that take part: municipalities, counties, other public bodies.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::institutions;
use super::{DbConn, DbResult};

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = institutions)]
pub struct Institution {
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub teryt: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_person: String,
    pub phone: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub anonymised_at: Option<NaiveDateTime>,
}

/// The editable part of an institution's profile.
#[derive(Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = institutions)]
#[diesel(treat_none_as_null = true)]
pub struct InstitutionData {
    pub name: String,
    pub kind: String,
    pub teryt: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_person: String,
    pub phone: String,
}

pub fn insert(conn: &mut DbConn, data: &InstitutionData, now: NaiveDateTime) -> DbResult<i32> {
    diesel::insert_into(institutions::table)
        .values((
            data,
            institutions::name_key.eq(crate::domain::listing::fold(&data.name)),
            institutions::created_at.eq(now),
            institutions::updated_at.eq(now),
        ))
        .returning(institutions::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i32) -> DbResult<Option<Institution>> {
    institutions::table
        .find(id)
        .select(Institution::as_select())
        .first(conn)
        .optional()
}

pub fn update(
    conn: &mut DbConn,
    id: i32,
    data: &InstitutionData,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(institutions::table.find(id))
        .set((
            data,
            institutions::name_key.eq(crate::domain::listing::fold(&data.name)),
            institutions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
