package babble.platform.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings named {@code BABBLE_*}, looked up in layers (command-line overrides, the environment, a launcher's
 * defaults) and, for a service, first under the service's own prefix ({@code BABBLE_USERS_PORT} before
 * {@code BABBLE_PORT}). A bad value fails with the setting's name.
 */
public final class Config {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final List<Map<String, String>> layers;
    private final String service;

    private Config(List<Map<String, String>> layers, String service) {
        this.layers = layers;
        this.service = service;
    }

    /** Layers in order of precedence: the first that has a setting wins. */
    @SafeVarargs
    public static Config of(Map<String, String>... layers) {
        return new Config(List.of(layers).stream().map(Map::copyOf).toList(), null);
    }

    public static Config fromEnvironment() {
        return of(System.getenv());
    }

    /** The same settings seen by one service: {@code BABBLE_<SERVICE>_<KEY>} wins over {@code BABBLE_<KEY>}. */
    public Config forService(String name) {
        return new Config(layers, name);
    }

    /** A copy with one more layer in front (wins over every existing layer). */
    public Config withOverrides(Map<String, String> overrides) {
        var all = new ArrayList<Map<String, String>>();
        all.add(Map.copyOf(overrides));
        all.addAll(layers);
        return new Config(List.copyOf(all), service);
    }

    /** A copy with one more layer behind every existing one (used only where nothing else sets the key). */
    public Config withDefaults(Map<String, String> defaults) {
        var all = new ArrayList<>(layers);
        all.add(Map.copyOf(defaults));
        return new Config(List.copyOf(all), service);
    }

    public String service() {
        return service;
    }

    /** The full variable name a key is read from, for messages ({@code PORT} → {@code BABBLE_USERS_PORT}). */
    public String nameOf(String key) {
        return find(key).map(Found::name).orElse(globalName(key));
    }

    public Optional<String> optional(String key) {
        return find(key).map(Found::value);
    }

    /** A comma-separated list (blanks around items ignored, empty items dropped); an empty value is an empty list. */
    public java.util.List<String> list(String key, java.util.List<String> fallback) {
        return optional(key).map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).filter(w -> !w.isEmpty())
                .toList()).orElse(fallback);
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public String required(String key, String why) {
        return optional(key).orElseThrow(() -> new ConfigException(globalName(key) + " is required: " + why));
    }

    public int integer(String key, int fallback, int min, int max) {
        var found = find(key);
        if (found.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(found.get().value().trim());
            if (value < min || value > max) {
                throw new ConfigException(found.get().name() + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(found.get().name() + " must be a whole number, got '" + found.get().value() + "'");
        }
    }

    public long longValue(String key, long fallback, long min, long max) {
        var found = find(key);
        if (found.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(found.get().value().trim());
            if (value < min || value > max) {
                throw new ConfigException(found.get().name() + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(found.get().name() + " must be a whole number, got '" + found.get().value() + "'");
        }
    }

    public int port(String key, int fallback) {
        return integer(key, fallback, 0, 65535);
    }

    public boolean flag(String key, boolean fallback) {
        var found = find(key);
        if (found.isEmpty()) {
            return fallback;
        }
        return switch (found.get().value().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(found.get().name() + " must be true or false, got '" + found.get().value() + "'");
        };
    }

    /** Durations are written {@code 500ms}, {@code 2s}, {@code 5m}, {@code 12h} or {@code 30d}. */
    public Duration duration(String key, Duration fallback) {
        var found = find(key);
        if (found.isEmpty()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(found.get().value().trim());
        if (!m.matches()) {
            throw new ConfigException(found.get().name() + " must be a duration like 500ms, 2s, 5m, 12h or 30d, got '"
                    + found.get().value() + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public <E extends Enum<E>> E choice(String key, E fallback) {
        var found = find(key);
        if (found.isEmpty()) {
            return fallback;
        }
        String wanted = found.get().value().trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E option : fallback.getDeclaringClass().getEnumConstants()) {
            if (option.name().equals(wanted)) {
                return option;
            }
        }
        var names = new ArrayList<String>();
        for (E option : fallback.getDeclaringClass().getEnumConstants()) {
            names.add(option.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException(found.get().name() + " must be one of " + names + ", got '" + found.get().value() + "'");
    }

    public URI uri(String key, String fallback) {
        String value = string(key, fallback);
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(nameOf(key) + " must be a URL like http://host:port, got '" + value + "'");
        }
    }

    /** Every BABBLE_ setting visible, merged by precedence (for handing to child processes). */
    public Map<String, String> all() {
        var merged = new HashMap<String, String>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            layers.get(i).forEach((k, v) -> {
                if (k.startsWith("BABBLE_")) {
                    merged.put(k, v);
                }
            });
        }
        return merged;
    }

    private Optional<Found> find(String key) {
        if (service != null) {
            String scoped = "BABBLE_" + normalize(service) + "_" + key;
            for (var layer : layers) {
                String v = layer.get(scoped);
                if (v != null && !v.isBlank()) {
                    return Optional.of(new Found(scoped, v));
                }
            }
        }
        String global = globalName(key);
        for (var layer : layers) {
            String v = layer.get(global);
            if (v != null && !v.isBlank()) {
                return Optional.of(new Found(global, v));
            }
        }
        return Optional.empty();
    }

    private static String globalName(String key) {
        return "BABBLE_" + key;
    }

    public static String normalize(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private record Found(String name, String value) {
    }
}
