package babble.recommend.domain;

import babble.contracts.api.PostView;
import babble.platform.identity.Identity;
import java.util.List;
import java.util.UUID;

/** Reads posts as a user sees them (the query service's read model): one call per page. */
public interface PostReader {
    /** The posts with these ids (at most 200) the reader may read, in the order asked; deleted and unreadable ones left out. */
    List<PostView> readable(Identity reader, List<UUID> ids);
}
