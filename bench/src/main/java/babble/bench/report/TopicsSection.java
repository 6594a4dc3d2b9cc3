package babble.bench.report;

import babble.bench.OpenLoop;
import babble.bench.scenarios.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's part on seed 004: the reddit import next to a bare batched INSERT, search at that size while posts
 * arrive next to a bare Lucene query on the same index, the index lag of new posts, and the feed; each against
 * the goal.
 */
public final class TopicsSection {
    private final List<Topics.ImportRun> imports = new ArrayList<>();
    private final List<Topics.InsertRun> inserts = new ArrayList<>();
    private final List<Double> catchUps = new ArrayList<>();
    private final List<OpenLoop.Result> searches = new ArrayList<>();
    private final List<OpenLoop.Result> bareLucene = new ArrayList<>();
    private final List<Topics.IndexLag> lags = new ArrayList<>();
    private final List<OpenLoop.Result> feeds = new ArrayList<>();
    private long indexedPosts;

    public void imported(Topics.ImportRun run, double indexCatchUpSeconds, Topics.InsertRun baseline) {
        imports.add(run);
        catchUps.add(indexCatchUpSeconds);
        inserts.add(baseline);
    }

    public void search(long posts, OpenLoop.Result search, OpenLoop.Result bare) {
        indexedPosts = posts;
        searches.add(search);
        bareLucene.add(bare);
    }

    public void lag(Topics.IndexLag lag) {
        lags.add(lag);
    }

    public void feed(OpenLoop.Result feed) {
        feeds.add(feed);
    }

    boolean measured() {
        return !imports.isEmpty();
    }

    void figures(Map<String, Object> figures) {
        if (!measured()) {
            return;
        }
        figures.put("topicsImport", imports);
        figures.put("topicsIndexCatchUpSeconds", catchUps);
        figures.put("baselineBatchedInsert", inserts);
        figures.put("topicsSearch", searches);
        figures.put("baselineBareLucene", bareLucene);
        figures.put("topicsIndexLag", lags);
        figures.put("topicsFeed", feeds);
    }

    void markdown(StringBuilder md) {
        if (!measured()) {
            return;
        }
        md.append("## Topics: import, search, index lag, feed (seed 004)\n\n");
        md.append("**The reddit import.** A generated dump (`./babble sample reddit`, broken lines included) uploaded "
                + "through the gateway as one `POST /rooms/{id}/imports`; posts/s of the job from its own start and "
                + "finish times (batches of posts written through the posts service's internal API, each post an event "
                + "for query, moderation, search and recommend). Goal in all-in-one: ≥ 2,000 posts/s. Baseline in the "
                + "same run: the same number of rows INSERTed in batches of 500 into the same kind of store. The last column: "
                + "how long after the job's end every search replica found all its posts (the index takes them from the "
                + "events); search, lag and feed are measured after that.\n\n");
        md.append("| Run | lines | posts | skipped | job s | posts/s | upload to done s | index caught up s later |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < imports.size(); i++) {
            var r = imports.get(i);
            md.append("| import ").append(i + 1).append(" | ").append(r.lines()).append(" | ").append(r.imported())
                    .append(" | ").append(r.skipped()).append(" | ").append(Report.round(r.jobSeconds())).append(" | ")
                    .append(Math.round(r.postsPerSecond())).append(" | ").append(Report.round(r.wallSeconds())).append(" | ")
                    .append(Report.round(catchUps.get(i))).append(" |\n");
            var b = inserts.get(i);
            md.append("| baseline: ").append(b.store()).append(" | | ").append(b.rows()).append(" | | ")
                    .append(Report.round(b.seconds())).append(" | ").append(Math.round(b.rowsPerSecond())).append(" | | |\n");
        }
        md.append("\n**Search** at ").append(indexedPosts).append(" posts while new posts keep arriving: `GET /search` "
                + "through the gateway (a mix of words, a phrase, an exclusion, `tag:`), open loop. Goal: p99 ≤ 10 ms. "
                + "Baseline: the same queries on the search service's own index, opened read-only in the benchmark's "
                + "JVM (top 20 and the count, as the service answers), one after another.\n\n");
        md.append(Report.latencyHeader("offered/s"));
        for (int i = 0; i < searches.size(); i++) {
            md.append(Report.latencyRow("search " + (i + 1), searches.get(i)));
            md.append(Report.latencyRow("baseline: bare Lucene " + (i + 1), bareLucene.get(i)));
        }
        md.append("\n**Index lag**: from a new post's 201 until a search finds it (moderation's decision included, as "
                + "a user waits for both). Goal: p99 ≤ 1 s.\n\n");
        md.append("| Run | posts | not found in 30 s | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < lags.size(); i++) {
            var l = lags.get(i).latency();
            md.append("| lag ").append(i + 1).append(" | ").append(lags.get(i).posts()).append(" | ").append(l.errors())
                    .append(" | ").append(l.p50()).append(" | ").append(l.p90()).append(" | ").append(l.p99())
                    .append(" | ").append(l.max()).append(" |\n");
        }
        md.append("\n**The feed** (`GET /feed?limit=25`) of 8 users who joined the import room and follow and mute "
                + "topics of it, at saturation from 8 connections.\n\n");
        md.append(Report.latencyHeader("offered/s"));
        for (int i = 0; i < feeds.size(); i++) {
            md.append(Report.latencyRow("feed " + (i + 1), feeds.get(i)));
        }
        md.append("\n");
    }
}
