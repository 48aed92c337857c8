package io.cairn.console.views.leases;

/**
 * Lease ids as people see them: etcdctl prints them in hex, the API and the keys' lease field
 * as decimal numbers, so the console shows both and accepts either.
 */
public final class LeaseIds {
    private LeaseIds() {
    }

    /**
     * In hex, as etcdctl prints it ({@code 694d7a8b2c3e1a05}) but without the zeros etcdctl pads a
     * small id with to 16 digits; {@link #parse} and etcdctl read either form.
     */
    public static String hex(long id) {
        return Long.toHexString(id);
    }

    /**
     * A lease id typed in: "0x...", 16 digits as etcdctl prints them, or anything with a hex letter
     * is hex; other digits alone are decimal (the lease field of a key); blank is 0, no lease.
     *
     * @throws IllegalArgumentException for anything else, saying what was expected
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase();
        if (t.isEmpty()) {
            return 0;
        }
        try {
            if (t.startsWith("0x")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (t.length() != 16 && t.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(t);
            }
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text.trim() + "\" is not a lease id (decimal, or hex as etcdctl prints it)");
        }
    }
}
