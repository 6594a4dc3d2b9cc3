create table users (
    id            uuid primary key,
    username      varchar(32)  not null,
    display_name  varchar(128) not null,   -- 64 characters; room for UTF-16 surrogate pairs on H2
    password_hash varchar(255),            -- null for system users (the bot), who cannot log in
    created_at    timestamp with time zone not null,
    constraint users_username unique (username)
);

-- Sessions when tokens are kept in the database (the default; Redis in production). Only a token's hash is kept.
create table sessions (
    token_hash varchar(64) primary key,
    user_id    uuid not null references users (id),
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null
);
create index sessions_user_id on sessions (user_id);
create index sessions_expires_at on sessions (expires_at);
