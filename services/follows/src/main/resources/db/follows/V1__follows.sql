-- This service's own copy of user profiles (from user.registered events, or asked from users on a miss).
create table users (
    id           uuid primary key,
    username     varchar(32)  not null,
    display_name varchar(128) not null
);

create table follows (
    follower_id uuid not null,
    followee_id uuid not null,
    created_at  timestamp with time zone not null,
    primary key (follower_id, followee_id)
);
-- "following" pages walk the primary key's prefix; "followers" pages walk this one. Newest first, then by id.
create index follows_following on follows (follower_id, created_at, followee_id);
create index follows_followers on follows (followee_id, created_at, follower_id);
