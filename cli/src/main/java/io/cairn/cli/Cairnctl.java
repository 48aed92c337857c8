package io.cairn.cli;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * cairnctl: etcdctl's command tree, flags, output and exit codes, on Cairn's Java SDK. Global
 * flags may come before or after the command; CAIRNCTL_* (or ETCDCTL_*) variables set their
 * defaults.
 */
@Command(name = "cairnctl", mixinStandardHelpOptions = false, usageHelpAutoWidth = true,
        versionProvider = ClusterCommands.Version.class,
        description = "A command line client for Cairn (and etcd).")
public final class Cairnctl implements Callable<Integer> {
    /**
     * The commands, in the order help lists them. They are not in the annotation: picocli would
     * build the model of all 80-odd commands, with the inherited flags copied into each, before
     * running one, a fifth of a second of a short command's start. {@link #commandLine} adds only
     * the commands the arguments name (all of them with -Dcairnctl.allCommands=true, which
     * bin/cairnctl's class-sharing training run sets so the archive holds every command).
     */
    static final List<Class<?>> COMMANDS = List.of(KvCommands.Put.class, KvCommands.Get.class, KvCommands.Del.class,
            KvCommands.Txn.class, KvCommands.Compaction.class, WatchCommand.class, LeaseCommands.class,
            LockElect.Lock.class, LockElect.Elect.class, ClusterCommands.Member.class, ClusterCommands.Endpoint.class,
            ClusterCommands.Alarm.class, ClusterCommands.Defrag.class, ClusterCommands.MoveLeader.class,
            ClusterCommands.Snapshot.class, ClusterCommands.Version.class, AuthCommands.Auth.class,
            AuthCommands.User.class, AuthCommands.Role.class, ServiceCommands.class, ConfigCommands.class);

    /** etcdctl's exit codes. */
    static final int EXIT_ERROR = 1;
    static final int EXIT_BAD_CONNECTION = 2;
    static final int EXIT_INVALID_INPUT = 3;
    static final int EXIT_INTERRUPTED = 5;
    static final int EXIT_BAD_ARGS = 128;

    @Option(names = "--endpoints", scope = ScopeType.INHERIT, split = ",",
            description = "gRPC endpoints (default: 127.0.0.1:2379; env CAIRNCTL_ENDPOINTS or ETCDCTL_ENDPOINTS).")
    List<String> endpoints;

    @Option(names = "--user", scope = ScopeType.INHERIT, description = "username[:password] for authentication.")
    String user;

    @Option(names = "--password", scope = ScopeType.INHERIT, description = "password for authentication.")
    String password;

    @Option(names = "--cacert", scope = ScopeType.INHERIT, description = "verify servers with this CA bundle (TLS).")
    Path cacert;

    @Option(names = "--cert", scope = ScopeType.INHERIT, description = "identify with this TLS certificate.")
    Path cert;

    @Option(names = "--key", scope = ScopeType.INHERIT, description = "the key of --cert (PKCS#8 PEM).")
    Path key;

    @Option(names = {"-w", "--write-out"}, scope = ScopeType.INHERIT, defaultValue = "simple",
            description = "simple, json or table.")
    String writeOut;

    @Option(names = "--command-timeout", scope = ScopeType.INHERIT, defaultValue = "5s",
            description = "time a short command may take.")
    String commandTimeout;

    @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, defaultValue = "2s", description = "(accepted).")
    String dialTimeout;

    @Option(names = "--insecure-transport", scope = ScopeType.INHERIT, arity = "0..1", defaultValue = "true",
            description = "(accepted; TLS follows --cacert or https endpoints).")
    boolean insecureTransport;

    @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT, arity = "0..1", description = "(refused).")
    boolean insecureSkipVerify;

    @Option(names = "--hex", scope = ScopeType.INHERIT, arity = "0..1", description = "(accepted).")
    boolean hex;

    @Option(names = "--version", versionHelp = true, description = "print the version and exit")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "help for the command.")
    boolean help;

    final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);

    /**
     * The command line for {@code args}: with the commands any argument names (an option's value
     * that happens to be a command's name only adds one more), or with all of them when none
     * does, for help and for picocli's own error about an unknown command.
     */
    static CommandLine commandLine(Cairnctl root, String... args) {
        CommandLine cli = new CommandLine(root);
        List<String> words = java.util.Arrays.asList(args);
        List<Class<?>> named = Boolean.getBoolean("cairnctl.allCommands") ? List.of()
                : COMMANDS.stream().filter(c -> names(c).anyMatch(words::contains)).toList();
        for (Class<?> command : named.isEmpty() ? COMMANDS : named) {
            cli.addSubcommand(command);
        }
        return cli;
    }

    private static java.util.stream.Stream<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(annotation.name()),
                java.util.Arrays.stream(annotation.aliases()));
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine(new Cairnctl(), args);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            Cairnctl root = line.getCommandSpec().root().userObject() instanceof Cairnctl c ? c : new Cairnctl();
            if (e instanceof Exit exit) {
                if (exit.getMessage() != null) {
                    root.err.println("Error: " + exit.getMessage());
                }
                return exit.code;
            }
            root.err.println("Error: " + e.getMessage());
            return EXIT_ERROR;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            System.err.println("Error: " + e.getMessage());
            return EXIT_BAD_ARGS;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        commandLine(this).usage(out);
        return 0;
    }

    /** A command's ending with etcdctl's exit code and, unless null, an error line. */
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The client for a command: endpoints, credentials and TLS from the flags and environment. */
    Client client() {
        return client(endpoints());
    }

    /** --endpoints, else CAIRNCTL_ENDPOINTS or ETCDCTL_ENDPOINTS, else etcd's default. */
    List<String> endpoints() {
        if (endpoints != null && !endpoints.isEmpty()) {
            return endpoints;
        }
        String env = firstEnv("CAIRNCTL_ENDPOINTS", "ETCDCTL_ENDPOINTS");
        return List.of((env == null ? "127.0.0.1:2379" : env).split(","));
    }

    /** A client to {@code eps} with the flags' credentials and TLS. */
    Client client(List<String> eps) {
        if (insecureSkipVerify) {
            throw new Exit(EXIT_BAD_ARGS, "--insecure-skip-tls-verify is not supported by cairnctl; give --cacert");
        }
        // a command line tool runs no application: its config watches report no rollout receipts
        Client.Builder b = Client.builder().endpoints(eps).timeout(duration(commandTimeout)).configReceipts(false);
        String name = user == null ? firstEnv("CAIRNCTL_USER", "ETCDCTL_USER") : user;
        if (name != null) {
            String pw = password == null ? firstEnv("CAIRNCTL_PASSWORD", "ETCDCTL_PASSWORD") : password;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                pw = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
            if (pw == null) {
                throw new Exit(EXIT_BAD_ARGS, "password is required for --user (give user:password or --password)");
            }
            b.user(name, pw);
        }
        Path ca = cacert != null ? cacert : envPath("CAIRNCTL_CACERT", "ETCDCTL_CACERT");
        Path c = cert != null ? cert : envPath("CAIRNCTL_CERT", "ETCDCTL_CERT");
        Path k = key != null ? key : envPath("CAIRNCTL_KEY", "ETCDCTL_KEY");
        if (ca != null) {
            b.trustedCa(ca);
        }
        if (c != null) {
            b.clientCertificate(c, k);
        }
        Client client = b.build();
        if (name != null) {
            try {
                client.login().join();
            } catch (RuntimeException e) {
                client.close();
                throw new Exit(EXIT_BAD_CONNECTION, message(e));
            }
        }
        return client;
    }

    /**
     * An error as etcdctl words it: etcd's own errors by their text alone; any other server
     * error as Go's gRPC prints it, "rpc error: code = Unknown desc = ...".
     */
    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof CairnException)) {
            t = t.getCause();
        }
        String text = String.valueOf(t.getMessage());
        if (t instanceof CairnException c && fromServer(c) && !text.startsWith("etcdserver: ")) {
            return "rpc error: code = Unknown desc = " + text;
        }
        return text;
    }

    /**
     * Whether the server sent an UNKNOWN failure, rather than the SDK making it. The SDK does
     * not say; it keeps the transport's failure as the cause of a server's, and makes its own
     * without a cause or with the I/O failure behind them (saving a snapshot).
     */
    private static boolean fromServer(CairnException e) {
        Throwable cause = e.getCause();
        return e.code() == CairnException.Code.UNKNOWN && cause != null && !(cause instanceof CairnException)
                && !(cause instanceof IOException) && !(cause instanceof UncheckedIOException);
    }

    boolean json() {
        return "json".equals(writeOut);
    }

    private static String firstEnv(String... names) {
        for (String n : names) {
            String v = System.getenv(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static Path envPath(String... names) {
        String v = firstEnv(names);
        return v == null ? null : Path.of(v);
    }

    /** Go's durations: "5s", "500ms", "1m". */
    static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new Exit(EXIT_BAD_ARGS, "invalid duration " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
