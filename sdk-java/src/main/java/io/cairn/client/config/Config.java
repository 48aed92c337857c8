package io.cairn.client.config;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a config. Answers that list versions (history, list without content, publish)
 * leave the content empty; ask {@code get} for it.
 *
 * @param key           the config
 * @param version       1 for the first publish; every change, deletes included, adds one
 * @param format        how the content is written
 * @param content       the content; empty for a delete, or where the answer carries none
 * @param md5           lower-case hex MD5 of the content's UTF-8 bytes
 * @param change        what made this version
 * @param author        the authenticated user who made it; empty with auth off
 * @param clientAddress the address it was made from, as the member that took the call saw it
 * @param comment       the comment given with the change
 * @param time          the leader's clock when it took the change
 * @param revision      the store revision that wrote this version
 * @param sourceVersion for a rollback, the version whose content was published again; else 0
 * @param size          the content's size in bytes
 * @param gray          the content is a gray release's candidate that matches this client
 * @param fromSnapshot  read from the client's local snapshot file because the cluster could not
 *                      be reached: the last version this client saw, perhaps no longer current
 * @param secrets       what of the content is secret (then md5 is that of the sealed content)
 * @param masked        the content's secret values read as {@value Secrets#MASK}: this client's
 *                      user may not reveal them
 */
public record Config(ConfigKey key, long version, Format format, String content, String md5, Change change,
                     String author, String clientAddress, String comment, Instant time, long revision,
                     long sourceVersion, int size, boolean gray, boolean fromSnapshot, Secrets secrets,
                     boolean masked) {
    public Config {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(time, "time");
    }

    /** Whether this version is a delete: the config does not exist from it on. */
    public boolean deleted() {
        return change == Change.DELETED;
    }

    /** The same version, marked as read from the local snapshot. */
    public Config asFromSnapshot() {
        return new Config(key, version, format, content, md5, change, author, clientAddress, comment, time, revision,
                sourceVersion, size, gray, true, secrets, masked);
    }

    /** The content parsed into flat keys and values; see {@link ConfigValues}. */
    public ConfigValues values() {
        return ConfigValues.of(this);
    }

    @Override
    public String toString() {
        return "Config[" + key + " v" + version + " " + format + " " + change + (gray ? " gray" : "")
                + (fromSnapshot ? " from snapshot" : "") + ", " + size + " bytes, md5 " + md5 + ", revision " + revision + "]";
    }
}
