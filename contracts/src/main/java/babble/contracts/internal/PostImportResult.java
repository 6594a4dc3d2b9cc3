package babble.contracts.internal;

/**
 * What an import batch did: posts created by this import (now or by an earlier attempt of it), and posts the room
 * already had from elsewhere (same key, another import).
 */
public record PostImportResult(int created, int existing) {
}
