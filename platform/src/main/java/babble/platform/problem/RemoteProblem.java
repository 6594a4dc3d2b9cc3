package babble.platform.problem;

import java.util.List;

/** A problem answered by another service, passed on with its status, title and detail unchanged. */
public final class RemoteProblem extends Problem {
    public RemoteProblem(ProblemDetails remote) {
        super(remote.status(), slugOf(remote.type()), remote.title(), remote.detail(),
                remote.errors() == null ? List.of() : remote.errors(), null);
    }

    private static String slugOf(String type) {
        if (type == null) {
            return "about:blank";
        }
        int slash = type.lastIndexOf('/');
        return slash >= 0 ? type.substring(slash + 1) : type;
    }
}
