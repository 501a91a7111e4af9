// The schema shared by both backends (see diesel.toml). Column types are kept identical in
// migrations/sqlite and migrations/postgres so one set of queries serves both.

diesel::table! {
    institutions (id) {
        id -> Integer,
        name -> Text,
        kind -> Text,
        teryt -> Nullable<Text>,
        street -> Text,
        postal_code -> Text,
        city -> Text,
        contact_person -> Text,
        phone -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        anonymised_at -> Nullable<Timestamp>,
        name_key -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        institution_id -> Nullable<Integer>,
        affiliation -> Nullable<Text>,
        lang -> Text,
        email_verified_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        privacy_version -> Integer,
        anonymised_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tokens (id) {
        id -> Integer,
        purpose -> Text,
        token_hash -> Text,
        user_id -> Nullable<Integer>,
        institution_id -> Nullable<Integer>,
        email -> Nullable<Text>,
        created_by -> Nullable<Integer>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (key_hash) {
        key_hash -> Text,
        user_id -> Nullable<Integer>,
        state -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Integer,
        kind -> Text,
        to_email -> Text,
        to_name -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        user_id -> Nullable<Integer>,
        institution_id -> Nullable<Integer>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        message_id -> Text,
        claimed_by -> Nullable<Text>,
    }
}

diesel::table! {
    throttle (key) {
        key -> Text,
        hits -> Integer,
        window_end -> Timestamp,
        free_at -> Timestamp,
    }
}

diesel::table! {
    login_addresses (user_id, address) {
        user_id -> Integer,
        address -> Text,
        last_login_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        actor_id -> Nullable<Integer>,
        action -> Text,
        object_type -> Text,
        object_id -> Nullable<Integer>,
        details -> Text,
    }
}

diesel::table! {
    site_texts (id) {
        id -> Integer,
        entity -> Text,
        published_on -> Text,
        updated_on -> Text,
        prepared_on -> Text,
        contact_name -> Text,
        contact_email -> Text,
        contact_phone -> Text,
        a11y_pl -> Text,
        a11y_en -> Text,
        privacy_pl -> Text,
        privacy_en -> Text,
        updated_at -> Timestamp,
        updated_by -> Nullable<Integer>,
        privacy_version -> Integer,
    }
}

diesel::table! {
    privacy_consents (user_id, version) {
        user_id -> Integer,
        version -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    two_factor (user_id) {
        user_id -> Integer,
        secret -> Text,
        last_step -> BigInt,
        enabled_at -> Timestamp,
    }
}

diesel::table! {
    two_factor_recovery (user_id, code_hash) {
        user_id -> Integer,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    remembered_devices (token_hash) {
        token_hash -> Text,
        user_id -> Integer,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    two_factor_policy (id) {
        id -> Integer,
        required_for_staff -> Bool,
        updated_at -> Timestamp,
        updated_by -> Nullable<Integer>,
    }
}

diesel::joinable!(site_texts -> users (updated_by));
diesel::joinable!(users -> institutions (institution_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(two_factor -> users (user_id));
diesel::joinable!(two_factor_recovery -> users (user_id));
diesel::joinable!(remembered_devices -> users (user_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(login_addresses -> users (user_id));
diesel::joinable!(privacy_consents -> users (user_id));

diesel::table! {
    editions (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        name_en -> Text,
        year -> Integer,
        rules -> Text,
        rules_en -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        judging_deadline -> Timestamp,
        entries_per_category -> Integer,
        state -> Text,
        state_changed_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        blind_judging -> Bool,
        aggregation -> Text,
        tie_break_criterion_id -> Nullable<Integer>,
        show_scores -> Bool,
        protocol_finalised_at -> Nullable<Timestamp>,
        results_published_at -> Nullable<Timestamp>,
        publish_at -> Nullable<Timestamp>,
        publish_announce -> Bool,
        retention_years -> Integer,
    }
}

diesel::table! {
    categories (id) {
        id -> Integer,
        edition_id -> Integer,
        code -> Text,
        name -> Text,
        name_en -> Text,
        description -> Text,
        description_en -> Text,
        position -> Integer,
    }
}

diesel::table! {
    criteria (id) {
        id -> Integer,
        edition_id -> Integer,
        name -> Text,
        name_en -> Text,
        description -> Text,
        description_en -> Text,
        max_points -> Integer,
        weight -> Double,
        levels -> Text,
        levels_en -> Text,
        position -> Integer,
    }
}

diesel::table! {
    entries (id) {
        id -> Integer,
        edition_id -> Integer,
        category_id -> Integer,
        institution_id -> Integer,
        created_by -> Integer,
        title -> Text,
        summary -> Text,
        description -> Text,
        started_on -> Nullable<Date>,
        launched_on -> Nullable<Date>,
        budget -> Text,
        funding -> Text,
        partners -> Text,
        links -> Text,
        contact_name -> Text,
        contact_email -> Text,
        contact_phone -> Text,
        accepted_rules -> Bool,
        accepted_privacy -> Bool,
        status -> Text,
        submitted_at -> Nullable<Timestamp>,
        correction_until -> Nullable<Timestamp>,
        decision_note -> Text,
        decided_by -> Nullable<Integer>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        ref_seq -> Nullable<Integer>,
        ref_no -> Nullable<Text>,
        title_key -> Nullable<Text>,
    }
}

diesel::table! {
    attachments (id) {
        id -> Integer,
        entry_id -> Integer,
        original_name -> Text,
        stored_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        uploaded_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    juror_categories (id) {
        id -> Integer,
        edition_id -> Integer,
        juror_id -> Integer,
        category_id -> Integer,
    }
}

diesel::table! {
    assignments (id) {
        id -> Integer,
        edition_id -> Integer,
        entry_id -> Integer,
        juror_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    declarations (id) {
        id -> Integer,
        edition_id -> Integer,
        juror_id -> Integer,
        accepted_at -> Timestamp,
    }
}

diesel::table! {
    conflicts (id) {
        id -> Integer,
        edition_id -> Integer,
        juror_id -> Integer,
        institution_id -> Integer,
        reason -> Text,
        declared_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reviews (id) {
        id -> Integer,
        edition_id -> Integer,
        entry_id -> Integer,
        juror_id -> Integer,
        comment -> Text,
        status -> Text,
        total -> Nullable<Double>,
        submitted_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    scores (id) {
        id -> Integer,
        review_id -> Integer,
        criterion_id -> Integer,
        points -> Integer,
    }
}

diesel::table! {
    awards (id) {
        id -> Integer,
        edition_id -> Integer,
        category_id -> Integer,
        entry_id -> Integer,
        award -> Text,
        ex_aequo -> Bool,
        decided_by -> Integer,
        decided_at -> Timestamp,
        position -> Integer,
    }
}

diesel::table! {
    jury_chain (id) {
        id -> Integer,
        edition_id -> Integer,
        seq -> Integer,
        at -> Timestamp,
        kind -> Text,
        payload -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(jury_chain -> editions (edition_id));
diesel::joinable!(categories -> editions (edition_id));
diesel::joinable!(assignments -> entries (entry_id));
diesel::joinable!(reviews -> entries (entry_id));
diesel::joinable!(scores -> reviews (review_id));
diesel::joinable!(scores -> criteria (criterion_id));
diesel::joinable!(awards -> entries (entry_id));
diesel::joinable!(conflicts -> institutions (institution_id));
diesel::joinable!(juror_categories -> categories (category_id));
diesel::joinable!(criteria -> editions (edition_id));
diesel::joinable!(entries -> editions (edition_id));
diesel::joinable!(entries -> categories (category_id));
diesel::joinable!(entries -> institutions (institution_id));
diesel::joinable!(attachments -> entries (entry_id));

diesel::table! {
    /// Raised after every write that may change a signed-in page (migration `list_version`).
    list_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    list_version,
    two_factor,
    two_factor_recovery,
    remembered_devices,
    two_factor_policy,
    institutions,
    users,
    tokens,
    sessions,
    outbox,
    throttle,
    login_addresses,
    audit_log,
    site_texts,
    privacy_consents,
    editions,
    categories,
    criteria,
    entries,
    attachments,
    juror_categories,
    assignments,
    declarations,
    conflicts,
    reviews,
    scores,
    awards,
    jury_chain,
);

// Organisers' email settings and digest (issue 13): its own block to ease merging.
diesel::table! {
    organiser_mail (user_id) {
        user_id -> Integer,
        digest -> Bool,
        juror_done -> Bool,
        digest_day -> Nullable<Text>,
        digest_since -> Timestamp,
    }
}

diesel::joinable!(organiser_mail -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(organiser_mail, users);
