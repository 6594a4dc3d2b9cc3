package babble.gateway.domain;

import babble.platform.redis.Redis;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Who is online, across gateways: which gateways hold at least one socket of each user. A user is online from
 * the moment one gateway registers them until every gateway has let them go and a grace period has passed (a page
 * reload, a hop to another gateway, does not make anyone flicker offline), or until the gateways holding them stop
 * saying they are alive. Each method answers the transitions it caused, so exactly one caller announces each.
 *
 * <p>Times are given by the caller (milliseconds on a clock every gateway shares closely enough), so tests drive
 * them. {@link #local()} keeps it in this process (one gateway); {@link #shared(Redis)} in Redis, each change one
 * atomic script, so two gateways racing over one user never both announce, nor neither.
 */
public interface PresenceRegistry {

    /** A gateway holds a socket of the user now. True when that made the user online (announce it). */
    boolean arrive(UUID user, String gateway);

    /** The gateway holds no socket of the user any more; if no gateway does, the user goes offline at {@code offlineAt}. */
    void leave(UUID user, String gateway, long offlineAt);

    /**
     * The gateway is alive until {@code aliveUntil}. False when the registry did not know it (first beat, or the
     * registry lost it: Redis restarted, or the gateway was taken for dead): it must register its users again.
     */
    boolean heartbeat(String gateway, long aliveUntil);

    /**
     * Settles what is due at {@code now}: the users of gateways no longer alive leave (offline at
     * {@code deadGatewayOfflineAt}), and users whose grace ran out with no gateway holding them go offline.
     * Answers those that went offline (announce them).
     */
    List<UUID> sweep(long now, long deadGatewayOfflineAt);

    /** Which of these users are online. */
    Set<UUID> online(Collection<UUID> users);

    /** In this process only: for one gateway, or gateways that share no Redis (each then knows its own sockets). */
    static PresenceRegistry local() {
        return new Local();
    }

    /** In Redis, shared by every gateway of the deployment. */
    static PresenceRegistry shared(Redis redis) {
        return new Shared(redis);
    }

    final class Local implements PresenceRegistry {
        private final Map<UUID, Set<String>> gatewaysOf = new HashMap<>();
        private final Map<String, Set<UUID>> usersOf = new HashMap<>();
        private final Map<String, Long> aliveUntil = new HashMap<>();
        private final Map<UUID, Long> leaving = new HashMap<>();
        private final Set<UUID> online = new LinkedHashSet<>();

        @Override
        public synchronized boolean arrive(UUID user, String gateway) {
            gatewaysOf.computeIfAbsent(user, u -> new HashSet<>()).add(gateway);
            usersOf.computeIfAbsent(gateway, g -> new HashSet<>()).add(user);
            leaving.remove(user);
            return online.add(user);
        }

        @Override
        public synchronized void leave(UUID user, String gateway, long offlineAt) {
            var usersHere = usersOf.get(gateway);
            if (usersHere != null) {
                usersHere.remove(user);
            }
            letGo(user, gateway, offlineAt);
        }

        private void letGo(UUID user, String gateway, long offlineAt) {
            var gateways = gatewaysOf.get(user);
            if (gateways != null) {
                gateways.remove(gateway);
                if (gateways.isEmpty()) {
                    gatewaysOf.remove(user);
                }
            }
            if (!gatewaysOf.containsKey(user) && online.contains(user)) {
                leaving.put(user, offlineAt);
            }
        }

        @Override
        public synchronized boolean heartbeat(String gateway, long until) {
            return aliveUntil.put(gateway, until) == null;
        }

        @Override
        public synchronized List<UUID> sweep(long now, long deadGatewayOfflineAt) {
            for (var gateway : List.copyOf(aliveUntil.keySet())) {
                if (aliveUntil.get(gateway) <= now) {
                    aliveUntil.remove(gateway);
                    for (UUID user : usersOf.getOrDefault(gateway, Set.of())) {
                        letGo(user, gateway, deadGatewayOfflineAt);
                    }
                    usersOf.remove(gateway);
                }
            }
            var gone = new ArrayList<UUID>();
            for (var due = leaving.entrySet().iterator(); due.hasNext(); ) {
                var entry = due.next();
                if (entry.getValue() <= now) {
                    due.remove();
                    if (!gatewaysOf.containsKey(entry.getKey()) && online.remove(entry.getKey())) {
                        gone.add(entry.getKey());
                    }
                }
            }
            return gone;
        }

        @Override
        public synchronized Set<UUID> online(Collection<UUID> users) {
            var answer = new LinkedHashSet<UUID>();
            for (UUID user : users) {
                if (online.contains(user)) {
                    answer.add(user);
                }
            }
            return answer;
        }
    }

    /**
     * Keys under the deployment's namespace: {@code presence:online} (a set of users), {@code presence:user:<id>}
     * (the gateways holding that user), {@code presence:gateway:<id>} (the users it holds), {@code presence:gateways}
     * (gateway → alive until) and {@code presence:leaving} (user → offline at). The scripts build key names from a
     * prefix, which is fine on one Redis server (not on a Redis Cluster, where a user's keys would need hash tags).
     */
    final class Shared implements PresenceRegistry {
        private static final String ARRIVE = """
                local p, user, gateway = ARGV[1], ARGV[2], ARGV[3]
                redis.call('SADD', p .. 'user:' .. user, gateway)
                redis.call('SADD', p .. 'gateway:' .. gateway, user)
                redis.call('ZREM', p .. 'leaving', user)
                return redis.call('SADD', p .. 'online', user)""";
        private static final String LEAVE = """
                local p, user, gateway = ARGV[1], ARGV[2], ARGV[3]
                redis.call('SREM', p .. 'gateway:' .. gateway, user)
                redis.call('SREM', p .. 'user:' .. user, gateway)
                if redis.call('SCARD', p .. 'user:' .. user) == 0 and redis.call('SISMEMBER', p .. 'online', user) == 1 then
                  redis.call('ZADD', p .. 'leaving', ARGV[4], user)
                end
                return 0""";
        private static final String SWEEP = """
                local p, now = ARGV[1], tonumber(ARGV[2])
                for _, gateway in ipairs(redis.call('ZRANGEBYSCORE', p .. 'gateways', '-inf', now, 'LIMIT', 0, 10)) do
                  for _, user in ipairs(redis.call('SMEMBERS', p .. 'gateway:' .. gateway)) do
                    redis.call('SREM', p .. 'user:' .. user, gateway)
                    if redis.call('SCARD', p .. 'user:' .. user) == 0 and redis.call('SISMEMBER', p .. 'online', user) == 1 then
                      redis.call('ZADD', p .. 'leaving', ARGV[3], user)
                    end
                  end
                  redis.call('DEL', p .. 'gateway:' .. gateway)
                  redis.call('ZREM', p .. 'gateways', gateway)
                end
                local gone = {}
                for _, user in ipairs(redis.call('ZRANGEBYSCORE', p .. 'leaving', '-inf', now, 'LIMIT', 0, 1000)) do
                  redis.call('ZREM', p .. 'leaving', user)
                  if redis.call('SCARD', p .. 'user:' .. user) == 0 and redis.call('SREM', p .. 'online', user) == 1 then
                    table.insert(gone, user)
                  end
                end
                return gone""";

        private final Redis redis;
        private final String prefix;

        Shared(Redis redis) {
            this.redis = redis;
            this.prefix = redis.key("presence", "");
        }

        private <T> T run(String script, ScriptOutputType type, String... args) {
            String[] all = new String[args.length + 1];
            all[0] = prefix;
            System.arraycopy(args, 0, all, 1, args.length);
            return redis.commands().eval(script, type, new String[0], all);
        }

        @Override
        public boolean arrive(UUID user, String gateway) {
            Long added = run(ARRIVE, ScriptOutputType.INTEGER, user.toString(), gateway);
            return added == 1;
        }

        @Override
        public void leave(UUID user, String gateway, long offlineAt) {
            run(LEAVE, ScriptOutputType.INTEGER, user.toString(), gateway, Long.toString(offlineAt));
        }

        @Override
        public boolean heartbeat(String gateway, long until) {
            return redis.commands().zadd(prefix + "gateways", until, gateway) == 1;
        }

        @Override
        public List<UUID> sweep(long now, long deadGatewayOfflineAt) {
            List<String> gone = run(SWEEP, ScriptOutputType.MULTI, Long.toString(now), Long.toString(deadGatewayOfflineAt));
            return gone.stream().map(UUID::fromString).toList();
        }

        @Override
        public Set<UUID> online(Collection<UUID> users) {
            if (users.isEmpty()) {
                return Set.of();
            }
            var ids = users.stream().map(UUID::toString).toArray(String[]::new);
            List<Boolean> flags = redis.commands().smismember(prefix + "online", ids);
            var answer = new LinkedHashSet<UUID>();
            int i = 0;
            for (UUID user : users) {
                if (flags.get(i++)) {
                    answer.add(user);
                }
            }
            return answer;
        }
    }
}
