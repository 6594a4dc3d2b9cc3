-- Rooms this service knows, with the last seq handed out (the row is the per-room sequence and its lock).
create table rooms (
    id       uuid primary key,
    last_seq bigint not null
);

-- This service's own copy of who is in which room, kept from the rooms service's events.
create table memberships (
    room_id uuid    not null,
    user_id uuid    not null,
    member  boolean not null,
    version bigint  not null,   -- the rooms service's membership version: newer wins, whatever the arrival order
    primary key (room_id, user_id)
);

create table messages (
    room_id         uuid         not null,
    seq             bigint       not null,
    id              uuid         not null,
    user_id         uuid         not null,
    username        varchar(32)  not null,
    text            varchar(8000) not null,   -- 4000 characters; room for UTF-16 surrogate pairs on H2
    created_at      timestamp with time zone not null,
    idempotency_key varchar(128),
    primary key (room_id, seq),
    constraint messages_id unique (id)
);
-- Retries with the same Idempotency-Key find the first message; rows without a key never collide (NULLs differ).
create unique index messages_idempotency on messages (room_id, user_id, idempotency_key);

create table read_markers (
    room_id       uuid   not null,
    user_id       uuid   not null,
    last_read_seq bigint not null,
    primary key (room_id, user_id)
);
