//! An edition's criteria: what their forms hold and check (the handlers are in `parts.rs`).

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::parts::{Part, form_page};
use crate::db::editions::{Criterion, CriterionData};
use crate::db::{DbConn, DbError};
use crate::domain::validate;
use crate::services::editions::{self as svc, EditionError};
use crate::web::ctx::Layout;
use crate::web::form::Errors;
use crate::web::pages::editions::fmt_number;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CriterionForm {
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
    pub max_points: String,
    pub weight: String,
    pub position: String,
    pub levels: String,
    pub levels_en: String,
}

form_page!(
    CriterionPage,
    CriterionForm,
    "admin/editions/criterion.html"
);

impl Part for CriterionForm {
    type Row = Criterion;
    type Data = CriterionData;
    type Page = CriterionPage;
    const LIST: &'static str = "criteria";

    fn blank() -> Self {
        CriterionForm {
            max_points: "10".into(),
            weight: "1".into(),
            position: "1".into(),
            ..Default::default()
        }
    }

    fn from_row(cr: &Criterion, layout: &Layout) -> Self {
        CriterionForm {
            name: cr.name.clone(),
            name_en: cr.name_en.clone(),
            description: cr.description.clone(),
            description_en: cr.description_en.clone(),
            max_points: cr.max_points.to_string(),
            weight: fmt_number(cr.weight, layout),
            position: cr.position.to_string(),
            levels: cr.levels.clone(),
            levels_en: cr.levels_en.clone(),
        }
    }

    fn edition_of(cr: &Criterion) -> i32 {
        cr.edition_id
    }

    fn validate(&self, errors: &mut Errors) -> Option<CriterionData> {
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
        let max = self
            .max_points
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|m| (1..=100).contains(m));
        if max.is_none() {
            errors.add("max_points", "criterion.err_max");
        }
        let weight = self
            .weight
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|w| w.is_finite() && (0.1..=10.0).contains(w));
        if weight.is_none() {
            errors.add("weight", "criterion.err_weight");
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
        errors.check("levels", validate::optional_text(&self.levels, 4000));
        errors.check("levels_en", validate::optional_text(&self.levels_en, 4000));
        if !errors.is_empty() {
            return None;
        }
        Some(CriterionData {
            name: validate::clean(&self.name),
            name_en: validate::clean(&self.name_en),
            description: self.description.trim().to_string(),
            description_en: self.description_en.trim().to_string(),
            max_points: max?,
            weight: (weight? * 100.0).round() / 100.0,
            levels: self.levels.trim().to_string(),
            levels_en: self.levels_en.trim().to_string(),
            position: position?,
        })
    }

    fn find(c: &mut DbConn, id: i32) -> Result<Option<(Criterion, String)>, DbError> {
        svc::criterion(c, id)
    }

    fn save(
        c: &mut DbConn,
        me: i32,
        edition_id: i32,
        id: Option<i32>,
        data: &CriterionData,
        now: NaiveDateTime,
    ) -> Result<i32, EditionError> {
        svc::save_criterion(c, me, edition_id, id, data, now)
    }

    fn delete(c: &mut DbConn, me: i32, id: i32, now: NaiveDateTime) -> Result<i32, EditionError> {
        svc::delete_criterion(c, me, id, now)
    }
}
