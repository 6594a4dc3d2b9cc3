package babble.contracts.api;

/**
 * {@code GET/PUT /rooms/{id}/mqtt}: whether the room is bridged, its two topics, and the broker devices connect
 * to ({@code tcp://host:port}).
 */
public record MqttBridge(boolean enabled, Topics topics, String broker) {
    /** {@code messages}: where the bridge publishes the room's messages; {@code post}: where devices post. */
    public record Topics(String messages, String post) {
    }
}
