package io.cairn.bench;

import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.Format;
import io.cairn.api.config.PublishRequest;
import io.cairn.api.config.PublishResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Load on Cairn's config center (cairn.config.v1.Config), which etcd has not: compare.sh sets
 * a publish beside etcd's put of a value of the same size, and {@code config-push} beside paced
 * etcd watches ({@code watch --interval-ms}).
 */
final class ConfigLoad {
    static final String NAMESPACE = "bench";
    static final String GROUP = "bench";

    private ConfigLoad() {
    }

    /** What the config workloads take besides {@link Options}. */
    static final class ContentOptions {
        @Option(names = "--content-size", defaultValue = "1024", description = "bytes of content per publish, about")
        int contentSize;

        @Option(names = "--format", defaultValue = "yaml", description = "yaml or properties: the content is valid in it")
        String format;

        Format wireFormat() {
            return switch (format) {
                case "yaml" -> Format.YAML;
                case "properties" -> Format.PROPERTIES;
                default -> throw new IllegalArgumentException("--format: yaml or properties, not " + format);
            };
        }
    }

    static ConfigKey key(String dataId) {
        return ConfigKey.newBuilder().setNamespace(NAMESPACE).setGroup(GROUP).setDataId(dataId).build();
    }

    /** Creates the bench namespace unless it is there. */
    static void ensureNamespace(ManagedChannel ch) {
        try {
            ConfigGrpc.newBlockingStub(ch).createNamespace(CreateNamespaceRequest.newBuilder().setName(NAMESPACE)
                    .setDescription("bench's configs").build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    /**
     * A publish of {@code content}; with {@code expectedVersion} above 0, only over that version
     * (so that the caller knows which version it writes), else over whatever is there.
     */
    static CompletableFuture<PublishResponse> publish(ManagedChannel ch, ConfigKey key, String content, Format format,
            long expectedVersion) {
        PublishRequest.Builder request = PublishRequest.newBuilder().setKey(key).setContent(content).setFormat(format)
                .setComment("bench");
        if (expectedVersion > 0) {
            request.setExpectedVersion(expectedVersion);
        }
        CompletableFuture<PublishResponse> f = new CompletableFuture<>();
        ConfigGrpc.newStub(ch).publish(request.build(), Load.into(f));
        return f;
    }

    /**
     * Content of about {@code size} bytes that parses as its format: a line that changes with
     * {@code seq}, so that no two publishes are the same, then settings that do not change.
     * For YAML:
     * <pre>
     * bench:
     *   data-id: publish-3
     *   seq: 17
     *   settings:
     *     key-0000: value-0000-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
     *     ...
     * </pre>
     * and the same names, dotted, for properties.
     */
    static String content(ContentOptions c, String dataId, long seq) {
        boolean yaml = c.wireFormat() == Format.YAML;
        StringBuilder s = new StringBuilder(c.contentSize + 64);
        s.append(yaml ? "bench:\n  data-id: " : "bench.data-id=").append(dataId)
                .append(yaml ? "\n  seq: " : "\nbench.seq=").append(seq).append(yaml ? "\n  settings:\n" : "\n");
        for (int i = 0; s.length() < c.contentSize; i++) {
            String n = String.format("%04d", i);
            s.append(yaml ? "    key-" : "bench.settings.key-").append(n).append(yaml ? ": value-" : "=value-").append(n)
                    .append("-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
        }
        return s.toString();
    }

    /**
     * Defaults of {@link Options} that suit one workload better than the shared ones; picocli
     * prefers them to the annotations' and still lets the command line override them.
     */
    abstract static class OptionDefaults implements CommandLine.IDefaultValueProvider {
        private final Map<String, String> byOption;

        OptionDefaults(Map<String, String> byOption) {
            this.byOption = byOption;
        }

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            return arg instanceof CommandLine.Model.OptionSpec option ? byOption.get(option.longestName()) : null;
        }
    }

    /** 20 clients, as the issue measures publishes. */
    static final class PublishDefaults extends OptionDefaults {
        PublishDefaults() {
            super(Map.of("--clients", "20", "--conns", "4"));
        }
    }

    @Command(name = "publish", description = "Config publishes, each client to a config of its own (data id per client).",
            defaultValueProvider = PublishDefaults.class)
    static final class Publish implements Callable<Integer> {
        @Mixin
        Options o;

        @Mixin
        ContentOptions c;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            ensureNamespace(channels.get(0));
            Format format = c.wireFormat();
            Bench.print(Load.run(o, "publish", (client, seq) -> {
                String dataId = "publish-" + client;
                return publish(channels.get(client % channels.size()), key(dataId), content(c, dataId, seq), format, 0);
            }));
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }
}
