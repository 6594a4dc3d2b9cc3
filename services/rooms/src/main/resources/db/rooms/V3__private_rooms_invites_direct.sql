-- Private rooms are not listed and only their members, and those they invited, may see or join them. A direct room
-- is private with exactly its two users; dm_key (the two user ids, smaller first) makes it one room per pair.
alter table rooms add column visibility varchar(8) not null default 'public';
alter table rooms add column dm_key varchar(73);
create unique index rooms_dm_key on rooms (dm_key);
create index rooms_public on rooms (visibility, id);

create table invites (
    room_id    uuid not null references rooms (id),
    user_id    uuid not null,
    invited_by uuid not null,
    invited_at timestamp with time zone not null,
    primary key (room_id, user_id)
);
