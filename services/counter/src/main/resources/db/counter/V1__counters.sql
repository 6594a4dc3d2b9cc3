-- Named counters in the embedded store (production counts in Redis with INCR instead).
create table counters (
    name  varchar(64) primary key,
    total bigint not null
);
insert into counters (name, total) values ('visits', 0);
