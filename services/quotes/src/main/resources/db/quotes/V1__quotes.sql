-- The bundled quotes (see NOTICE); filled by V2, a Java migration that reads quotes/fortunes.tsv.
create table quotes (
    id         integer      primary key,   -- dense 1..N: a random quote is one random offset
    author     varchar(120) not null,
    text       varchar(800) not null,
    collection varchar(32)  not null       -- the fortune file it came from (art, science, people...)
);
