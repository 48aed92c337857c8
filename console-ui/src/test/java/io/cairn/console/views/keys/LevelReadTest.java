package io.cairn.console.views.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.Bytes;
import io.cairn.client.GetResponse;
import io.cairn.client.Header;
import io.cairn.client.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LevelReadTest {
    /** A keyspace read as etcd reads it: keys in byte order, from inclusive, end exclusive, limited. */
    private static LevelRead.Pages over(TreeSet<Bytes> keyspace, List<Bytes> starts) {
        return (from, end, limit) -> {
            starts.add(from);
            List<KeyValue> page = new ArrayList<>();
            var range = end == null ? keyspace.tailSet(from, true) : keyspace.subSet(from, true, end, false);
            for (Bytes k : range) {
                if (page.size() == limit) {
                    return new GetResponse(new Header(1, 1, 1, 1), page, range.size(), true);
                }
                page.add(new KeyValue(k, Bytes.of(""), 1, 1, 1, 0));
            }
            return new GetResponse(new Header(1, 1, 1, 1), page, page.size(), false);
        };
    }

    private static TreeSet<Bytes> keys(List<String> names) {
        TreeSet<Bytes> set = new TreeSet<>();
        names.forEach(n -> set.add(Bytes.of(n)));
        return set;
    }

    @Test
    void aLargeFolderDoesNotHideTheSiblingsAfterIt() {
        List<String> names = new ArrayList<>(IntStream.range(0, 2500).mapToObj(i -> String.format("/a/big/%05d", i)).toList());
        names.addAll(List.of("/a/after", "/a/zeta/1", "/b"));
        List<Bytes> starts = new ArrayList<>();
        LevelRead level = LevelRead.of("/a/", "/a/", over(keys(names), starts));
        assertThat(KeyTree.children("/a/", level.keys())).extracting(KeyTree.Node::name).containsExactly("after", "big/", "zeta/");
        assertThat(level.partial()).containsExactly("/a/big/");
        assertThat(level.more()).isFalse();
        assertThat(starts).hasSize(2).element(1).isEqualTo(Bytes.of("/a/big0")); // past "/a/big/" at once
    }

    @Test
    void pagesOnTheKeysBytesWhenAFolderNameIsNotUtf8() {
        TreeSet<Bytes> keyspace = new TreeSet<>();
        for (int i = 0; i < 1500; i++) {
            keyspace.add(Bytes.of(new byte[] {'/', 'a', '/', (byte) 0x80, '/'}).concat(Bytes.of(String.format("%05d", i))));
        }
        keyspace.add(Bytes.of("/a/z"));
        List<Bytes> starts = new ArrayList<>();
        LevelRead level = LevelRead.of("/a/", "/a/", over(keyspace, starts));
        assertThat(level.keys()).contains("/a/z");
        assertThat(level.more()).isFalse();
        assertThat(starts).hasSize(2);
    }

    @Test
    void aFullPageOfKeysOfTheLevelGoesOnJustPastTheLastOne() {
        List<String> names = IntStream.range(0, 1200).mapToObj(i -> String.format("k%05d", i)).toList();
        LevelRead level = LevelRead.of("", "", over(keys(names), new ArrayList<>()));
        assertThat(level.keys()).hasSize(1200);
        assertThat(level.partial()).isEmpty();
        assertThat(level.more()).isFalse();
    }

    @Test
    void stopsAfterItsPagesAndSaysThereIsMore() {
        List<String> names = IntStream.range(0, LevelRead.PAGE * (LevelRead.MAX_PAGES + 1)).mapToObj(i -> String.format("k%06d", i)).toList();
        LevelRead level = LevelRead.of("", "", over(keys(names), new ArrayList<>()));
        assertThat(level.keys()).hasSize(LevelRead.PAGE * LevelRead.MAX_PAGES);
        assertThat(level.more()).isTrue();
    }
}
