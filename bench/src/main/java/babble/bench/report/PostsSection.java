package babble.bench.report;

import babble.bench.OpenLoop;
import babble.bench.scenarios.Posts;
import java.util.List;
import java.util.Map;

/**
 * The report's part on seed 002's posts: creating posts and comments and listing hot posts at fixed rates, next
 * to the same-run baselines at the same rates (a bare {@code GET /hello}, posting a chat message, reading the
 * latest 50 messages), and the read model's rebuild by replay.
 */
final class PostsSection {
    private List<OpenLoop.Result> create = List.of();
    private List<OpenLoop.Result> comment = List.of();
    private OpenLoop.Result listHot;
    private Posts.Rebuild rebuild;

    void measured(List<OpenLoop.Result> create, List<OpenLoop.Result> comment, OpenLoop.Result listHot) {
        this.create = create;
        this.comment = comment;
        this.listHot = listHot;
    }

    void rebuild(Posts.Rebuild rebuild) {
        this.rebuild = rebuild;
    }

    void figures(Map<String, Object> figures) {
        figures.put("postsCreate", create);
        figures.put("postsComment", comment);
        figures.put("postsListHot", listHot);
        figures.put("postsRebuild", rebuild);
    }

    void ratios(Map<String, Object> ratios, List<OpenLoop.Result> messages, List<OpenLoop.Result> hello) {
        for (OpenLoop.Result r : create) {
            same(hello, r).ifPresent(h -> ratios.put("createPostVsHelloP99@" + (int) r.offeredPerSecond(),
                    Report.round(r.latency().p99() / Math.max(0.001, h.latency().p99()))));
            same(messages, r).ifPresent(m -> ratios.put("createPostVsMessageP99@" + (int) r.offeredPerSecond(),
                    Report.round(r.latency().p99() / Math.max(0.001, m.latency().p99()))));
        }
    }

    void markdown(StringBuilder md, List<OpenLoop.Result> messages, List<OpenLoop.Result> hello, OpenLoop.Result history) {
        if (listHot == null) {
            return;
        }
        md.append("## Posts, comments and the read model (seed 002)\n\n")
                .append("Creating a post (`POST /rooms/{id}/posts`: the rooms service is asked who may write, the post and ")
                .append("its event are stored in one transaction; moderation and the query service follow by events), ")
                .append("commenting, and the first page of a room's hot posts from the read model. Baselines at the same ")
                .append("rates in this run: a bare `GET /hello`, posting a chat message, reading the latest 50 messages.\n\n")
                .append(Report.latencyHeader("offered/s"));
        for (OpenLoop.Result r : create) {
            md.append(Report.latencyRow("create post", r));
            same(messages, r).ifPresent(m -> md.append(Report.latencyRow("baseline: post a message", m)));
            same(hello, r).ifPresent(h -> md.append(Report.latencyRow("baseline: hello", h)));
        }
        for (OpenLoop.Result r : comment) {
            md.append(Report.latencyRow("comment", r));
        }
        md.append(Report.latencyRow("list hot posts (25)", listHot));
        if (history != null) {
            md.append(Report.latencyRow("baseline: latest 50 messages", history));
        }
        if (rebuild != null) {
            md.append("\n**Rebuild by replay** (`rebuild query`: the query service's store emptied, the post, moderation ")
                    .append("and room streams replayed from the start until it is ready): ").append(rebuild.posts())
                    .append(" posts and ").append(rebuild.comments()).append(" comments, ").append(rebuild.events())
                    .append(" events in ").append(Report.round(rebuild.seconds())).append(" s: **")
                    .append(Math.round(rebuild.eventsPerSecond())).append(" events/s**.\n");
        }
        md.append("\n");
    }

    private static java.util.Optional<OpenLoop.Result> same(List<OpenLoop.Result> results, OpenLoop.Result like) {
        return results.stream().filter(r -> r.offeredPerSecond() == like.offeredPerSecond()).findFirst();
    }
}
