-- The read model of posts and comments (seed 002's query service), built only from the post and moderation
-- streams. Every row keeps the version of the newest event applied to it, so redelivered and reordered events
-- change nothing twice. Deleting this database and starting the service rebuilds it by replay.

-- What the model is: written once when this store is first built (a fresh store replays from the start).
create table read_model (
    name       varchar(64)  not null primary key,
    setting    varchar(200) not null
);

-- Rooms known to exist (room.created), so a list of an unknown room is a 404 without asking the rooms service.
create table rooms (
    id uuid not null primary key
);

create table posts (
    id              uuid          not null primary key,
    room_id         uuid          not null,
    author_id       uuid          not null,
    author_username varchar(32)   not null,
    author_name     varchar(64)   not null,
    title           varchar(600)  not null,
    body            varchar(80000),
    url             varchar(2000),
    tags            varchar(200)  not null,
    created_at      timestamp with time zone not null,
    score           bigint        not null,
    score_version   bigint        not null,   -- the post's version (posts service) its score is from
    hot             double precision not null, -- Reddit's hot rank, kept with every score change
    comment_count   bigint        not null,   -- approved comments
    status          varchar(16)   not null,
    reason          varchar(1000),
    status_version  bigint        not null,   -- moderation's decision count its status is from
    deleted         boolean       not null
);
create index posts_hot on posts (room_id, hot, id);
create index posts_top on posts (room_id, score, id);
create index posts_new on posts (room_id, id);

create table comments (
    id              uuid          not null primary key,
    post_id         uuid          not null,
    room_id         uuid          not null,
    parent_id       uuid,
    author_id       uuid          not null,
    author_username varchar(32)   not null,
    author_name     varchar(64)   not null,
    text            varchar(20000) not null,
    created_at      timestamp with time zone not null,
    status          varchar(16)   not null,
    reason          varchar(1000),
    status_version  bigint        not null
);
create index comments_post on comments (post_id, id);

create table votes (
    post_id uuid     not null,
    user_id uuid     not null,
    vote    smallint not null,
    version bigint   not null,
    primary key (post_id, user_id)
);

-- Decisions, also when one arrives before its item (the streams are read independently).
create table decisions (
    id             uuid        not null primary key,
    status         varchar(16) not null,
    reason         varchar(1000),
    version        bigint      not null
);
