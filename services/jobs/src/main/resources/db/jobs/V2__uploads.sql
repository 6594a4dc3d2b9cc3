-- Uploads: a file arriving in parts through any jobs process (the bytes go to the files directory every process
-- sees; this row says how far it got), until it becomes a job's input. The sweep deletes an upload, file and row,
-- once its job has ended, or when it was abandoned.
create table uploads (
    id            uuid          not null primary key,
    owner_id      uuid          not null,
    owner_name    varchar(64),              -- the owner's username: an import writes its posts as them
    room_id       uuid          not null,
    format        varchar(16)   not null,
    parts         integer       not null,   -- parts received (numbered from 0)
    bytes         bigint        not null,   -- bytes received
    last_part_at  bigint        not null,   -- where the last part starts: the same part sent again is written there
    job_id        uuid,                     -- the job it is the input of
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null
);
create index uploads_updated on uploads (updated_at);
create index uploads_job on uploads (job_id);

-- An import's checkpoint and result carry up to 100 skipped lines with their reasons.
alter table jobs alter column checkpoint set data type varchar(32000);
alter table jobs alter column result set data type varchar(32000);
