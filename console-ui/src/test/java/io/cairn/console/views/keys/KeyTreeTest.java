package io.cairn.console.views.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.console.views.keys.KeyTree.Kind;
import io.cairn.console.views.keys.KeyTree.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyTreeTest {
    private static Node key(String name, String path) {
        return new Node(name, path, Kind.KEY, 1);
    }

    private static Node folder(String name, String path, int count) {
        return new Node(name, path, Kind.FOLDER, count);
    }

    @Test
    void topLevelSplitsAtTheFirstSlash() {
        List<Node> top = KeyTree.children("", List.of("/a", "/a/b", "/a/c/d", "x"));
        assertEquals(List.of(folder("/", "/", 3), key("x", "x")), top);
    }

    @Test
    void aKeyThatIsAlsoAPrefixShowsAsBoth() {
        List<Node> under = KeyTree.children("/", List.of("/a", "/a/b", "/a/c/d"));
        assertEquals(List.of(key("a", "/a"), folder("a/", "/a/", 2)), under);
    }

    @Test
    void foldersAreDistinctAndCountTheirKeys() {
        List<Node> under = KeyTree.children("/a/", List.of("/a/b", "/a/c/d", "/a/c/e", "/a/c/f/g"));
        assertEquals(List.of(key("b", "/a/b"), folder("c/", "/a/c/", 3)), under);
    }

    @Test
    void emptySegmentsAreFoldersOfTheirOwn() {
        assertEquals(List.of(folder("/", "/", 2)), KeyTree.children("", List.of("//x", "/y")));
        assertEquals(List.of(folder("/", "//", 1), key("y", "/y")), KeyTree.children("/", List.of("//x", "/y")));
        assertEquals(List.of(key("x", "//x")), KeyTree.children("//", List.of("//x")));
    }

    @Test
    void aKeyEqualToItsFolderHasNoSegment() {
        List<Node> under = KeyTree.children("/", List.of("/", "/a"));
        assertEquals(List.of(key("", "/"), key("a", "/a")), under);
        assertTrue(under.get(0).label().contains("\"/\""));
    }

    @Test
    void keysOutsideTheParentAreIgnored() {
        assertEquals(List.of(key("b", "/a/b")), KeyTree.children("/a/", List.of("/a", "/a/b", "/b/c")));
        assertEquals(List.of(), KeyTree.children("/a/", List.of()));
    }

    @Test
    void aTypedPrefixIsShownFromItsFolder() {
        assertEquals("/cairn/", KeyTree.folderOf("/cairn/reg"));
        assertEquals("/cairn/", KeyTree.folderOf("/cairn/"));
        assertEquals("", KeyTree.folderOf("cairn"));
        assertEquals("", KeyTree.folderOf(""));
        assertEquals(List.of(folder("registry/", "/cairn/registry/", 2)),
                KeyTree.children(KeyTree.folderOf("/cairn/reg"), List.of("/cairn/registry/default/a", "/cairn/registry/x")));
    }

    @Test
    void theMoreMarkerSaysHowManyWereRead() {
        Node more = KeyTree.more("/a/", 1000);
        assertEquals(Kind.MORE, more.kind());
        assertTrue(more.label().contains("1000"));
    }
}
