package babble.bench.baselines;

import io.javalin.Javalin;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The bare minimum on the same server library and settings as Babble's gateway (Javalin 7 on Jetty 12, virtual
 * threads): {@code GET /hello}, and a WebSocket broadcast ({@code /ws?room=X} sockets, {@code POST
 * /broadcast/X} sends the body to every socket of room X as one frame built once). Run as its own process.
 */
public final class BaselineServer {
    private BaselineServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Map<String, Set<Session>> rooms = new ConcurrentHashMap<>();
        Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.get("/hello", ctx -> ctx.contentType("application/json").result("{\"hello\":\"world\"}"));
            config.routes.post("/broadcast/{room}", ctx -> {
                String body = ctx.body();
                String text = body.substring(body.indexOf(":\"") + 2, body.lastIndexOf('"'));
                String frame = "{\"type\":\"message\",\"message\":{\"text\":\"" + text + "\"}}";
                for (Session session : rooms.getOrDefault(ctx.pathParam("room"), Set.of())) {
                    session.sendText(frame, Callback.NOOP);
                }
                ctx.status(204);
            });
            config.routes.ws("/ws", ws -> {
                ws.onConnect(ctx -> rooms.computeIfAbsent(ctx.queryParam("room"), r -> ConcurrentHashMap.newKeySet())
                        .add(ctx.session));
                ws.onClose(ctx -> rooms.getOrDefault(ctx.queryParam("room"), Set.of()).remove(ctx.session));
            });
        }).start("127.0.0.1", port);
        System.out.println("baseline ready on " + port);
    }
}
