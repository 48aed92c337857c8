package io.cairn.console.views.config;

import io.cairn.client.Cluster;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ListeningClient;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every client listening to a config, cluster-wide: each member knows only the listens it
 * serves, so every member is asked, as the dashboard asks each for its status.
 */
final class ListenersAcrossMembers {
    /** A listening client and the member it listens through. */
    record Row(String member, ListeningClient client) {
    }

    /** The rows, and the members that could not say (with the cluster's error). */
    record Result(List<Row> rows, List<String> problems) {
        long onCandidate() {
            return rows.stream().filter(r -> r.client().gray()).count();
        }
    }

    private ListenersAcrossMembers() {
    }

    static Result of(ConsoleSession session, ConfigKey key) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Cluster.Member m : session.client().cluster().sync().list().members()) {
            if (m.clientUrls().isEmpty()) {
                continue;
            }
            String name = m.name().isEmpty() ? Long.toHexString(m.id()) : m.name();
            try {
                session.member(m.clientUrls().get(0)).config().sync().listeners(key).forEach(c -> rows.add(new Row(name, c)));
            } catch (RuntimeException e) {
                problems.add(name + ": " + CairnErrors.describe(e));
            }
        }
        rows.sort(Comparator.comparing((Row r) -> r.client().clientId()).thenComparing(Row::member));
        return new Result(rows, problems);
    }
}
