//! Organisers' pages: users, the email outbox, the audit log.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::db::outbox::{self, Message, MessageRow};
use crate::db::users::{self, UserFilter, UserRow};
use crate::domain::audit as audit_words;
use crate::domain::mail::OutboxStatus;
use crate::domain::roles::Role;
use crate::services::accounts::{self, DisableOutcome};
use crate::services::admin;
use crate::services::two_factor::{self, ResetOutcome};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::Form;
use crate::web::pages::auth::TokenForm;
use crate::web::pages::confirm::ConfirmForm;
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::{Pager, SelectOption, options, params};
use crate::web::render::{page, redirect};

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    rows: Vec<UserRow>,
    q: String,
    roles: Vec<SelectOption>,
    pager: Pager,
    me: i32,
    /// Users on this page with two-factor sign-in on.
    with_two_factor: std::collections::HashSet<i32>,
    /// The site-wide rule: organisers and jurors must use it.
    two_factor_required: bool,
}

impl UsersPage {
    fn has_two_factor(&self, id: &i32) -> bool {
        self.with_two_factor.contains(id)
    }
}

pub async fn users(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let p = params(&req);
    let role = Role::parse(&p.role);
    let q = p.q.trim().chars().take(100).collect::<String>();
    let filter = UserFilter {
        role,
        query: (!q.is_empty()).then(|| q.clone()),
        page: p.page_request(ctx.state.config.page_size),
    };
    let (rows, paging, with_two_factor, two_factor_required) = ctx
        .state
        .db
        .run(move |c| {
            let (rows, paging) = users::list(c, &filter)?;
            let ids: Vec<i32> = rows.iter().map(|r| r.user.id).collect();
            let on = crate::db::two_factor::enabled_among(c, &ids)?;
            let required = two_factor::required_for_staff(c)?;
            Ok((rows, paging, on, required))
        })
        .await?;
    let layout = ctx.layout();
    let role_code = role.map(Role::as_str).unwrap_or_default();
    let roles = options(
        std::iter::once(("", layout.t("users.all_roles"))).chain(
            Role::ALL
                .iter()
                .map(|r| (r.as_str(), layout.t(r.label_key()))),
        ),
        role_code,
    );
    page(&UsersPage {
        layout,
        rows,
        q,
        roles,
        pager: Pager::new(paging, req.query_string()),
        me,
        with_two_factor,
        two_factor_required,
    })
}

async fn set_disabled(ctx: Ctx, id: i32, disabled: bool) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let now = ctx.now();
    let outcome = ctx
        .state
        .db
        .run(move |c| accounts::set_disabled(c, me, id, disabled, now))
        .await?;
    match outcome {
        DisableOutcome::Done => ctx.flash(if disabled {
            "flash.user_disabled"
        } else {
            "flash.user_enabled"
        }),
        DisableOutcome::Yourself => ctx.flash("flash.not_yourself"),
        DisableOutcome::Erased => ctx.flash("flash.erased_stays_blocked"),
        DisableOutcome::NotFound => return Err(AppError::NotFound),
    }
    Ok(redirect(&urls::admin_users()))
}

/// The confirmation before an account is blocked: whose, and what it does (no sign-in, its
/// sessions end); refused (no button) for one's own account or one already blocked.
pub async fn disable_user_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    let u = ctx
        .state
        .db
        .run(move |c| Ok(users::find(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let l = ctx.lang;
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("confirm.disable_title"),
        urls::admin_user_disable(id),
    )
    .lead(u.name.clone())
    .detail(l.t("confirm.disable_email"), u.email.clone())
    .detail(l.t("users.role"), l.t(u.role.label_key()))
    .button(l.t("users.disable"))
    .back(urls::admin_users(), l.t("confirm.disable_back"));
    if u.id == me {
        p = p.refused(l.t("flash.not_yourself"));
    } else if u.disabled_at.is_some() {
        p = p.refused(l.t("confirm.disable_already"));
    } else {
        p = p
            .effect(l.t("confirm.disable_effect"))
            .effect(l.t("confirm.disable_undo"));
    }
    p.render()
}

/// The confirmed block; without `confirm=yes` it only leads to the confirmation.
pub async fn disable_user(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    if f.confirm != "yes" {
        return Ok(redirect(&urls::admin_user_disable(id)));
    }
    set_disabled(ctx, id, true).await
}

pub async fn enable_user(
    ctx: Ctx,
    id: web::Path<i32>,
    _f: Form<TokenForm>,
) -> Result<HttpResponse, AppError> {
    set_disabled(ctx, id.into_inner(), false).await
}

#[derive(serde::Deserialize, Default, Debug)]
#[serde(default)]
pub struct PolicyForm {
    pub required: String,
    pub confirm: String,
}

#[derive(serde::Deserialize, Default, Debug)]
#[serde(default)]
pub struct PolicyQuery {
    pub required: String,
}

/// The confirmation before the site-wide rule changes: what it does and how many organisers'
/// and jurors' accounts it touches (how many still have to set the second factor up).
pub async fn two_factor_policy_get(
    ctx: Ctx,
    q: web::Query<PolicyQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let required = q.required == "yes";
    let plan = ctx.state.db.run(two_factor::policy_plan).await?;
    let l = ctx.lang;
    let title = if required {
        "confirm.two_factor_policy_on_title"
    } else {
        "confirm.two_factor_policy_off_title"
    };
    let mut p = ConfirmPage::new(&ctx, l.t(title), urls::admin_two_factor_policy())
        .hidden("required", if required { "yes" } else { "no" })
        .detail(
            l.t("confirm.two_factor_policy_staff"),
            plan.staff.to_string(),
        )
        .detail(
            l.t("confirm.two_factor_policy_without"),
            plan.without.to_string(),
        )
        .button(l.t(if required {
            "confirm.two_factor_policy_on_button"
        } else {
            "confirm.two_factor_policy_off_button"
        }))
        .back(urls::admin_users(), l.t("confirm.disable_back"));
    if plan.required == required {
        p = p.refused(l.t(if required {
            "confirm.two_factor_policy_already_on"
        } else {
            "confirm.two_factor_policy_already_off"
        }));
    } else if required {
        p = p
            .effect(l.t("confirm.two_factor_policy_on_effect"))
            .effect(l.tn("confirm.two_factor_policy_on_count", plan.without))
            .effect(l.t("confirm.two_factor_policy_on_self"));
    } else {
        p = p
            .effect(l.t("confirm.two_factor_policy_off_effect"))
            .effect(l.t("confirm.two_factor_policy_off_kept"));
    }
    p.render()
}

/// The confirmed rule; without `confirm=yes` it only leads to the confirmation.
pub async fn two_factor_policy(
    ctx: Ctx,
    Form(f): Form<PolicyForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let required = f.required == "yes";
    let confirmation = format!(
        "{}?required={}",
        urls::admin_two_factor_policy(),
        if required { "yes" } else { "no" }
    );
    if f.confirm != "yes" {
        return Ok(redirect(&confirmation));
    }
    let now = ctx.now();
    let changed = ctx
        .state
        .db
        .run(move |c| two_factor::set_policy(c, me, required, now))
        .await?;
    if !changed {
        // Already so (another organiser, another tab): the page says it.
        return Ok(redirect(&confirmation));
    }
    ctx.flash(if required {
        "flash.two_factor_required"
    } else {
        "flash.two_factor_not_required"
    });
    Ok(redirect(&urls::admin_users()))
}

/// The confirmation before a user's second factor is reset: whose, and what it does.
pub async fn two_factor_reset_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    let (u, on) = ctx
        .state
        .db
        .run(move |c| Ok((users::find(c, id)?, two_factor::is_on(c, id)?)))
        .await?;
    let u = u.ok_or(AppError::NotFound)?;
    let l = ctx.lang;
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("confirm.two_factor_reset_title"),
        urls::admin_user_two_factor_reset(id),
    )
    .lead(u.name.clone())
    .detail(l.t("confirm.disable_email"), u.email.clone())
    .detail(l.t("users.role"), l.t(u.role.label_key()))
    .button(l.t("users.two_factor_reset"))
    .back(urls::admin_users(), l.t("confirm.disable_back"));
    if id == me {
        p = p.refused(l.t("confirm.two_factor_reset_own"));
    } else if on {
        p = p
            .effect(l.t("confirm.two_factor_reset_effect"))
            .effect(l.t("confirm.two_factor_reset_mail"));
    } else {
        p = p.refused(l.t("confirm.two_factor_reset_off"));
    }
    p.render()
}

/// The confirmed reset; without `confirm=yes` it only leads to the confirmation.
pub async fn two_factor_reset(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    if f.confirm != "yes" {
        return Ok(redirect(&urls::admin_user_two_factor_reset(id)));
    }
    let now = ctx.now();
    let outcome = ctx
        .state
        .db
        .run(move |c| two_factor::reset(c, Some(me), id, now))
        .await?;
    match outcome {
        ResetOutcome::Done => {
            ctx.state.wake_mailer();
            ctx.flash("flash.two_factor_reset");
        }
        ResetOutcome::NotOn => ctx.flash("confirm.two_factor_reset_off"),
        ResetOutcome::NotFound => return Err(AppError::NotFound),
        // The confirmation page says why, with no button.
        ResetOutcome::OwnAccount => return Ok(redirect(&urls::admin_user_two_factor_reset(id))),
    }
    Ok(redirect(&urls::admin_users()))
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    layout: Layout,
    rows: Vec<MessageRow>,
    counts: Vec<(OutboxStatus, i64)>,
    statuses: Vec<SelectOption>,
    pager: Pager,
    smtp_configured: bool,
}

impl OutboxPage {
    fn status_label(&self, s: &OutboxStatus) -> &'static str {
        self.layout.t(s.label_key())
    }
}

pub async fn outbox(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let p = params(&req);
    let status = OutboxStatus::parse(&p.status);
    let page_req = p.page_request(ctx.state.config.page_size);
    let list = ctx
        .state
        .db
        .run(move |c| admin::outbox_list(c, status, page_req))
        .await?;
    let layout = ctx.layout();
    let code = status.map(OutboxStatus::as_str).unwrap_or("");
    let statuses = options(
        std::iter::once(("", layout.t("outbox.all"))).chain(
            OutboxStatus::ALL
                .iter()
                .map(|s| (s.as_str(), layout.t(s.label_key()))),
        ),
        code,
    );
    page(&OutboxPage {
        layout,
        rows: list.rows,
        counts: list.counts,
        statuses,
        pager: Pager::new(list.paging, req.query_string()),
        smtp_configured: ctx.state.config.smtp_url.is_some(),
    })
}

#[derive(Template)]
#[template(path = "admin/outbox_message.html")]
struct MessagePage {
    layout: Layout,
    m: Message,
    status: &'static str,
}

impl MessagePage {
    /// The text as sent, with the secrets of its links hidden: an organiser must not be able to
    /// use someone else's reset or invitation link.
    fn body(&self) -> String {
        crate::domain::token::redact(&self.m.body_text)
    }
}

pub async fn outbox_message(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let m = ctx
        .state
        .db
        .run(move |c| Ok(outbox::find(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let layout = ctx.layout();
    let status = layout.t(m.status.label_key());
    page(&MessagePage { layout, m, status })
}

pub async fn outbox_retry(
    ctx: Ctx,
    id: web::Path<i32>,
    _f: Form<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    let now = ctx.now();
    let found = ctx
        .state
        .db
        .run(move |c| admin::retry(c, me, id, now))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    ctx.state.wake_mailer();
    ctx.flash("flash.requeued");
    Ok(redirect(&urls::admin_outbox()))
}

/// One row of the log as the page shows it: in words, in the reader's language.
struct AuditLine {
    at: chrono::NaiveDateTime,
    actor: Option<String>,
    event: Vec<String>,
    details: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<AuditLine>,
    actions: Vec<SelectOption>,
    filtered: bool,
    pager: Pager,
}

pub async fn audit(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let p = params(&req);
    let page_req = p.page_request(ctx.state.config.page_size);
    let wanted = p.action.trim().to_string();
    let object_type = ["entry", "edition", "user", "institution", "outbox"]
        .into_iter()
        .find(|t| *t == p.object)
        .map(str::to_string);
    let object_id = p.id.parse::<i32>().ok();
    let filtered = object_type.is_some() || object_id.is_some();
    let list = ctx
        .state
        .db
        .run(move |c| admin::audit_list(c, &wanted, object_type, object_id, page_req))
        .await?;
    let layout = ctx.layout();
    let l = layout.lang;
    let selected = list.action.clone().unwrap_or_default();
    // The kinds by their words, in the reader's alphabetical order.
    let mut kinds: Vec<(String, String)> = list
        .actions
        .iter()
        .map(|a| (a.clone(), audit_words::kind_label(a, l)))
        .collect();
    kinds.sort_by_cached_key(|(_, label)| l.sort_key(label));
    let actions = options(
        std::iter::once(("", layout.t("audit.all")))
            .chain(kinds.iter().map(|(a, label)| (a.as_str(), label.as_str()))),
        &selected,
    );
    let rows = list
        .rows
        .iter()
        .map(|r| {
            let d = audit_words::describe(
                &r.action,
                &r.object_type,
                r.object_id,
                &r.details,
                &list.names,
                l,
            );
            AuditLine {
                at: r.at,
                actor: r.actor.as_ref().map(|(name, email)| {
                    if name.trim().is_empty() {
                        email.clone()
                    } else {
                        format!("{name} ({email})")
                    }
                }),
                event: d.event,
                details: d.details,
            }
        })
        .collect();
    page(&AuditPage {
        layout,
        rows,
        actions,
        filtered: filtered || list.action.is_some(),
        pager: Pager::new(list.paging, req.query_string()),
    })
}
