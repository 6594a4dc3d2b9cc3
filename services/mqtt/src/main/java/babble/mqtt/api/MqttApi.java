package babble.mqtt.api;

import babble.contracts.api.MqttBridge;
import babble.contracts.api.MqttBridgeRequest;
import babble.mqtt.domain.Topics;
import babble.mqtt.store.BridgeStore;
import babble.platform.db.Database;
import babble.platform.http.Requests;
import babble.platform.identity.Identity;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.UUID;

/** {@code GET/PUT /rooms/{id}/mqtt}: the room's owner turns the bridge on or off (docs/API.md, "MQTT bridge"). */
public final class MqttApi {
    private final Database db;
    private final BridgeStore store;
    private final Services services;
    private final Topics topics;
    private final Clock clock;
    private final String broker;

    public MqttApi(Database db, BridgeStore store, Services services, Topics topics, Clock clock, String broker) {
        this.broker = broker;
        this.db = db;
        this.store = store;
        this.services = services;
        this.topics = topics;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/rooms/{id}/mqtt", this::get);
        routes.put("/api/v1/rooms/{id}/mqtt", this::put);
    }

    private void get(Context ctx) {
        UUID roomId = ownedRoom(ctx).roomId();
        boolean enabled = db.withHandle(h -> store.enabled(h, roomId)).orElse(false);
        ctx.json(new MqttBridge(enabled, topics.of(roomId), broker));
    }

    private void put(Context ctx) {
        var request = Requests.body(ctx, MqttBridgeRequest.class);
        if (request.enabled() == null) {
            throw new InvalidField("enabled", "is required (true or false)");
        }
        Identity caller = Requests.identity(ctx);
        var room = ownedRoom(ctx);
        UUID roomId = room.roomId();
        if (request.enabled() && room.privateRoom()) {
            throw new InvalidField("enabled", "a private room is not bridged: anyone on the broker could read it");
        }
        // Turned on, the bridge publishes what comes after the room's last message now.
        long from = request.enabled() ? services.replay(roomId, Long.MAX_VALUE, 1).lastSeq() : 0;
        db.useTransaction(tx -> store.set(tx, roomId, request.enabled(), from, caller.requireUser(), clock.instant()));
        ctx.json(new MqttBridge(request.enabled(), topics.of(roomId), broker));
    }

    private babble.contracts.internal.RoomAccess ownedRoom(Context ctx) {
        UUID userId = Requests.userId(ctx);
        UUID roomId = Requests.id(ctx, "id", "room");
        var access = services.access(roomId, userId);
        if (!access.owner()) {
            throw new Forbidden("only the room's owner can bridge it to MQTT");
        }
        return access;
    }
}
