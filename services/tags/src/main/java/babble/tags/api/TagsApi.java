package babble.tags.api;

import babble.contracts.api.LabelsRequest;
import babble.contracts.api.TopicPreferences;
import babble.platform.http.Requests;
import babble.tags.domain.Labels;
import babble.tags.domain.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for topic preferences and private labels; every call is about the caller's own. */
public final class TagsApi {
    private final Topics topics;
    private final Labels labels;

    public TagsApi(Topics topics, Labels labels) {
        this.topics = topics;
        this.labels = labels;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/users/me/topics", this::topics);
        routes.put("/api/v1/users/me/topics", this::setTopics);
        routes.get("/api/v1/posts/{id}/labels", this::labels);
        routes.put("/api/v1/posts/{id}/labels", this::setLabels);
        routes.get("/api/v1/users/me/labels/{tag}/posts", this::labelled);
    }

    private void topics(Context ctx) {
        ctx.json(topics.get(Requests.identity(ctx)));
    }

    private void setTopics(Context ctx) {
        var identity = Requests.identity(ctx);
        identity.requireUser();
        ctx.json(topics.replace(identity, Requests.body(ctx, TopicPreferences.class)));
    }

    private void labels(Context ctx) {
        ctx.json(labels.get(Requests.identity(ctx), Requests.id(ctx, "id", "post")));
    }

    private void setLabels(Context ctx) {
        var identity = Requests.identity(ctx);
        identity.requireUser();
        ctx.json(labels.replace(identity, Requests.id(ctx, "id", "post"), Requests.body(ctx, LabelsRequest.class)));
    }

    private void labelled(Context ctx) {
        ctx.json(labels.labelled(Requests.identity(ctx), ctx.pathParam("tag"), Requests.limit(ctx, 25, Labels.MAX_PAGE),
                ctx.queryParam("cursor")));
    }
}
