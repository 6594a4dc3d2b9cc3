package babble.platform.log;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.testing.TestHarness;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A line logged while a request is served names the request's trace, in JSON and in text. */
class TraceIdInLogsTest {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final Logger serviceLog = (Logger) LoggerFactory.getLogger("babble.test.traced");
    static final List<String> jsonLines = new CopyOnWriteArrayList<>();
    static final List<String> textLines = new CopyOnWriteArrayList<>();

    static final class TalkativeService implements Service {
        @Override
        public String name() {
            return "talkative";
        }

        @Override
        public void start(Chassis chassis) {
            chassis.http(r -> r.get("/talk", ctx -> {
                serviceLog.info("talking");
                ctx.result("ok");
            }));
        }
    }

    /** Writes each line with Babble's own encoders on the thread that logs it, as the console and file do. */
    static final class Lines extends AppenderBase<ILoggingEvent> {
        final Encoder<ILoggingEvent> json;
        final Encoder<ILoggingEvent> text;

        Lines(LoggerContext context) {
            json = LogConfigurator.json(context);
            text = LogConfigurator.text(context);
        }

        @Override
        protected void append(ILoggingEvent event) {
            jsonLines.add(new String(json.encode(event), StandardCharsets.UTF_8));
            textLines.add(new String(text.encode(event), StandardCharsets.UTF_8));
        }
    }

    static TestHarness harness;
    static Lines lines;

    @BeforeAll
    static void start() {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        lines = new Lines(context);
        lines.setContext(context);
        lines.start();
        serviceLog.setLevel(Level.INFO);
        serviceLog.setAdditive(false);
        serviceLog.addAppender(lines);
        harness = TestHarness.start(new TalkativeService());
    }

    @AfterAll
    static void stop() {
        harness.close();
        serviceLog.detachAppender(lines);
    }

    @Test
    void aLineLoggedWhileServingARequestCarriesItsTraceId() {
        var reply = harness.call("talkative", "GET", "/talk", null, TestHarness.user("alice"),
                Map.of("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(jsonLines).anySatisfy(line -> assertThat(line)
                .contains("\"message\":\"talking\"")
                .contains("\"trace_id\":\"" + TRACE_ID + "\"")
                .containsPattern("\"span_id\":\"[0-9a-f]{16}\"")
                .contains("\"service\":\"talkative\""));
        assertThat(textLines).anySatisfy(line -> assertThat(line)
                .contains("[talkative " + TRACE_ID + "]")
                .contains("talking"));
    }

    @Test
    void aLineOutsideAnyTraceHasNoTraceId() {
        serviceLog.info("idle");

        assertThat(textLines).anySatisfy(line -> assertThat(line).contains("[babble]").contains("idle"));
        assertThat(jsonLines).anySatisfy(line -> assertThat(line).contains("idle").doesNotContain("trace_id"));
    }
}
