package io.cairn.console.views.config;

import io.cairn.client.config.Config;
import io.cairn.console.ui.Times;
import java.time.Instant;

/** How the config views write a version's fields for people. */
public final class ConfigLabels {
    private static final int SHORT_MD5 = 8;

    private ConfigLabels() {
    }

    /** {@code 2025-06-01 14:03:22}, in UTC. */
    public static String time(Instant time) {
        return Times.utc(time);
    }

    /** Enough of an MD5 to tell versions apart by eye. */
    public static String shortMd5(String md5) {
        return md5.length() > SHORT_MD5 ? md5.substring(0, SHORT_MD5) : md5;
    }

    /** Who made a version; nobody is named while auth is off. */
    public static String author(String author) {
        return author.isEmpty() ? "(auth off)" : author;
    }

    /** What made the version: "published", "rolled back to 2" ... */
    public static String change(Config version) {
        return switch (version.change()) {
            case PUBLISHED -> "published";
            case DELETED -> "deleted";
            case ROLLED_BACK -> "rolled back to " + version.sourceVersion();
            case IMPORTED -> "imported";
            case GRAY_PROMOTED -> "gray promoted";
        };
    }
}
