-- Rooms whose owner turned the MQTT bridge on, and the last seq of each published to the broker: the bridge
-- publishes every message after it, in seq order, whatever order the bus hands them over in.
create table bridged_rooms (
    room_id     uuid    not null primary key,
    enabled     boolean not null,
    last_seq    bigint  not null,
    changed_by  uuid    not null,
    changed_at  timestamp with time zone not null
);
