-- The user's membership version (see the rooms service) at which each copied membership was known to hold: a
-- caller whose signed identity names a later version has changed memberships since, so the copy is not trusted
-- for that caller until it has caught up (read-your-writes).
alter table memberships add column user_version bigint not null default 0;
