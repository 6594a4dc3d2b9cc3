package babble.app;

import babble.app.ApiSession.Failure;
import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.contracts.api.JobView;
import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Follows a job for a command until it ends: polls it, draws its progress on stderr (a bar redrawn in place on a
 * terminal, a line now and then otherwise), waits out a server lost for a while, and cancels the job when the
 * command is interrupted (Ctrl-C or SIGTERM) while it runs.
 */
final class JobWatch implements AutoCloseable {
    private static final Duration POLL_EVERY = Duration.ofMillis(300);
    private static final Duration LINE_EVERY = Duration.ofSeconds(5);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    private final ApiSession api;
    private final PrintStream err;
    private final String verb;
    private final String unit;
    private final boolean bar;
    private final ProgressView view;
    private final CancelOnExit cancel;
    private final Thread hook;

    /** {@code verb} and {@code unit} word the line: "exporting general ... 200/200 messages". */
    JobWatch(ApiSession api, PrintStream err, Map<String, String> env, String verb, String unit, Runnable alsoOnExit) {
        this.api = api;
        this.err = err;
        this.verb = verb;
        this.unit = unit;
        this.bar = interactive(env);
        this.view = bar ? new BarView(err) : new LineView(err);
        this.cancel = new CancelOnExit(api, err, bar, verb, alsoOnExit);
        this.hook = Thread.ofPlatform().name("babble-" + verb + "-cancel").unstarted(cancel);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Draws a line of the command's own before the job (an upload's progress), as the job's will be drawn. */
    void show(String line, String state) {
        view.show(line, state);
    }

    /** Ends the line drawn so far (before a message of its own). */
    void endLine() {
        view.end();
    }

    /** Polls the job until it ends, drawing its progress; answers it ended. */
    JobView follow(JobView job, String label, long began) {
        cancel.jobId = job.id();
        long tick = 0;
        String notice = null;
        long lostSince = 0;
        while (!ended(job)) {
            JobView now = job;
            String line = ProgressBar.line(verb, label, unit, now.status(), now.progress() == null ? 0 : now.progress().done(),
                    now.progress() == null ? null : now.progress().total(), now.attempts(), since(began), tick++);
            if (now.error() != null && now.status().equals("queued") && !(now.attempts() + now.error()).equals(notice)) {
                notice = now.attempts() + now.error();
                view.notice("attempt " + now.attempts() + " failed: " + now.error() + "; retrying");
            }
            view.show(line, now.status() + "/" + now.attempts());
            ApiSession.pause(POLL_EVERY);
            try {
                ApiResponse r = api.call("GET", "/api/v1/jobs/" + job.id(), null, Map.of());
                if (ApiSession.transientStatus(r.status())) {
                    throw new Failure(ApiSession.UNREACHABLE, "the server answered " + r.status() + ": " + ApiSession.problem(r));
                }
                job = ApiSession.ok(r, "following the job").as(JobView.class);
                lostSince = 0;
            } catch (Failure lost) {
                if (lost.code != ApiSession.UNREACHABLE) {
                    throw lost;
                }
                lostSince = lostSince == 0 ? System.nanoTime() : lostSince;
                if (System.nanoTime() - lostSince > GIVE_UP_AFTER.toNanos()) {
                    view.end();
                    throw new Failure(ApiSession.UNREACHABLE, lost.getMessage() + " for " + GIVE_UP_AFTER.toSeconds()
                            + " s; job " + job.id() + " may still be running there");
                }
            }
        }
        cancel.jobEnded = true;
        if (job.status().equals("succeeded")) {
            long total = job.progress() == null ? 0 : job.progress().done();
            view.show(ProgressBar.line(verb, label, unit, "succeeded", total, total, job.attempts(), since(began), tick),
                    "done");
        }
        view.end();
        return job;
    }

    /** The failure for a job that ended otherwise than succeeded. */
    static Failure notSucceeded(JobView job, String what) {
        if (job.status().equals("cancelled")) {
            return new Failure(ApiSession.FAILED, what + " was cancelled (job " + job.id() + ")");
        }
        return new Failure(ApiSession.FAILED, what + " failed after " + job.attempts() + " attempt"
                + (job.attempts() == 1 ? "" : "s") + ": " + Objects.requireNonNullElse(job.error(), "no reason given"));
    }

    static Duration since(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    private static boolean ended(JobView job) {
        return !job.status().equals("queued") && !job.status().equals("running");
    }

    /** Stops watching for Ctrl-C (the command is done with the job). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it cancels the job
        }
    }

    /**
     * Whether stderr can take a bar redrawn in place: a console (stdin and stdout on a terminal; Java cannot ask
     * about stderr alone) that is really a terminal (JDK 22 to 24 give a console even when redirected), not TERM=dumb.
     */
    private static boolean interactive(Map<String, String> env) {
        Console console = System.console();
        if (console == null || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console is a terminal
        }
    }

    /** Where the progress goes: a bar redrawn in place, or lines now and then. */
    private interface ProgressView {
        /** The current line; {@code state} changing (status, attempt) makes a line view print at once. */
        void show(String line, String state);

        /** A message of its own line, e.g. a failed attempt. */
        void notice(String message);

        void end();
    }

    /** Redraws one line with {@code \r}, padding over what a longer line left. */
    private static final class BarView implements ProgressView {
        private final PrintStream err;
        private int shown;

        BarView(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(String line, String state) {
            err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            err.flush();
            shown = line.length();
        }

        @Override
        public void notice(String message) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.println(message);
            shown = 0;
        }

        @Override
        public void end() {
            if (shown > 0) {
                err.println();
                shown = 0;
            }
        }
    }

    /** For a log or a pipe: a line at most every few seconds, and at once when the status or attempt changes. */
    private static final class LineView implements ProgressView {
        private final PrintStream err;
        private long last;
        private String state;

        LineView(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(String line, String newState) {
            long now = System.nanoTime();
            if (state == null || !Objects.equals(state, newState) || now - last >= LINE_EVERY.toNanos()) {
                err.println(line);
                last = now;
                state = newState;
            }
        }

        @Override
        public void notice(String message) {
            err.println(message);
        }

        @Override
        public void end() {
            // every line is whole already
        }
    }

    /** Ctrl-C (or SIGTERM) while the job runs: cancel it, clean up after the command, sign out a session of ours. */
    private static final class CancelOnExit implements Runnable {
        private final ApiSession api;
        private final PrintStream err;
        private final boolean bar;
        private final String verb;
        private final Runnable alsoOnExit;
        volatile UUID jobId;
        volatile boolean jobEnded;

        CancelOnExit(ApiSession api, PrintStream err, boolean bar, String verb, Runnable alsoOnExit) {
            this.api = api;
            this.err = err;
            this.bar = bar;
            this.verb = verb;
            this.alsoOnExit = alsoOnExit;
        }

        @Override
        public void run() {
            try (var client = new BabbleClient(api.url(), Duration.ofSeconds(3), null)) {
                UUID job = jobId;
                if (job != null && !jobEnded) {
                    if (bar) {
                        err.println(); // below the bar
                    }
                    try {
                        ApiResponse r = client.call("DELETE", "/api/v1/jobs/" + job, null, api.token());
                        err.println(r.isSuccess() ? "babble: interrupted; cancelled the " + noun() + " (job " + job + ")"
                                : "babble: interrupted; could not cancel job " + job + ": " + ApiSession.problem(r));
                    } catch (RuntimeException e) {
                        err.println("babble: interrupted; could not cancel job " + job + ": " + ApiSession.reason(e));
                    }
                }
                alsoOnExit.run();
                api.signOut(client);
            }
        }

        /** "exporting" → "export", "importing" → "import". */
        private String noun() {
            return verb.endsWith("ing") ? verb.substring(0, verb.length() - 3) : verb;
        }
    }
}
