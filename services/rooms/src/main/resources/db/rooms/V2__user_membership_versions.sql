-- Per user, how many membership changes (joins and leaves) there have been: a version that services keeping a
-- copy of memberships compare with the one in a caller's signed identity, so a user's own change is never
-- answered from a copy that has not applied it yet (read-your-writes).
create table user_membership_versions (
    user_id uuid   primary key,
    version bigint not null
);
