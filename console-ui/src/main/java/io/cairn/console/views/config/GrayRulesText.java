package io.cairn.console.views.config;

import io.cairn.client.config.GrayRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A gray release's rules as people type them into the form, and as sentences. */
public final class GrayRulesText {
    private GrayRulesText() {
    }

    /**
     * Rules from the form's fields.
     *
     * @param labels    {@code env=canary, zone=eu-1}; blank for none
     * @param addresses addresses or CIDR blocks, separated by commas or spaces; blank for none
     * @param percent   0 to 100; null for 0
     * @throws IllegalArgumentException naming what cannot be read
     */
    public static GrayRules parse(String labels, String addresses, Integer percent) {
        GrayRules.Builder rules = GrayRules.builder();
        parseLabels(labels).forEach(rules::label);
        parseAddresses(addresses).forEach(rules::address);
        return rules.percent(percent == null ? 0 : percent).build();
    }

    /** {@code k=v,k2=v2} as a map, in the order given. */
    public static Map<String, String> parseLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String label = part.strip();
            if (label.isEmpty()) {
                continue;
            }
            int eq = label.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a label is written key=value, not \"" + label + "\"");
            }
            labels.put(label.substring(0, eq).strip(), label.substring(eq + 1).strip());
        }
        return labels;
    }

    /** Addresses separated by commas or spaces. */
    public static List<String> parseAddresses(String text) {
        List<String> addresses = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isEmpty()) {
                addresses.add(part);
            }
        }
        return addresses;
    }

    /**
     * Which clients the rules serve, in words. The rules are alternatives, so the sentence says
     * "or": {@code clients labelled env=canary; or 10% of clients, chosen by a stable hash of their id}.
     */
    public static String describe(GrayRules rules) {
        List<String> who = new ArrayList<>();
        if (!rules.labels().isEmpty()) {
            List<String> labels = new ArrayList<>();
            new TreeMap<>(rules.labels()).forEach((k, v) -> labels.add(k + "=" + v));
            who.add("clients labelled " + String.join(" and ", labels));
        }
        if (!rules.addresses().isEmpty()) {
            who.add("clients at " + String.join(", ", rules.addresses()));
        }
        if (rules.percent() > 0) {
            who.add(rules.percent() + "% of clients, chosen by a stable hash of their id");
        }
        return who.isEmpty() ? "no clients: no rule is given" : String.join("; or ", who);
    }
}
