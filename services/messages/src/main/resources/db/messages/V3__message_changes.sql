-- Edits and deletions. A room's changes are numbered 1, 2, 3... (rooms.last_change, taken under the room row's
-- lock like seqs) and each message remembers the number of its latest change, so a live client that resumes from
-- change C is sent exactly the messages changed after C, each once as it is now.
alter table rooms add column last_change bigint not null default 0;
alter table messages add column edited_at timestamp with time zone;
alter table messages add column deleted boolean not null default false;
alter table messages add column change bigint not null default 0;
create index messages_changes on messages (room_id, change);
