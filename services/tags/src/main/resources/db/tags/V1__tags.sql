-- Seed 004's tags service: users' topic preferences and their private labels on posts.

-- The number of changes of a user's topic preferences (the version TopicsChanged carries); its row is also the
-- lock two concurrent changes of the same user take turns on.
create table topic_versions (
    user_id uuid   not null primary key,
    version bigint not null
);

-- A user's topics: each tag followed or muted, never both (the key is the user and the tag).
create table topics (
    user_id    uuid        not null,
    tag        varchar(32) not null,
    preference varchar(6)  not null,   -- follow | mute
    primary key (user_id, tag)
);

-- The number of changes of a user's labels on one post (the version LabelsChanged carries), kept when the labels
-- are all removed so the version never goes back.
create table label_versions (
    user_id uuid   not null,
    post_id uuid   not null,
    version bigint not null,
    primary key (user_id, post_id)
);

create table labels (
    user_id     uuid        not null,
    post_id     uuid        not null,
    tag         varchar(32) not null,
    labelled_at timestamp with time zone not null,
    primary key (user_id, post_id, tag)
);
-- "Posts I labelled so", newest label first, paged by (time, post id).
create index labels_by_tag on labels (user_id, tag, labelled_at, post_id);
