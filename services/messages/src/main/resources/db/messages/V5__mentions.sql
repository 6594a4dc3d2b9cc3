-- Mentions: a member named as @username in a message. The copy of memberships learns usernames from the rooms
-- service's events, so a mention is resolved here, among the room's members, without asking anyone.
alter table memberships add column username varchar(32);
create index memberships_usernames on memberships (room_id, username);
-- The mentioned users of a message, as posted or last edited (ids, comma-separated), for reads and frames.
alter table messages add column mentions varchar(2000);
-- One row per mention, for each user's unread mentions per room (seq after their read marker).
create table mentions (
    room_id uuid   not null,
    user_id uuid   not null,
    seq     bigint not null,
    primary key (room_id, user_id, seq)
);
