package io.cairn.console.views.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyspace seen as a tree split at "/": what one level of it holds, given the keys read under
 * a prefix. etcd has no folders, so a "folder" is only a prefix ending in "/" that some key
 * continues; a key such as "/a" may also be a folder ("/a/b" exists), and then shows as both.
 */
public final class KeyTree {
    private KeyTree() {
    }

    /** What a row of the tree is. */
    public enum Kind {
        /** A key; its path is the whole key. */
        KEY,
        /** A prefix ending in "/" that keys continue; its path is that prefix. */
        FOLDER,
        /** Stands for the keys a limited read left out; its path is the level's parent prefix. */
        MORE
    }

    /**
     * One row of the tree.
     *
     * @param name  the segment shown: "b" for the key "/a/b" under "/a/", "c/" for the folder "/a/c/"
     * @param path  the whole key, or the folder's whole prefix
     * @param kind  key, folder or the "more..." marker
     * @param count keys under a folder among those read (1 for a key; for MORE, how many keys were read)
     */
    public record Node(String name, String path, Kind kind, int count) {
        public boolean folder() {
            return kind == Kind.FOLDER;
        }

        public boolean key() {
            return kind == Kind.KEY;
        }

        /** The text of the row: a key equal to its folder's prefix has no segment of its own. */
        public String label() {
            return switch (kind) {
                case KEY -> name.isEmpty() ? "(the key \"" + path + "\" itself)" : name;
                case FOLDER -> name;
                case MORE -> "more... (only the first " + count + " keys were read; narrow the prefix)";
            };
        }
    }

    /**
     * The distinct children of {@code parent}: for each key under it, the key itself when no "/"
     * follows the parent in it, else the folder up to and including that "/". Children come in
     * the order of their first key (etcd's byte order); keys outside {@code parent} are ignored.
     */
    public static List<Node> children(String parent, List<String> keys) {
        Map<Node, Integer> counts = new LinkedHashMap<>();
        for (String key : keys) {
            if (!key.startsWith(parent)) {
                continue;
            }
            String rest = key.substring(parent.length());
            int slash = rest.indexOf('/');
            Node child = slash < 0
                    ? new Node(rest, key, Kind.KEY, 1)
                    : new Node(rest.substring(0, slash + 1), parent + rest.substring(0, slash + 1), Kind.FOLDER, 0);
            counts.merge(child, 1, Integer::sum);
        }
        List<Node> nodes = new ArrayList<>(counts.size());
        counts.forEach((node, count) -> nodes.add(new Node(node.name(), node.path(), node.kind(), count)));
        return nodes;
    }

    /** The marker row for a level whose read stopped at {@code read} keys. */
    public static Node more(String parent, int read) {
        return new Node("", parent, Kind.MORE, read);
    }

    /**
     * The folder a typed prefix lies in: everything up to and including its last "/" ("" for
     * none). The tree's top level is shown relative to it, so "/cairn/reg" shows "registry/".
     */
    public static String folderOf(String typed) {
        return typed.substring(0, typed.lastIndexOf('/') + 1);
    }
}
