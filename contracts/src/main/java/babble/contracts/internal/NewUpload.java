package babble.contracts.internal;

import java.util.UUID;

/**
 * gateway → jobs {@code POST /internal/uploads}, as the caller: a file about to be sent in parts to become a job's
 * input (an import into {@code roomId}, in {@code format}). {@code size} is the file's length when the client
 * declared it, so an upload too large is refused before any byte is sent. Answered with an {@link UploadView}.
 */
public record NewUpload(UUID roomId, String format, Long size) {
}
