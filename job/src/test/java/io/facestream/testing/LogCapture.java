package io.facestream.testing;

import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures everything logged through Log4j 2 (Flink's, Kafka's and facestream's loggers, with stack
 * traces) while open, at {@code INFO} and above whatever the test configuration says, so a test can
 * assert what a reader of the logs would see. Closing restores the configuration.
 */
public final class LogCapture implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final StringWriter text = new StringWriter();
    private final LoggerContext context;
    private final WriterAppender appender;
    private final Level rootLevel;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        PatternLayout layout =
                PatternLayout.newBuilder()
                        .withPattern("%-5level %c - %msg%n%throwable")
                        .withConfiguration(config)
                        .build();
        appender =
                WriterAppender.newBuilder()
                        .setName("log-capture-" + COUNT.incrementAndGet())
                        .setTarget(text)
                        .setLayout(layout)
                        .build();
        appender.start();
        LoggerConfig root = config.getRootLogger();
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        root.addAppender(appender, Level.INFO, null);
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (logger != root && !logger.isAdditive()) {
                logger.addAppender(appender, Level.INFO, null);
            }
        }
        context.updateLoggers();
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** What was logged so far. */
    public synchronized String text() {
        return text.toString();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.removeAppender(appender.getName());
        }
        config.getRootLogger().removeAppender(appender.getName());
        config.getRootLogger().setLevel(rootLevel);
        context.updateLoggers();
        appender.stop();
    }
}
