package io.cairn.console.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The console writes every time in UTC: the server does not know each browser's zone. */
public final class Times {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** "2026-12-02 06:53:33"; empty for none. */
    public static String utc(Instant time) {
        return time == null ? "" : UTC.format(time);
    }
}
