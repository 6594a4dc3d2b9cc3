package babble.contracts.internal;

import java.util.UUID;

/**
 * jobs → gateway: an upload ready for its parts ({@code PUT /internal/uploads/{id}/parts/{n}}, n from 0, in order,
 * each at most {@code partBytes}; a part sent again replaces itself) up to {@code maxBytes} in all, then
 * {@code POST /internal/uploads/{id}/import} makes it a job's input.
 */
public record UploadView(UUID id, int partBytes, long maxBytes) {
}
