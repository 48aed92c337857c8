package io.cairn.server.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each way a config listen can go wrong, planted in an otherwise sound one, is caught. */
class ConfigListenCheckTest {
    private static final String PREFIX = ConfigPublisher.PREFIX;
    private final List<WatchCompleteness.Seen> events = new ArrayList<>();
    private final List<ConfigListenCheck.Response> responses = new ArrayList<>();
    private final List<ConfigPublisher.Publish> acked = new ArrayList<>();

    /** c0 gets a at 10, b at 12 and d at 15; c1 gets x at 11; another key changes at 13. */
    private void history() {
        stored(10, "c0", "a");
        stored(11, "c1", "x");
        stored(12, "c0", "b");
        events.add(new WatchCompleteness.Seen(13, "other", "y"));
        stored(15, "c0", "d");
        acked.add(new ConfigPublisher.Publish("c0", "b", 12));
    }

    private void stored(long revision, String dataId, String content) {
        events.add(new WatchCompleteness.Seen(revision, PREFIX + dataId, content));
    }

    private static ConfigListenCheck.Version version(String dataId, long version, long revision, String content) {
        return new ConfigListenCheck.Version(dataId, version, revision, content);
    }

    private void sent(int session, boolean start, long claimed, ConfigListenCheck.Version... versions) {
        responses.add(new ConfigListenCheck.Response(session, start, List.of(versions), claimed));
    }

    /** A fresh start at 11, c0's next version live, a progress notice, a resume for the last. */
    private void soundListen() {
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(1, false, 12, version("c0", 2, 12, "b"));
        sent(1, false, 13);
        sent(2, false, 15, version("c0", 3, 15, "d"));
    }

    private List<String> check() {
        return ConfigListenCheck.check(events, PREFIX, Map.of("l", responses), 15, acked);
    }

    @Test
    void aSoundListenPasses() {
        history();
        soundListen();
        assertThat(check()).isEmpty();
    }

    @Test
    void aSkippedVersionIsCaught() {
        history();
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(2, false, 15, version("c0", 3, 15, "d"));
        assertThat(check()).singleElement().asString().contains("never");
    }

    @Test
    void aRepeatedVersionIsCaught() {
        history();
        soundListen();
        sent(2, false, 15, version("c0", 3, 15, "d"));
        assertThat(check()).singleElement().asString().contains("repeated");
    }

    @Test
    void aContentOrVersionNumberTheStoreNeverWroteIsCaught() {
        history();
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(1, false, 12, version("c0", 2, 12, "stale"));
        assertThat(check()).singleElement().asString().contains("where the store wrote");
        responses.clear();
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(1, false, 12, version("c0", 5, 12, "b"));
        assertThat(check()).singleElement().asString().contains("where the store wrote");
    }

    @Test
    void aStartWithoutTheCurrentVersionIsCaught() {
        history();
        sent(1, true, 12, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        assertThat(check()).singleElement().asString().contains("told it had everything up to revision 12 without c0");
    }

    @Test
    void progressClaimedAheadOfAVersionIsCaught() {
        history();
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(1, false, 13);
        assertThat(check()).singleElement().asString().contains("without c0");
    }

    @Test
    void aListenerLeftBehindIsCaught() {
        history();
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(1, false, 12, version("c0", 2, 12, "b"));
        assertThat(check()).singleElement().asString().contains("not to the last change, 15");
    }

    @Test
    void aListenThatBrokeBeforeItWasReadyMaySendItsVersionsAgain() {
        history();
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(2, false, 0, version("c0", 2, 12, "b")); // a part of a resumed start, then the stream broke
        sent(3, false, 15, version("c0", 2, 12, "b"), version("c0", 3, 15, "d"));
        assertThat(check()).isEmpty();
    }

    @Test
    void progressPastTheRunsEndCountsUpToIt() {
        history();
        sent(1, true, 11, version("c0", 1, 10, "a"), version("c1", 1, 11, "x"));
        sent(1, false, 12, version("c0", 2, 12, "b"));
        sent(1, false, 20, version("c0", 3, 15, "d"), version("c1", 2, 19, "later"));
        assertThat(check()).isEmpty();
    }

    @Test
    void anAcknowledgedPublishMissingFromTheHistoryIsCaught() {
        history();
        soundListen();
        acked.add(new ConfigPublisher.Publish("c1", "lost", 14));
        assertThat(check()).singleElement().asString().contains("acknowledged publish");
    }
}
