package io.cairn.server.time;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall clock Cairn reads for what it stamps: history times, leader stamps, ids, tokens.
 * Durations and deadlines use the monotonic clock, which a step of the wall clock leaves alone.
 *
 * <p>The robustness harness steps this clock on one member, as NTP or an operator steps a
 * machine's, without touching the machine: with the system property {@value #OFFSET_FILE_PROPERTY}
 * naming a file, the milliseconds it holds are added, read again every {@value #READ_EVERY_MS} ms.
 */
public final class WallClock {
    public static final String OFFSET_FILE_PROPERTY = "cairn.fault.clock-offset-file";
    private static final long READ_EVERY_MS = 100;
    private static final Logger log = LoggerFactory.getLogger(WallClock.class);
    private static volatile long offsetMs;

    static {
        String file = System.getProperty(OFFSET_FILE_PROPERTY);
        if (file != null) {
            Thread reader = new Thread(() -> follow(Path.of(file)), "cairn-clock-offset");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private WallClock() {
    }

    /** Milliseconds since the epoch, as this member's wall clock has it. */
    public static long nowMs() {
        return System.currentTimeMillis() + offsetMs;
    }

    private static void follow(Path file) {
        while (true) {
            try {
                long next = read(file);
                if (next != offsetMs) {
                    offsetMs = next;
                    log.warn("The wall clock was stepped to {} ms from the system's (fault injection)", next);
                }
                Thread.sleep(READ_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long read(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            return offsetMs; // half written, or unreadable for now: as it was
        }
    }
}
