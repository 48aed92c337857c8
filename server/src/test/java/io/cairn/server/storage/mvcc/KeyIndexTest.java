package io.cairn.server.storage.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
    private static Revision rev(long main) {
        return new Revision(main, 0);
    }

    /** put 2, put 4, delete 6, put 8: the example in KeyIndex's comment. */
    private static KeyIndex example() {
        KeyIndex ki = new KeyIndex(ByteString.copyFromUtf8("k"));
        ki.put(rev(2));
        ki.put(rev(4));
        ki.tombstone(rev(6));
        ki.put(rev(8));
        return ki;
    }

    @Test
    void findsTheRevisionVisibleAtEachPointInHistory() {
        KeyIndex ki = example();
        assertThat(ki.get(1)).isNull();
        assertThat(ki.get(2)).isEqualTo(rev(2));
        assertThat(ki.get(3)).isEqualTo(rev(2));
        assertThat(ki.get(5)).isEqualTo(rev(4));
        assertThat(ki.get(6)).isNull();
        assertThat(ki.get(7)).isNull();
        assertThat(ki.get(8)).isEqualTo(rev(8));
        assertThat(ki.get(100)).isEqualTo(rev(8));
    }

    @Test
    void compactionKeepsTheNewestRevisionAtOrBelowIt() {
        KeyIndex ki = example();
        Set<Revision> keep = new HashSet<>();
        ki.compact(5, keep);
        assertThat(keep).containsExactly(rev(4));
        assertThat(ki.get(5)).isEqualTo(rev(4));
        assertThat(ki.get(8)).isEqualTo(rev(8));
    }

    @Test
    void compactionPastADeletionDropsTheWholeGeneration() {
        KeyIndex ki = example();
        Set<Revision> keep = new HashSet<>();
        ki.compact(7, keep);
        assertThat(keep).isEmpty();
        assertThat(ki.get(7)).isNull();
        assertThat(ki.get(8)).isEqualTo(rev(8));
        assertThat(ki.isEmpty()).isFalse();
    }

    @Test
    void aKeyDeletedBeforeTheCompactionLeavesNothing() {
        KeyIndex ki = new KeyIndex(ByteString.copyFromUtf8("k"));
        ki.put(rev(2));
        ki.tombstone(rev(3));
        Set<Revision> keep = new HashSet<>();
        ki.compact(3, keep);
        assertThat(keep).isEmpty();
        assertThat(ki.isEmpty()).isTrue();
    }

    @Test
    void deletingADeletedKeyIsABug() {
        KeyIndex ki = new KeyIndex(ByteString.copyFromUtf8("k"));
        assertThatThrownBy(() -> ki.tombstone(rev(2))).isInstanceOf(IllegalStateException.class);
    }
}
