//! An edition's categories: what their forms hold and check (the handlers are in `parts.rs`).

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::parts::{Part, form_page};
use crate::db::editions::{Category, CategoryData};
use crate::db::{DbConn, DbError};
use crate::domain::validate;
use crate::services::editions::{self as svc, EditionError};
use crate::web::ctx::Layout;
use crate::web::form::Errors;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CategoryForm {
    pub code: String,
    pub position: String,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
}

form_page!(CategoryPage, CategoryForm, "admin/editions/category.html");

impl Part for CategoryForm {
    type Row = Category;
    type Data = CategoryData;
    type Page = CategoryPage;
    const LIST: &'static str = "categories";

    fn blank() -> Self {
        CategoryForm {
            position: "1".into(),
            ..Default::default()
        }
    }

    fn from_row(cat: &Category, _: &Layout) -> Self {
        CategoryForm {
            code: cat.code.clone(),
            position: cat.position.to_string(),
            name: cat.name.clone(),
            name_en: cat.name_en.clone(),
            description: cat.description.clone(),
            description_en: cat.description_en.clone(),
        }
    }

    fn edition_of(cat: &Category) -> i32 {
        cat.edition_id
    }

    fn validate(&self, errors: &mut Errors) -> Option<CategoryData> {
        let code = self.code.trim().to_uppercase();
        if code.is_empty() || code.len() > 10 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            errors.add("code", "edition.err_code");
        }
        let position = self
            .position
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|p| (0..=1000).contains(p));
        if position.is_none() {
            errors.add("position", "edition.err_position");
        }
        errors.check("name", validate::required(&self.name, 200));
        errors.check("name_en", validate::optional(&self.name_en, 200));
        errors.check(
            "description",
            validate::optional_text(&self.description, 2000),
        );
        errors.check(
            "description_en",
            validate::optional_text(&self.description_en, 2000),
        );
        errors.is_empty().then(|| CategoryData {
            code,
            name: validate::clean(&self.name),
            name_en: validate::clean(&self.name_en),
            description: self.description.trim().to_string(),
            description_en: self.description_en.trim().to_string(),
            position: position.unwrap_or(0),
        })
    }

    fn find(c: &mut DbConn, id: i32) -> Result<Option<(Category, String)>, DbError> {
        svc::category(c, id)
    }

    fn save(
        c: &mut DbConn,
        me: i32,
        edition_id: i32,
        id: Option<i32>,
        data: &CategoryData,
        now: NaiveDateTime,
    ) -> Result<i32, EditionError> {
        svc::save_category(c, me, edition_id, id, data, now)
    }

    fn delete(c: &mut DbConn, me: i32, id: i32, now: NaiveDateTime) -> Result<i32, EditionError> {
        svc::delete_category(c, me, id, now)
    }
}
