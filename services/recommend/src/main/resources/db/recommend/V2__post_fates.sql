-- Where a post's two streams (posts and moderation, consumed independently) meet: every event about a post locks
-- its row first, so a deletion and a decision applied at the same moment take turns and the second sees the first.
-- It also says whether the post was deleted for good, which deleted_posts said before.
create table post_fates (
    id      uuid    not null primary key,
    deleted boolean not null
);
insert into post_fates (id, deleted) select id, true from deleted_posts;
drop table deleted_posts;
