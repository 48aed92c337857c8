package io.cairn.server.config;

import io.cairn.api.config.Change;
import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.config.GrayRules;
import io.cairn.server.errors.ServerError;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Which clients a gray release reaches. Rules are alternatives: a client matches if all the
 * labels given are among its own, or its address is listed (exactly or in a CIDR block), or its
 * id falls in the percentage — by CRC-32 of "namespace/group/data-id/client-id" modulo 100, so
 * a client's answer is stable across members, restarts and languages.
 */
public final class GrayMatcher {
    private GrayMatcher() {
    }

    /** Refuses rules that could never be meant: none at all, a bad percentage or address. */
    public static GrayRules check(GrayRules rules) {
        if (rules.getLabelsCount() == 0 && rules.getAddressesCount() == 0 && rules.getPercent() == 0) {
            throw ServerError.CONFIG_INVALID.exception("a gray release needs a rule: labels, addresses or a percentage");
        }
        if (rules.getPercent() < 0 || rules.getPercent() > 100) {
            throw ServerError.CONFIG_INVALID.exception("percent must be 0 to 100, got " + rules.getPercent());
        }
        for (String a : rules.getAddressesList()) {
            if (parse(a) == null) {
                throw ServerError.CONFIG_INVALID.exception("\"" + a + "\" is not an IP address or CIDR block");
            }
        }
        return rules;
    }

    /**
     * @param seenAddress the address the member saw the call come from, used when the client
     *                    gave none of its own
     */
    public static boolean matches(GrayRules rules, ConfigKey key, ClientInfo client, String seenAddress) {
        if (rules.getLabelsCount() > 0 && labelsMatch(rules.getLabelsMap(), client.getLabelsMap())) {
            return true;
        }
        String address = client.getAddress().isEmpty() ? seenAddress : client.getAddress();
        for (String block : rules.getAddressesList()) {
            if (inBlock(address, block)) {
                return true;
            }
        }
        return rules.getPercent() > 0 && !client.getClientId().isEmpty()
                && bucket(key, client.getClientId()) < rules.getPercent();
    }

    /**
     * What a client a release matches is given, by a get or a listen alike: the candidate with
     * the release's own author, comment, time and revision, under the current version's number.
     */
    public static ConfigVersion candidate(GrayRelease g, long currentVersion) {
        return ConfigVersion.newBuilder().setKey(g.getKey()).setVersion(currentVersion).setFormat(g.getFormat())
                .setContent(g.getContent()).setMd5(g.getMd5()).setChange(Change.PUBLISHED).setAuthor(g.getAuthor())
                .setComment(g.getComment()).setTimeMs(g.getTimeMs()).setRevision(g.getRevision())
                .setSize(g.getContent().getBytes(StandardCharsets.UTF_8).length).setSecrets(g.getSecrets()).build();
    }

    /** The client's bucket, 0 to 99, for this config. */
    public static int bucket(ConfigKey key, String clientId) {
        CRC32 crc = new CRC32();
        crc.update((key.getNamespace() + "/" + key.getGroup() + "/" + key.getDataId() + "/" + clientId)
                .getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }

    private static boolean labelsMatch(Map<String, String> wanted, Map<String, String> has) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(has.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean inBlock(String address, String block) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        Block b = parse(block);
        byte[] a = literal(address);
        if (b == null || a == null || a.length != b.base.length) {
            return false;
        }
        int bits = a.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - b.prefix).subtract(BigInteger.ONE));
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, b.base).and(mask));
    }

    private record Block(byte[] base, int prefix) {
    }

    private static Block parse(String block) {
        String[] parts = block.split("/", 2);
        byte[] base = literal(parts[0]);
        if (base == null) {
            return null;
        }
        int prefix = base.length * 8;
        if (parts.length == 2) {
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > base.length * 8) {
                return null;
            }
        }
        return new Block(base, prefix);
    }

    /**
     * The bytes of an IP literal; null for anything else. Never a name lookup: this runs for
     * every client a listen serves, on the thread that applies commits.
     */
    private static byte[] literal(String s) {
        String host = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = host.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return null;
                }
                out[i] = (byte) octet;
            }
            return out;
        }
        if (!host.contains(":") || !host.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            // in brackets, InetAddress takes it as an IPv6 literal or refuses it: it never looks it up
            return InetAddress.getByName("[" + host + "]").getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
