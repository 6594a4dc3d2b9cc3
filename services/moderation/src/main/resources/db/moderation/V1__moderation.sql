-- A room owner's own rules; the global list is configuration (BABBLE_MODERATION_BLOCKED_WORDS).
create table rules (
    room_id       uuid           not null primary key,
    blocked_words varchar(20000) not null,   -- space-separated, lower-cased
    hold_words    varchar(20000) not null,
    hold_all      boolean        not null
);

-- Every post and comment moderation has seen, with its current decision. The primary key is what makes a
-- redelivered "created" event decide nothing twice.
create table items (
    id              uuid          not null primary key,
    kind            varchar(8)    not null,   -- post | comment
    post_id         uuid          not null,
    room_id         uuid          not null,
    author_id       uuid          not null,
    author_username varchar(32)   not null,
    author_name     varchar(64)   not null,
    text            varchar(100000) not null,  -- what the rules read: a post's title and body, a comment's text
    snapshot        varchar(200000) not null,  -- the item as created (JSON), carried on decisions for live clients
    created_at      timestamp with time zone not null,
    status          varchar(16)   not null,
    reason          varchar(1000),
    version         bigint        not null,   -- the number of decisions so far
    deleted         boolean       not null
);
create index items_queue on items (room_id, status, id);
create index items_post on items (post_id);

-- The append-only audit history: one row per decision, never updated.
create table decisions (
    item_id    uuid          not null,
    version    bigint        not null,
    status     varchar(16)   not null,
    decided_by varchar(40)   not null,   -- "rules" or the owner's user id
    reason     varchar(1000),
    decided_at timestamp with time zone not null,
    primary key (item_id, version)
);
