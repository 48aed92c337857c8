package io.cairn.client.config;

import java.time.Instant;

/**
 * A gray release under way: a candidate served, beside the current version, to the clients its
 * rules match, until it is promoted to all or aborted.
 *
 * @param key         the config
 * @param content     the candidate
 * @param format      the candidate's format
 * @param md5         lower-case hex MD5 of the candidate
 * @param rules       which clients get the candidate
 * @param baseVersion the version that was current when the gray release started
 * @param author      who started it; empty with auth off
 * @param time        when it started, by the leader's clock
 * @param comment     the comment given when it started
 * @param revision    the store revision that started it
 */
public record GrayRelease(ConfigKey key, String content, Format format, String md5, GrayRules rules, long baseVersion,
                          String author, Instant time, String comment, long revision) {
}
