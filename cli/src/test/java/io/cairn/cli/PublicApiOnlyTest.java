package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * cairnctl goes through the SDK's public API only: no gRPC, no protobuf and no generated
 * {@code io.cairn.api} type, whether imported or written out in full. A mention in a comment
 * is not a use.
 */
class PublicApiOnlyTest {
    private static final Pattern FORBIDDEN = Pattern.compile("\\b(io\\.grpc|com\\.google\\.protobuf|io\\.cairn\\.api)\\b");

    @Test
    void cairnctlUsesOnlyThePublicSdkApi() throws IOException {
        Path sources = Path.of(System.getProperty("basedir", "")).resolve("src/main/java");
        List<Path> files;
        try (Stream<Path> all = Files.walk(sources)) {
            files = all.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(files).as("Java sources under " + sources.toAbsolutePath()).isNotEmpty();
        List<String> uses = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            boolean inComment = false;
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i);
                if (inComment) {
                    int close = code.indexOf("*/");
                    if (close < 0) {
                        continue;
                    }
                    code = code.substring(close + 2);
                    inComment = false;
                }
                int open = code.indexOf("/*");
                if (open >= 0) {
                    int close = code.indexOf("*/", open + 2);
                    inComment = close < 0;
                    code = code.substring(0, open) + (close < 0 ? "" : code.substring(close + 2));
                }
                int line = code.indexOf("//");
                if (line >= 0) {
                    code = code.substring(0, line);
                }
                if (FORBIDDEN.matcher(code).find()) {
                    uses.add(sources.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertThat(uses).as("uses of gRPC, protobuf or generated types; go through io.cairn.client instead").isEmpty();
    }
}
