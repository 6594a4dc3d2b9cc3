package babble.platform.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.FileSize;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logging set up in code, from settings: JSON lines by default ({@code BABBLE_LOG_FORMAT=json|text}), at
 * {@code BABBLE_LOG_LEVEL}. With {@code BABBLE_LOG_FILE} the full JSON log goes to that file and the console
 * shows only warnings as text (what {@code ./babble up} uses, so the terminal stays readable). A line written while
 * a request or an event is handled names its trace ({@code trace_id}, {@code span_id}: see {@code ActiveSpan}).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** A text line names its service and, inside a request or an event's handling, the trace ({@code [bot 4bf9…]}). */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%X{service:-babble}%replace( %X{trace_id}){'^ $', ''}] "
            + "%logger{20} - %msg%n%ex{short}";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String format = setting("BABBLE_LOG_FORMAT", "json").toLowerCase(Locale.ROOT);
        Level level = Level.toLevel(setting("BABBLE_LOG_LEVEL", "info"), Level.INFO);
        String file = setting("BABBLE_LOG_FILE", "");

        // Libraries that log through java.util.logging (jnats does) reach the same appenders; the propagator keeps
        // JUL's levels in step with these, so a disabled JUL statement costs nothing.
        var propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        context.addListener(propagator);
        propagator.start();
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();

        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        if (file.isBlank()) {
            splitByLevel(context, root, console(context, "json".equals(format) ? json(context) : text(context), null));
        } else {
            splitByLevel(context, root, rollingFile(context, file));
            root.addAppender(console(context, text(context), Level.WARN));
        }
        // Libraries that are chatty at info.
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("io.nats").setLevel(Level.WARN);
        context.getLogger("io.lettuce").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.moquette").setLevel(Level.WARN); // it logs every MQTT packet at info
        context.getLogger("com.hivemq").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Warnings and errors are written by the thread that logs them, so none is lost however the process ends.
     * Everything below (one access line per request, above all) goes through a bounded queue to a writer thread:
     * a request never waits for a write, and when the queue is full, lines are dropped rather than requests
     * slowed. The queue is drained when the JVM exits.
     */
    private static void splitByLevel(LoggerContext context, ch.qos.logback.classic.Logger root, Appender<ILoggingEvent> target) {
        var urgent = new ThresholdFilter();
        urgent.setLevel(Level.WARN.levelStr);
        urgent.start();
        var routine = new ch.qos.logback.core.filter.Filter<ILoggingEvent>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return event.getLevel().isGreaterOrEqual(Level.WARN) ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
        routine.start();
        var queued = new AsyncAppender();
        queued.setContext(context);
        queued.setName(target.getName() + "-queued");
        queued.setQueueSize(8192);
        queued.setDiscardingThreshold(0); // keep every line while there is room
        queued.setNeverBlock(true);
        queued.setIncludeCallerData(false);
        queued.addFilter(routine);
        queued.addAppender(target);
        queued.start();
        var synchronous = new ch.qos.logback.core.AppenderBase<ILoggingEvent>() {
            @Override
            protected void append(ILoggingEvent event) {
                target.doAppend(event);
            }
        };
        synchronous.setContext(context);
        synchronous.setName(target.getName() + "-direct");
        synchronous.addFilter(urgent);
        synchronous.start();
        root.addAppender(queued);
        root.addAppender(synchronous);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("log-drain").unstarted(queued::stop));
    }

    private static String setting(String name, String fallback) {
        String property = System.getProperty(name);
        if (property != null && !property.isBlank()) {
            return property;
        }
        String env = System.getenv(name);
        return env == null || env.isBlank() ? fallback : env;
    }

    /** JSON lines carry every MDC field: {@code request_id}, {@code service}, {@code trace_id}, {@code span_id}. */
    static Encoder<ILoggingEvent> json(LoggerContext context) {
        var encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setIncludeCallerData(false);
        encoder.start();
        return encoder;
    }

    static Encoder<ILoggingEvent> text(LoggerContext context) {
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    private static Appender<ILoggingEvent> console(LoggerContext context, Encoder<ILoggingEvent> encoder, Level threshold) {
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName("console");
        appender.setEncoder(encoder);
        if (threshold != null) {
            var filter = new ThresholdFilter();
            filter.setLevel(threshold.levelStr);
            filter.start();
            appender.addFilter(filter);
        }
        appender.start();
        return appender;
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext context, String file) {
        var appender = new RollingFileAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(file);
        var policy = new SizeAndTimeBasedRollingPolicy<ILoggingEvent>();
        policy.setContext(context);
        policy.setParent(appender);
        // Rolled files are not compressed: gzip of 50 MB every few seconds under load costs a busy core's time.
        policy.setFileNamePattern(file + ".%d{yyyy-MM-dd}.%i");
        policy.setMaxFileSize(FileSize.valueOf("50MB"));
        policy.setMaxHistory(7);
        policy.setTotalSizeCap(FileSize.valueOf("500MB"));
        policy.start();
        appender.setRollingPolicy(policy);
        appender.setEncoder(json(context));
        appender.start();
        return appender;
    }
}
