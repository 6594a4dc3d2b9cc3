package babble.contracts.api;

/** {@code GET/PUT /rooms/{id}/mqtt}: whether the room is bridged, and its two topics. */
public record MqttBridge(boolean enabled, Topics topics) {
    /** {@code messages}: where the bridge publishes the room's messages; {@code post}: where devices post. */
    public record Topics(String messages, String post) {
    }
}
