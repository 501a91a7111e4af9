//! Queries of two-factor sign-in: the secret and its last used step, recovery codes, remembered
//! browsers and the site-wide rule. Single use is enforced here by conditional updates.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{remembered_devices, two_factor, two_factor_policy, two_factor_recovery};
use super::{DbConn, DbResult};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = two_factor)]
pub struct TwoFactor {
    pub user_id: i32,
    pub secret: String,
    pub last_step: i64,
    pub enabled_at: NaiveDateTime,
}

pub fn find(c: &mut DbConn, user_id: i32) -> DbResult<Option<TwoFactor>> {
    two_factor::table
        .find(user_id)
        .select(TwoFactor::as_select())
        .first(c)
        .optional()
}

/// Which of `ids` have the second factor on.
pub fn enabled_among(c: &mut DbConn, ids: &[i32]) -> DbResult<HashSet<i32>> {
    Ok(two_factor::table
        .filter(two_factor::user_id.eq_any(ids))
        .select(two_factor::user_id)
        .load::<i32>(c)?
        .into_iter()
        .collect())
}

/// Turns it on; a unique violation means it already was.
pub fn insert(
    c: &mut DbConn,
    user_id: i32,
    secret: &str,
    step: i64,
    recovery_hashes: &[String],
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(two_factor::table)
        .values((
            two_factor::user_id.eq(user_id),
            two_factor::secret.eq(secret),
            two_factor::last_step.eq(step),
            two_factor::enabled_at.eq(now),
        ))
        .execute(c)?;
    for h in recovery_hashes {
        diesel::insert_into(two_factor_recovery::table)
            .values((
                two_factor_recovery::user_id.eq(user_id),
                two_factor_recovery::code_hash.eq(h),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Takes `step` for the user: true only when it is later than the last step used. One
/// statement, so of parallel requests with the same code exactly one succeeds.
pub fn take_step(c: &mut DbConn, user_id: i32, step: i64) -> DbResult<bool> {
    let n = diesel::update(
        two_factor::table
            .find(user_id)
            .filter(two_factor::last_step.lt(step)),
    )
    .set(two_factor::last_step.eq(step))
    .execute(c)?;
    Ok(n == 1)
}

/// Uses up a recovery code: true only for an unused code of this user.
pub fn use_recovery(
    c: &mut DbConn,
    user_id: i32,
    code_hash: &str,
    now: NaiveDateTime,
) -> DbResult<bool> {
    let n = diesel::update(
        two_factor_recovery::table
            .find((user_id, code_hash))
            .filter(two_factor_recovery::used_at.is_null()),
    )
    .set(two_factor_recovery::used_at.eq(now))
    .execute(c)?;
    Ok(n == 1)
}

/// Replaces the account's recovery codes (used or not) with new ones.
pub fn replace_recovery(c: &mut DbConn, user_id: i32, recovery_hashes: &[String]) -> DbResult<()> {
    diesel::delete(two_factor_recovery::table.filter(two_factor_recovery::user_id.eq(user_id)))
        .execute(c)?;
    for h in recovery_hashes {
        diesel::insert_into(two_factor_recovery::table)
            .values((
                two_factor_recovery::user_id.eq(user_id),
                two_factor_recovery::code_hash.eq(h),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// How many remembered browsers are past their time (for the retention's dry run).
pub fn expired_devices(c: &mut DbConn, now: NaiveDateTime) -> DbResult<i64> {
    remembered_devices::table
        .filter(remembered_devices::expires_at.le(now))
        .count()
        .get_result(c)
}

pub fn recovery_left(c: &mut DbConn, user_id: i32) -> DbResult<i64> {
    two_factor_recovery::table
        .filter(two_factor_recovery::user_id.eq(user_id))
        .filter(two_factor_recovery::used_at.is_null())
        .count()
        .get_result(c)
}

/// Turns it off: the secret, the recovery codes and the remembered browsers. True when it was on.
pub fn remove(c: &mut DbConn, user_id: i32) -> DbResult<bool> {
    let n = diesel::delete(two_factor::table.find(user_id)).execute(c)?;
    diesel::delete(two_factor_recovery::table.filter(two_factor_recovery::user_id.eq(user_id)))
        .execute(c)?;
    forget_devices(c, user_id)?;
    Ok(n == 1)
}

pub fn forget_devices(c: &mut DbConn, user_id: i32) -> DbResult<usize> {
    diesel::delete(remembered_devices::table.filter(remembered_devices::user_id.eq(user_id)))
        .execute(c)
}

pub fn remember_device(
    c: &mut DbConn,
    user_id: i32,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(remembered_devices::table)
        .values((
            remembered_devices::token_hash.eq(token_hash),
            remembered_devices::user_id.eq(user_id),
            remembered_devices::expires_at.eq(expires_at),
            remembered_devices::created_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn device_remembered(
    c: &mut DbConn,
    user_id: i32,
    token_hash: &str,
    now: NaiveDateTime,
) -> DbResult<bool> {
    diesel::select(diesel::dsl::exists(
        remembered_devices::table
            .find(token_hash)
            .filter(remembered_devices::user_id.eq(user_id))
            .filter(remembered_devices::expires_at.gt(now)),
    ))
    .get_result(c)
}

/// Removes remembered browsers whose time is over.
pub fn purge_devices(c: &mut DbConn, now: NaiveDateTime) -> DbResult<usize> {
    diesel::delete(remembered_devices::table.filter(remembered_devices::expires_at.le(now)))
        .execute(c)
}

/// Organisers' and jurors' accounts in use (not disabled, not erased): how many, and how many
/// of them without the second factor. Two counts, whatever the number of accounts.
pub fn staff_counts(c: &mut DbConn) -> DbResult<(i64, i64)> {
    use super::schema::users;
    use crate::domain::roles::Role;
    let staff = || {
        users::table
            .filter(users::role.eq_any([Role::Organiser, Role::Juror]))
            .filter(users::disabled_at.is_null())
            .filter(users::anonymised_at.is_null())
    };
    let total: i64 = staff().count().get_result(c)?;
    let without: i64 = staff()
        .filter(diesel::dsl::not(diesel::dsl::exists(
            two_factor::table.filter(two_factor::user_id.eq(users::id)),
        )))
        .count()
        .get_result(c)?;
    Ok((total, without))
}

/// Whether organisers and jurors must use the second factor (false until set).
pub fn required_for_staff(c: &mut DbConn) -> DbResult<bool> {
    Ok(two_factor_policy::table
        .find(1)
        .select(two_factor_policy::required_for_staff)
        .first::<bool>(c)
        .optional()?
        .unwrap_or(false))
}

/// Saves the rule (the one row, id 1, made by the migration): true when it changed. One
/// conditional update, so of parallel requests for the same change one succeeds.
pub fn set_required_for_staff(
    c: &mut DbConn,
    required: bool,
    actor: i32,
    now: NaiveDateTime,
) -> DbResult<bool> {
    diesel::update(
        two_factor_policy::table
            .find(1)
            .filter(two_factor_policy::required_for_staff.ne(required)),
    )
    .set((
        two_factor_policy::required_for_staff.eq(required),
        two_factor_policy::updated_at.eq(now),
        two_factor_policy::updated_by.eq(Some(actor)),
    ))
    .execute(c)
    .map(|n| n == 1)
}
