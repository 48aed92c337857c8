package io.cairn.client;

import static io.cairn.client.discovery.TestInstances.instance;
import static io.cairn.client.discovery.TestInstances.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceChange.Type;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How a subscriber's copy turns full lists and overlapping change streams into changes told once. */
class InstanceSetTest {
    private static ServiceInstance at(String id, long revision) {
        return instance(id, "", 100, InstanceStatus.UP, revision);
    }

    private static String describe(List<InstanceChange> changes) {
        return String.join(" ", changes.stream().map(c -> c.type() + ":" + c.instance().id() + "@" + c.revision()).toList());
    }

    @Test
    void theFirstListIsAllAdded() {
        InstanceSet set = new InstanceSet();
        assertThat(set.listed()).isFalse();
        assertThat(describe(set.replace(List.of(at("b", 4), at("a", 3)), 5))).isEqualTo("ADDED:a@3 ADDED:b@4");
        assertThat(set.listed()).isTrue();
        assertThat(set.revision()).isEqualTo(5);
        assertThat(set.instances()).extracting(ServiceInstance::id).containsExactly("a", "b");
    }

    @Test
    void anEmptyFirstListIsStillAList() {
        InstanceSet set = new InstanceSet();
        assertThat(set.replace(List.of(), 9)).isEmpty();
        assertThat(set.listed()).isTrue();
        assertThat(set.revision()).isEqualTo(9);
    }

    @Test
    void aListSentAgainIsToldAsItsDifference() {
        InstanceSet set = new InstanceSet();
        set.replace(List.of(at("a", 3), at("b", 4), at("c", 5)), 7);
        ServiceInstance bDown = withStatus(at("b", 4), InstanceStatus.DOWN, 8);
        List<InstanceChange> changes = set.replace(List.of(bDown, at("c", 5), at("d", 9)), 10);
        assertThat(describe(changes)).isEqualTo("UPDATED:b@8 ADDED:d@9 REMOVED:a@10");
        assertThat(set.instances()).containsExactly(bDown, at("c", 5), at("d", 9));
        assertThat(set.replace(set.instances(), 11)).as("the same list again").isEmpty();
    }

    @Test
    void aListOlderThanTheCopyIsIgnored() {
        InstanceSet set = new InstanceSet();
        set.replace(List.of(at("a", 3)), 7);
        set.apply(List.of(new InstanceChange(Type.REMOVED, at("a", 8), 8)), 8);
        assertThat(set.replace(List.of(at("a", 3)), 7)).isEmpty();
        assertThat(set.instances()).isEmpty();
        assertThat(set.revision()).isEqualTo(8);
    }

    @Test
    void changesAreAppliedOnceThoughAResumedStreamRepeatsThem() {
        InstanceSet set = new InstanceSet();
        set.replace(List.of(at("a", 3)), 5);
        // one transaction removes a and adds b at revision 6: both are new
        List<InstanceChange> first = set.apply(List.of(
                new InstanceChange(Type.REMOVED, at("a", 6), 6),
                new InstanceChange(Type.ADDED, at("b", 6), 6)), 6);
        assertThat(describe(first)).isEqualTo("REMOVED:a@6 ADDED:b@6");
        // a stream resumed from an older revision sends 6 again, then 7
        List<InstanceChange> again = set.apply(List.of(
                new InstanceChange(Type.REMOVED, at("a", 6), 6),
                new InstanceChange(Type.ADDED, at("b", 6), 6),
                new InstanceChange(Type.UPDATED, withStatus(at("b", 6), InstanceStatus.DOWN, 7), 7)), 7);
        assertThat(describe(again)).isEqualTo("UPDATED:b@7");
        assertThat(set.revision()).isEqualTo(7);
    }

    @Test
    void aChangeIsToldAsWhatItDidToTheCopy() {
        InstanceSet set = new InstanceSet();
        set.replace(List.of(at("a", 3)), 5);
        List<InstanceChange> changes = set.apply(List.of(
                new InstanceChange(Type.ADDED, at("a", 6), 6),      // held already: an update
                new InstanceChange(Type.UPDATED, at("n", 7), 7),    // not held: an addition
                new InstanceChange(Type.REMOVED, at("x", 8), 8)), 8); // not held: nothing
        assertThat(describe(changes)).isEqualTo("UPDATED:a@6 ADDED:n@7");
    }

    @Test
    void aProgressOnlyAnswerMovesTheRevision() {
        InstanceSet set = new InstanceSet();
        set.replace(List.of(), 5);
        assertThat(set.apply(List.of(), 12)).isEmpty();
        assertThat(set.revision()).isEqualTo(12);
    }

    @Test
    void aListenerThatAppliesEveryToldChangeHoldsTheSameListAsTheCopy() {
        long seed = System.nanoTime();
        System.out.println("InstanceSetTest seed: " + seed);
        Random random = new Random(seed);
        InstanceSet set = new InstanceSet();
        TreeMap<String, ServiceInstance> listener = new TreeMap<>();
        TreeMap<String, ServiceInstance> truth = new TreeMap<>();
        long revision = 1;
        List<InstanceChange> history = new ArrayList<>();
        for (int step = 0; step < 2000; step++) {
            List<InstanceChange> told;
            if (random.nextInt(10) == 0) {
                told = set.replace(List.copyOf(truth.values()), revision);
            } else {
                List<InstanceChange> batch = new ArrayList<>();
                revision++;
                for (int k = random.nextInt(3); k >= 0; k--) {
                    String id = "i" + random.nextInt(12);
                    if (truth.containsKey(id) && random.nextBoolean()) {
                        batch.add(new InstanceChange(Type.REMOVED, withStatus(truth.remove(id), InstanceStatus.UP, revision), revision));
                    } else {
                        ServiceInstance now = instance(id, "", 100, random.nextBoolean() ? InstanceStatus.UP : InstanceStatus.DOWN, revision);
                        batch.add(new InstanceChange(truth.put(id, now) == null ? Type.ADDED : Type.UPDATED, now, revision));
                    }
                }
                history.addAll(batch);
                // sometimes a resumed stream repeats what came before
                List<InstanceChange> sent = new ArrayList<>();
                if (random.nextInt(5) == 0 && history.size() > batch.size()) {
                    sent.addAll(history.subList(Math.max(0, history.size() - batch.size() - 3), history.size() - batch.size()));
                }
                sent.addAll(batch);
                told = set.apply(sent, revision);
            }
            for (InstanceChange c : told) {
                if (c.type() == Type.REMOVED) {
                    assertThat(listener.remove(c.instance().id())).as("seed " + seed + ": removed what it held").isNotNull();
                } else {
                    ServiceInstance before = listener.put(c.instance().id(), c.instance());
                    assertThat(before == null).as("seed " + seed + ": " + c.type() + " of " + c.instance().id()).isEqualTo(c.type() == Type.ADDED);
                }
            }
            assertThat(listener.values()).as("seed " + seed).containsExactlyElementsOf(truth.values());
            assertThat(set.instances()).as("seed " + seed).containsExactlyElementsOf(truth.values());
        }
    }
}
