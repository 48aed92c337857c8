package io.cairn.server.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each way a subscription can go wrong, planted in an otherwise sound one, is caught. */
class SubscriptionCheckTest {
    private static final String PREFIX = "/cairn/registry/ns/svc/";
    private final List<WatchCompleteness.Seen> events = new ArrayList<>();
    private final List<SubscriptionCheck.Response> responses = new ArrayList<>();

    private void stored(long revision, String id, boolean put) {
        events.add(new WatchCompleteness.Seen(revision, PREFIX + id, put ? "{}" : null));
    }

    private void told(long revision, SubscriptionCheck.Change... changes) {
        responses.add(new SubscriptionCheck.Response(null, List.of(changes), revision));
    }

    private static SubscriptionCheck.Change change(SubscriptionCheck.Kind kind, String id, long revision) {
        return new SubscriptionCheck.Change(kind, id, revision);
    }

    /** a added at 10, b at 11, another key at 12, a updated at 13, b removed at 14. */
    private void soundHistory() {
        stored(10, "a", true);
        stored(11, "b", true);
        events.add(new WatchCompleteness.Seen(12, "other", "x"));
        stored(13, "a", true);
        stored(14, "b", false);
        responses.add(new SubscriptionCheck.Response(Map.of("a", 10L), List.of(), 10));
        told(11, change(SubscriptionCheck.Kind.ADDED, "b", 11));
        told(12); // progress
        told(14, change(SubscriptionCheck.Kind.UPDATED, "a", 13), change(SubscriptionCheck.Kind.REMOVED, "b", 14));
    }

    private List<String> check() {
        return SubscriptionCheck.check(events, PREFIX, Map.of("s", responses), 14);
    }

    @Test
    void aSoundSubscriptionPasses() {
        soundHistory();
        assertThat(check()).isEmpty();
    }

    @Test
    void aResumedSubscriberThatGetsAFullListAgainPasses() {
        soundHistory();
        responses.add(new SubscriptionCheck.Response(Map.of("a", 13L), List.of(), 14));
        assertThat(check()).isEmpty();
    }

    @Test
    void whatASubscriberIsToldAfterTheRunsLastRevisionIsNotCompared() {
        soundHistory();
        told(16, change(SubscriptionCheck.Kind.REMOVED, "a", 16)); // a's lease ended after the run
        assertThat(check()).isEmpty();
    }

    @Test
    void aSkippedChangeIsCaught() {
        soundHistory();
        responses.set(1, new SubscriptionCheck.Response(null, List.of(), 11)); // progress past b's addition
        assertThat(check()).singleElement().asString().contains("at revision 11 it knew {a=10} where the store held");
    }

    @Test
    void aRepeatedChangeIsCaught() {
        soundHistory();
        told(14, change(SubscriptionCheck.Kind.REMOVED, "b", 14));
        assertThat(check()).singleElement().asString().contains("does not fit what it knew");
    }

    @Test
    void aProgressClaimAheadOfItsEventsIsCaught() {
        soundHistory();
        responses.set(2, new SubscriptionCheck.Response(null, List.of(), 13)); // claims 13 before a's update came
        assertThat(check()).singleElement().asString().contains("at revision 13 it knew");
    }

    @Test
    void aRevisionThatGoesBackAndASubscriberLeftBehindAreCaught() {
        soundHistory();
        told(12);
        assertThat(check()).singleElement().asString().contains("revision went back from 14 to 12");
        responses.clear();
        responses.add(new SubscriptionCheck.Response(Map.of("a", 10L), List.of(), 10));
        assertThat(check()).singleElement().asString().contains("got to revision 10 only, not to the last change, 14");
    }
}
