//! One-time tokens sent by email (verification, password reset, invitations, first set-up).
//! Only the SHA-256 of a token is stored; a token is consumed at most once.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::tokens;
use super::{DbConn, DbResult};
use crate::domain::text_enum;
use crate::domain::token;

text_enum! {
    pub enum Purpose {
        VerifyEmail = "verify_email",
        ResetPassword = "reset_password",
        /// A colleague invited into an institution.
        InviteMember = "invite_member",
        /// A juror invited by an organiser.
        InviteJuror = "invite_juror",
        /// The first organiser, from the link printed at start.
        Setup = "setup",
    }
}

impl Purpose {
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::VerifyEmail => Duration::hours(48),
            Purpose::ResetPassword => Duration::hours(1),
            Purpose::InviteMember | Purpose::InviteJuror => Duration::days(7),
            Purpose::Setup => Duration::hours(24),
        }
    }
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = tokens)]
pub struct Token {
    pub id: i32,
    pub purpose: Purpose,
    pub token_hash: String,
    pub user_id: Option<i32>,
    pub institution_id: Option<i32>,
    pub email: Option<String>,
    pub created_by: Option<i32>,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Default, Clone, Copy)]
pub struct TokenFor<'a> {
    pub user_id: Option<i32>,
    pub institution_id: Option<i32>,
    pub email: Option<&'a str>,
    pub created_by: Option<i32>,
}

/// Creates a token and returns the secret to put in the link. Earlier unused tokens of the same
/// purpose for the same user are revoked, so only the newest link works.
pub fn create(
    conn: &mut DbConn,
    purpose: Purpose,
    target: TokenFor,
    now: NaiveDateTime,
) -> DbResult<String> {
    if let Some(uid) = target.user_id {
        revoke_for_user(conn, uid, purpose, now)?;
    }
    if purpose == Purpose::Setup {
        diesel::update(
            tokens::table
                .filter(tokens::purpose.eq(purpose))
                .filter(tokens::used_at.is_null()),
        )
        .set(tokens::used_at.eq(now))
        .execute(conn)?;
    }
    let secret = token::generate();
    diesel::insert_into(tokens::table)
        .values((
            tokens::purpose.eq(purpose),
            tokens::token_hash.eq(token::hash(&secret)),
            tokens::user_id.eq(target.user_id),
            tokens::institution_id.eq(target.institution_id),
            tokens::email.eq(target.email),
            tokens::created_by.eq(target.created_by),
            tokens::expires_at.eq(now + purpose.lifetime()),
            tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(secret)
}

/// The newest token of `purpose` that is neither used nor expired (for the set-up link, of
/// which at most one is valid at a time).
pub fn latest_valid(
    conn: &mut DbConn,
    purpose: Purpose,
    now: NaiveDateTime,
) -> DbResult<Option<Token>> {
    tokens::table
        .filter(tokens::purpose.eq(purpose))
        .filter(tokens::used_at.is_null())
        .filter(tokens::expires_at.gt(now))
        .order(tokens::id.desc())
        .select(Token::as_select())
        .first(conn)
        .optional()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenState {
    Valid,
    Expired,
    Used,
    Unknown,
}

/// Finds a token by its secret without using it (to show the form the link leads to).
pub fn check(
    conn: &mut DbConn,
    purpose: Purpose,
    secret: &str,
    now: NaiveDateTime,
) -> DbResult<(TokenState, Option<Token>)> {
    if !token::looks_valid(secret) {
        return Ok((TokenState::Unknown, None));
    }
    let found = tokens::table
        .filter(tokens::token_hash.eq(token::hash(secret)))
        .filter(tokens::purpose.eq(purpose))
        .select(Token::as_select())
        .first(conn)
        .optional()?;
    Ok(match found {
        None => (TokenState::Unknown, None),
        Some(t) if t.used_at.is_some() => (TokenState::Used, Some(t)),
        Some(t) if t.expires_at <= now => (TokenState::Expired, Some(t)),
        Some(t) => (TokenState::Valid, Some(t)),
    })
}

/// Uses a token: succeeds for exactly one caller, even when two requests race.
pub fn consume(
    conn: &mut DbConn,
    purpose: Purpose,
    secret: &str,
    now: NaiveDateTime,
) -> DbResult<(TokenState, Option<Token>)> {
    let (state, tok) = check(conn, purpose, secret, now)?;
    let Some(t) = tok else {
        return Ok((state, None));
    };
    if state != TokenState::Valid {
        return Ok((state, Some(t)));
    }
    let updated = diesel::update(tokens::table.find(t.id).filter(tokens::used_at.is_null()))
        .set(tokens::used_at.eq(now))
        .execute(conn)?;
    if updated == 1 {
        Ok((TokenState::Valid, Some(t)))
    } else {
        Ok((TokenState::Used, Some(t)))
    }
}

pub fn revoke_for_user(
    conn: &mut DbConn,
    user_id: i32,
    purpose: Purpose,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(
        tokens::table
            .filter(tokens::user_id.eq(user_id))
            .filter(tokens::purpose.eq(purpose))
            .filter(tokens::used_at.is_null()),
    )
    .set(tokens::used_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Pending invitations into an institution (not used, not expired).
pub fn pending_invitations(
    conn: &mut DbConn,
    institution_id: i32,
    now: NaiveDateTime,
) -> DbResult<Vec<Token>> {
    tokens::table
        .filter(tokens::purpose.eq(Purpose::InviteMember))
        .filter(tokens::institution_id.eq(institution_id))
        .filter(tokens::used_at.is_null())
        .filter(tokens::expires_at.gt(now))
        .order(tokens::id.asc())
        .select(Token::as_select())
        .load(conn)
}
