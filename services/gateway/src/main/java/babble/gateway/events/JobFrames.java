package babble.gateway.events;

import babble.contracts.events.JobUpdated;
import babble.gateway.api.LiveEndpoint;
import babble.gateway.domain.Frames;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;

/** The {@code job} live frame (docs/API.md, "Jobs and imports"): each change of a job, to its owner's sockets. */
public final class JobFrames {
    private final Bus bus;
    private final LiveEndpoint live;

    public JobFrames(Bus bus, LiveEndpoint live) {
        this.bus = bus;
        this.live = live;
    }

    public Subscription start() {
        return bus.listen("events." + JobUpdated.TYPE + ".*", event -> {
            var updated = event.dataAs(JobUpdated.class);
            live.notifyUser(updated.ownerId(), Frames.job(updated.job()));
        });
    }
}
