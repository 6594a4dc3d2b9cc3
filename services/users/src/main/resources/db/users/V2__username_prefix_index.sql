-- People found by the start of their username (GET /users?prefix=): LIKE 'an%' uses a btree index on PostgreSQL
-- only with the pattern operator class unless the database's collation is C (${patternOps}: text_pattern_ops there,
-- nothing on H2, whose indexes serve it as they are). The unique index stays for equality.
create index users_username_prefix on users (username ${patternOps});
