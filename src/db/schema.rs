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
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_start -> Timestamp,
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

diesel::joinable!(users -> institutions (institution_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(audit_log -> users (actor_id));

diesel::allow_tables_to_appear_in_same_query!(
    institutions,
    users,
    tokens,
    sessions,
    outbox,
    login_throttle,
    audit_log,
);
