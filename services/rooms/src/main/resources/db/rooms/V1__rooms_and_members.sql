create table rooms (
    id                 uuid primary key,
    name               varchar(128)  not null,  -- 64 characters; room for UTF-16 surrogate pairs on H2
    topic              varchar(512),            -- 256 characters
    created_by         uuid          not null,
    created_at         timestamp with time zone not null,
    member_count       integer       not null,
    membership_version bigint        not null   -- grows with each join/leave; orders membership events
);

-- Members carry the name they had when they joined: the members list needs no call to the users service.
create table members (
    room_id      uuid         not null references rooms (id),
    user_id      uuid         not null,
    username     varchar(32)  not null,
    display_name varchar(128) not null,
    joined_at    timestamp with time zone not null,
    primary key (room_id, user_id)
);
create index members_user_id on members (user_id, room_id);
