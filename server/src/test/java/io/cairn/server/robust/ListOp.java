package io.cairn.server.robust;

import java.util.List;
import java.util.Map;

/**
 * One transaction of the list-append workload, as a client saw it: either the same element
 * appended to the lists of one or more keys, atomically, or a read of one or more lists at one
 * revision. Elements are unique within a run. An append refused by its compare is
 * {@link Outcome#FAILED} and must never be seen; one whose answer never came is
 * {@link Outcome#UNKNOWN} and may or may not be.
 *
 * @param process   the client that ran it (one transaction at a time per client)
 * @param kind      append or read
 * @param keys      the keys appended to, or read
 * @param element   what an append appended
 * @param read      for a read, each key's list as read
 * @param invoked   when it was invoked (a monotonic clock shared by the clients)
 * @param completed when its answer came; {@link Long#MAX_VALUE} when it never did
 */
public record ListOp(int process, Kind kind, List<String> keys, String element, Map<String, List<String>> read,
                     long invoked, long completed, Outcome outcome) {
    public enum Kind { APPEND, READ }

    public enum Outcome { OK, FAILED, UNKNOWN }

    public static ListOp append(int process, List<String> keys, String element, Outcome outcome, long invoked,
                                long completed) {
        return new ListOp(process, Kind.APPEND, List.copyOf(keys), element, Map.of(), invoked,
                outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : completed, outcome);
    }

    public static ListOp read(int process, Map<String, List<String>> read, long invoked, long completed) {
        return new ListOp(process, Kind.READ, List.copyOf(read.keySet()), null, Map.copyOf(read), invoked, completed,
                Outcome.OK);
    }

    @Override
    public String toString() {
        String what = kind == Kind.APPEND ? "append " + element + " to " + keys + " " + outcome : "read " + read;
        return "p" + process + " " + what + " [" + invoked + ", " + (completed == Long.MAX_VALUE ? "?" : completed) + "]";
    }
}
