package io.cairn.server.config;

import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.Format;
import io.cairn.server.errors.ServerError;
import java.nio.charset.StandardCharsets;

/**
 * The checks content passes before it is proposed: its size, its format, and the config's schema.
 * They run on the member that took the call, so a bad YAML costs no raft round; apply checks only
 * that the schema checked against is still the config's.
 */
public final class ConfigContent {
    private ConfigContent() {
    }

    /** The format a write means: the one it names, else the config's current one, else text. */
    public static Format format(Format asked, ConfigVersion current) {
        if (asked == Format.UNRECOGNIZED) {
            throw ServerError.UNKNOWN_ENUM.exception();
        }
        if (asked != Format.FORMAT_UNSPECIFIED) {
            return asked;
        }
        return current == null || current.getFormat() == Format.FORMAT_UNSPECIFIED ? Format.TEXT : current.getFormat();
    }

    /** Checks {@code content} for {@code key}; returns the md5 of the schema it satisfied ("" for none). */
    public static String check(ConfigKey key, Format format, String content, String schema, int maxBytes) {
        int size = content.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw ServerError.CONFIG_TOO_LARGE.exception(size + " bytes, the limit is " + maxBytes);
        }
        ConfigFormats.check(format, content);
        if (!schema.isEmpty()) {
            if (format != Format.YAML && format != Format.JSON) {
                throw ServerError.CONFIG_INVALID.exception(ConfigKeys.describe(key)
                        + " has a JSON schema, so its format must be yaml or json");
            }
            ConfigSchemas.validate(schema, format, content);
        }
        return ConfigJson.md5OrEmpty(schema);
    }
}
