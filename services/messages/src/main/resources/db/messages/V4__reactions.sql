-- Who gave which emoji to which message: one row each, so giving it twice is one row (idempotent) and counts are
-- a group by over the message's rows (served by the primary key's prefix).
create table reactions (
    room_id    uuid        not null,
    seq        bigint      not null,
    emoji      varchar(32) not null,
    user_id    uuid        not null,
    reacted_at timestamp with time zone not null,
    primary key (room_id, seq, emoji, user_id)
);
