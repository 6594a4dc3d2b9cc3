-- Posts, comments and votes: the write side. Moderation and reads live in other services (moderation, query),
-- which follow this one by its events.
create table posts (
    id               uuid          not null primary key,
    room_id          uuid          not null,
    author_id        uuid          not null,
    author_username  varchar(32)   not null,
    author_name      varchar(64)   not null,
    title            varchar(600)  not null,    -- 300 characters; room for UTF-16 surrogate pairs on H2
    body             varchar(80000),
    url              varchar(2000),
    tags             varchar(200)  not null,    -- comma-separated; tags have no commas
    created_at       timestamp with time zone not null,
    score            bigint        not null,
    version          bigint        not null,    -- grows with every change (vote, deletion): newest wins downstream
    deleted          boolean       not null,
    idempotency_key  varchar(128)
);
create unique index posts_idempotency on posts (room_id, author_id, idempotency_key);

create table comments (
    id               uuid          not null primary key,
    post_id          uuid          not null,
    room_id          uuid          not null,
    parent_id        uuid,
    author_id        uuid          not null,
    author_username  varchar(32)   not null,
    author_name      varchar(64)   not null,
    text             varchar(20000) not null,
    created_at       timestamp with time zone not null,
    idempotency_key  varchar(128)
);
create index comments_post on comments (post_id);
create unique index comments_idempotency on comments (post_id, author_id, idempotency_key);

create table votes (
    post_id uuid     not null,
    user_id uuid     not null,
    vote    smallint not null,
    primary key (post_id, user_id)
);
