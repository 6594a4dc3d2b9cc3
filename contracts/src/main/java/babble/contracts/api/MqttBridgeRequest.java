package babble.contracts.api;

/** {@code PUT /rooms/{id}/mqtt}: turn the bridge on or off (room owner only). */
public record MqttBridgeRequest(Boolean enabled) {
}
