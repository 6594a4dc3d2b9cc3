package babble.gateway;

import babble.gateway.api.PublicApi;
import babble.gateway.api.Proxy;
import babble.gateway.domain.Authenticator;
import babble.gateway.domain.MyRooms;
import babble.gateway.events.SessionRevocations;
import babble.platform.Chassis;
import babble.platform.Service;

/** The only public surface: checks tokens, routes each public call to the service that owns it. */
public final class GatewayService implements Service {

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void start(Chassis chassis) {
        var config = GatewayConfig.from(chassis.config());
        var users = chassis.client("users");
        var rooms = chassis.client("rooms");
        var messages = chassis.client("messages");
        var authenticator = new Authenticator(users, config.tokenCacheTtl(), config.tokenCacheSize(), chassis.clock());
        var proxy = new Proxy(chassis.name());
        var api = new PublicApi(authenticator, proxy, users, rooms, messages, new MyRooms(rooms, messages));

        chassis.servePublicly();
        chassis.http(api::register);
        chassis.onStop(new SessionRevocations(chassis.bus(), authenticator).start());
    }
}
