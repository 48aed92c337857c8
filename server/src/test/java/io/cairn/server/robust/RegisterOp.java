package io.cairn.server.robust;

/**
 * One client operation on one key, as a client saw it: when it was invoked and when its answer
 * came. An operation whose answer never came (a timeout, a broken connection) is
 * {@link Outcome#UNKNOWN}: it may have taken effect at any moment after its invocation, or never.
 * An operation refused before it could take effect is left out of a history altogether.
 *
 * @param process  the client that made it (one operation at a time per client)
 * @param key      the register
 * @param kind     read, write or compare-and-set
 * @param value    the value written (write, or a compare-and-set's new value)
 * @param expected a compare-and-set's expected value (null: the key absent)
 * @param result   what a read returned (null: absent); whether a compare-and-set succeeded ("true"/"false")
 * @param invoked  when it was invoked (any monotonic clock shared by the clients)
 * @param completed when its answer came; ignored for {@link Outcome#UNKNOWN}
 */
public record RegisterOp(int process, String key, Kind kind, String value, String expected, String result,
                         long invoked, long completed, Outcome outcome) {
    public enum Kind { READ, WRITE, CAS }

    public enum Outcome { OK, UNKNOWN }

    public static RegisterOp read(int process, String key, String result, long invoked, long completed) {
        return new RegisterOp(process, key, Kind.READ, null, null, result, invoked, completed, Outcome.OK);
    }

    public static RegisterOp write(int process, String key, String value, long invoked, long completed) {
        return new RegisterOp(process, key, Kind.WRITE, value, null, null, invoked, completed, Outcome.OK);
    }

    public static RegisterOp cas(int process, String key, String expected, String value, boolean swapped,
                                 long invoked, long completed) {
        return new RegisterOp(process, key, Kind.CAS, value, expected, Boolean.toString(swapped), invoked, completed,
                Outcome.OK);
    }

    /** The same operation, its answer lost: it may or may not have taken effect. */
    public RegisterOp unknown() {
        return new RegisterOp(process, key, kind, value, expected, null, invoked, Long.MAX_VALUE, Outcome.UNKNOWN);
    }

    /** When it can have taken effect at the latest. */
    long deadline() {
        return outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : completed;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case READ -> "read -> " + (outcome == Outcome.UNKNOWN ? "?" : result);
            case WRITE -> "write " + value;
            case CAS -> "cas " + expected + " -> " + value + (outcome == Outcome.UNKNOWN ? " ?" : ": " + result);
        };
        return "p" + process + " " + key + " " + what + " [" + invoked + ", "
                + (outcome == Outcome.UNKNOWN ? "?" : completed) + "]";
    }
}
