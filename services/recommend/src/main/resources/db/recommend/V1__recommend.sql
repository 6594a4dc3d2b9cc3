-- Seed 004's recommend service: a read model built only from events (posts, moderation, rooms, follows, topic
-- preferences). Every row keeps the version of the newest event applied to it where the events carry one, so
-- redelivered and reordered events change nothing twice.

-- Posts as the feed ranks them; visible = approved (a deleted post is removed). hot is Reddit's rank of the
-- current score, kept with every score change.
create table posts (
    id             uuid             not null primary key,
    room_id        uuid             not null,
    author_id      uuid             not null,
    created_at     timestamp with time zone not null,
    score          bigint           not null,
    score_version  bigint           not null,   -- the post's version (posts service) its score is from
    hot            double precision not null,
    status         varchar(16)      not null,
    status_version bigint           not null,   -- moderation's decision count its status is from (0: at creation)
    visible        boolean          not null
);
-- The feed's "joined rooms" and "followed people" sources, each walked from its hottest post.
create index posts_room_hot on posts (room_id, visible, hot, id);
create index posts_author_hot on posts (author_id, visible, hot, id);

-- A post's tags, with the post's sort keys copied so each topic listing (and the feed's topic source) is one
-- index range.
create table post_tags (
    post_id    uuid             not null,
    tag        varchar(32)      not null,
    created_at timestamp with time zone not null,
    score      bigint           not null,
    hot        double precision not null,
    visible    boolean          not null,
    primary key (post_id, tag)
);
create index post_tags_hot on post_tags (tag, visible, hot, post_id);
create index post_tags_new on post_tags (tag, visible, created_at, post_id);
create index post_tags_top on post_tags (tag, visible, score, post_id);

-- The newest score of a post whose votes arrived before the post itself; taken when the post arrives.
create table early_scores (
    post_id uuid   not null primary key,
    score   bigint not null,
    version bigint not null
);

-- Posts deleted for good, so that a late or redelivered event never brings one back.
create table deleted_posts (
    id uuid not null primary key
);

-- Who is in which room (rows of former members stay, with the version of their leave).
create table memberships (
    room_id    uuid    not null,
    user_id    uuid    not null,
    member     boolean not null,
    version    bigint  not null,   -- the room's membership change count (rooms service)
    changed_at timestamp with time zone not null,
    primary key (room_id, user_id)
);
create index memberships_by_user on memberships (user_id, member, changed_at);

create table follows (
    follower_id uuid not null,
    followee_id uuid not null,
    followed_at timestamp with time zone not null,
    primary key (follower_id, followee_id)
);
create index follows_by_follower on follows (follower_id, followed_at);

-- Users' topic preferences (follow or mute), with the version of the newest change applied.
create table topic_versions (
    user_id uuid   not null primary key,
    version bigint not null
);
create table topics (
    user_id    uuid        not null,
    tag        varchar(32) not null,
    preference varchar(6)  not null,   -- follow | mute
    primary key (user_id, tag)
);
