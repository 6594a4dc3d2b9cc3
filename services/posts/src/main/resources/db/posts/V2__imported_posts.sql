-- Imported posts (seed 004's reddit data): the key (the reddit name) makes a post once per room; the import id
-- names the batch of the import that created it, so a batch sent again after a worker died counts its posts as
-- created by it, not as already there. Posts written by people have neither (unique indexes let nulls repeat).
alter table posts add column import_key varchar(128);
alter table posts add column import_id uuid;
create unique index posts_import_key on posts (room_id, import_key);
