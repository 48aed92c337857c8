package io.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.client.config.Change;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Format;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The client's local copy of every config version it got or was told, one file per config, so
 * that an application that starts while the cluster cannot be reached still has the last
 * version it saw. The layout, each name percent-encoded where it is not a plain file name
 * (":" → "%3A", a name of dots → "%2E" per dot):
 *
 * <pre>
 * &lt;dir&gt;/&lt;namespace&gt;/&lt;group&gt;/&lt;data id&gt;.json   {"namespace":…,"version":7,"format":"YAML","content":…,"md5":…}
 * </pre>
 *
 * A file is written whole to a temporary file beside it and moved over the old one, so a
 * reader sees the old version or the new one, never a part. Reading checks the content against
 * the MD5 kept with it and passes over a file that does not match (with a warning).
 *
 * <p>Writes are queued and done on the client's listener threads, one at a time; when versions
 * of one config come faster than they are written, only the latest is written. Thread-safe.
 */
final class ConfigSnapshots {
    private static final System.Logger LOG = System.getLogger(ConfigSnapshots.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Executor writer;
    /** Guarded by itself: the latest version of each config not yet written; null for a file to remove. */
    private final Map<ConfigKey, Config> pending = new LinkedHashMap<>();
    private boolean writing;
    /** Held while a pending change is taken and made. */
    private final Object writeLock = new Object();

    /**
     * @param dir    the directory (created when first written to)
     * @param writer where the files are written
     */
    ConfigSnapshots(Path dir, Executor writer) {
        this.dir = dir.toAbsolutePath();
        this.writer = writer;
    }

    Path dir() {
        return dir;
    }

    /** The file that keeps this config. */
    Path file(ConfigKey key) {
        return dir.resolve(encode(key.namespace())).resolve(encode(key.group())).resolve(encode(key.dataId()) + SUFFIX);
    }

    /**
     * Queues the version to be written, replacing one of the same config still waiting. A
     * snapshot's own copy is not written back; a config with secrets is never written (its
     * clear values would be on this disk), and an older file of it goes.
     */
    void save(Config config) {
        if (config.secrets().any()) {
            forget(config.key());
        } else if (!config.fromSnapshot()) {
            queue(config.key(), config);
        }
    }

    /** Queues the removal of the config's file: the cluster says it does not exist. */
    void forget(ConfigKey key) {
        queue(key, null);
    }

    /** @param config null to remove the file */
    private void queue(ConfigKey key, Config config) {
        synchronized (pending) {
            pending.remove(key);
            pending.put(key, config);
            if (writing) {
                return;
            }
            writing = true;
        }
        try {
            writer.execute(this::drain);
        } catch (RuntimeException e) { // the client is closing: write what is left here
            drain();
        }
    }

    /** The queued writer: writes until nothing is pending. */
    private void drain() {
        while (writeNext(true)) {
            // the next
        }
    }

    /** Writes what is pending now, on the caller's thread (the client is closing). */
    void flush() {
        while (writeNext(false)) {
            // the next
        }
    }

    /**
     * Takes the oldest pending change and makes it, answering whether there was one. Taking and
     * writing are one step for all writers, so that an older version never lands after a newer.
     */
    private boolean writeNext(boolean queued) {
        synchronized (writeLock) {
            ConfigKey key;
            Config next;
            synchronized (pending) {
                var first = pending.entrySet().iterator();
                if (!first.hasNext()) {
                    if (queued) {
                        writing = false;
                    }
                    return false;
                }
                var entry = first.next();
                key = entry.getKey();
                next = entry.getValue();
                first.remove();
            }
            try {
                if (next == null) {
                    Files.deleteIfExists(file(key));
                } else {
                    write(next);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot " + (next == null ? "remove" : "write") + " the snapshot of config "
                        + key + " at " + file(key) + ": " + e);
            }
            return true;
        }
    }

    /** Writes the version now, replacing the file atomically. */
    void write(Config config) throws IOException {
        Path target = file(config.key());
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(channel)) {
                out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(config)));
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The last version kept of this config, marked as from the snapshot; empty when there is none or it is unreadable. */
    Optional<Config> load(ConfigKey key) {
        Path file = file(key);
        try {
            Config c = read(file);
            if (!c.key().equals(key)) {
                throw new IOException("it holds " + c.key());
            }
            return Optional.of(c);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "passing over the config snapshot " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The last versions kept of the configs a selection takes in, in (group, data id) order. */
    List<Config> load(ConfigSelection selection) {
        List<Config> found = new ArrayList<>();
        if (!selection.configs().isEmpty()) {
            selection.configs().stream().sorted((a, b) -> a.toString().compareTo(b.toString()))
                    .forEach(k -> load(k).ifPresent(found::add));
            return found;
        }
        Path ns = dir.resolve(encode(selection.namespace()));
        List<Path> groups = selection.group().isEmpty() ? list(ns, false) : List.of(ns.resolve(encode(selection.group())));
        for (Path group : groups) {
            for (Path file : list(group, true)) {
                String name = file.getFileName().toString();
                try {
                    ConfigKey key = new ConfigKey(selection.namespace(), decode(group.getFileName().toString()),
                            decode(name.substring(0, name.length() - SUFFIX.length())));
                    load(key).ifPresent(found::add);
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "passing over " + file + ": not a config snapshot's name");
                }
            }
        }
        return found;
    }

    /** The directories (or the snapshot files) in {@code parent}, sorted; none when it does not exist. */
    private static List<Path> list(Path parent, boolean files) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                boolean snapshot = name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(p);
                if (files ? snapshot : Files.isDirectory(p)) {
                    found.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list the config snapshots in " + parent + ": " + e);
        }
        found.sort(null);
        return found;
    }

    private static ObjectNode toJson(Config c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("namespace", c.key().namespace());
        n.put("group", c.key().group());
        n.put("dataId", c.key().dataId());
        n.put("version", c.version());
        n.put("format", c.format().name());
        n.put("change", c.change().name());
        n.put("md5", c.md5());
        n.put("author", c.author());
        n.put("clientAddress", c.clientAddress());
        n.put("comment", c.comment());
        n.put("timeMs", c.time().toEpochMilli());
        n.put("revision", c.revision());
        n.put("sourceVersion", c.sourceVersion());
        n.put("size", c.size());
        n.put("gray", c.gray());
        n.put("content", c.content());
        return n;
    }

    /** @throws IOException when the file cannot be read, is not a snapshot, or its content does not match its MD5 */
    static Config read(Path file) throws IOException {
        JsonNode n = JSON.readTree(Files.readAllBytes(file));
        if (n == null || !n.isObject()) {
            throw new IOException("not a JSON object");
        }
        Config c = new Config(new ConfigKey(text(n, "namespace"), text(n, "group"), text(n, "dataId")), n.path("version").asLong(),
                Format.valueOf(text(n, "format")), text(n, "content"), text(n, "md5"), Change.valueOf(text(n, "change")),
                text(n, "author"), text(n, "clientAddress"), text(n, "comment"), Instant.ofEpochMilli(n.path("timeMs").asLong()),
                n.path("revision").asLong(), n.path("sourceVersion").asLong(), n.path("size").asInt(), n.path("gray").asBoolean(),
                true, io.cairn.client.config.Secrets.none(), false);
        if (!c.md5().isEmpty() && !c.md5().equals(md5(c.content()))) {
            throw new IOException("its content does not match its MD5 " + c.md5());
        }
        return c;
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("no " + field);
        }
        return v.asText();
    }

    /** Lower-case hex MD5 of the text's UTF-8 bytes, as the server computes it. */
    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** A name as one path segment: characters other than A-Z a-z 0-9 _ - . as %XX, and a name of dots alone entirely so. */
    static String encode(String name) {
        boolean dots = name.chars().allMatch(c -> c == '.');
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || (c == '.' && !dots);
            if (plain) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", (int) c));
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException for a malformed escape */
    static String decode(String segment) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new IllegalArgumentException("a truncated escape in " + segment);
                }
                out.append((char) Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
