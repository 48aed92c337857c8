package io.cairn.console.views.config;

import io.cairn.client.Cluster;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ListeningClient;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every client listening to a config, cluster-wide: each member knows only the listens it
 * serves, so every member is asked, as the dashboard asks each for its status.
 */
final class ListenersAcrossMembers {
    /** A listening client and the member it listens through. */
    record Row(String member, ListeningClient client) {
    }

    /** The rows, and the members that could not say (with the cluster's error). */
    record Result(List<Row> rows, List<String> problems, int members) {
        /** Whether no member answered: then nobody can say who listens. */
        boolean unknown() {
            return problems.size() == members;
        }

        long onCandidate() {
            return rows.stream().filter(r -> r.client().gray()).count();
        }
    }

    private ListenersAcrossMembers() {
    }

    /** Asks every member at once; one that does not answer within 3 s is named among the problems. */
    static Result of(ConsoleSession session, ConfigKey key) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, CompletableFuture<List<ListeningClient>>> asked = new LinkedHashMap<>();
        for (Cluster.Member m : session.client().cluster().sync().list().members()) {
            if (!m.clientUrls().isEmpty()) {
                asked.put(m.name().isEmpty() ? Long.toHexString(m.id()) : m.name(),
                        session.member(m.clientUrls().get(0)).config().listeners(key).orTimeout(3, TimeUnit.SECONDS));
            }
        }
        asked.forEach((name, answer) -> {
            try {
                answer.join().forEach(c -> rows.add(new Row(name, c)));
            } catch (RuntimeException e) {
                problems.add(name + ": " + CairnErrors.describe(e));
            }
        });
        rows.sort(Comparator.comparing((Row r) -> r.client().clientId()).thenComparing(Row::member));
        return new Result(rows, problems, asked.size());
    }
}
