-- Which process relays this database's outbox: with several replicas of a service (jobs), one relays at a time,
-- so each event is published once and live listeners (which see every publish) get it once.
create table outbox_relay_lease (
    name    varchar(40)  not null primary key,
    owner   varchar(100) not null,
    until   timestamp with time zone not null
);
insert into outbox_relay_lease (name, owner, until) values ('relay', 'nobody', timestamp with time zone '2000-01-01 00:00:00+00');
