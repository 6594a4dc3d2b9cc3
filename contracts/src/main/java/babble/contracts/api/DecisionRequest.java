package babble.contracts.api;

/** {@code PUT /moderation/{kind}/{id}}: "approve" or "reject", and why. */
public record DecisionRequest(String decision, String reason) {
}
