package io.cairn.server.auth;

import io.cairn.server.storage.KeyRange;
import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Permission;
import io.cairn.api.etcd.Role;
import io.cairn.api.etcd.User;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A user's readable and writable key space, each the union of its roles' grants merged into
 * sorted, disjoint intervals, so that a check is one binary search.
 */
public final class KeyPermissions {
    /** [start, end); a null end is open (every key from start on). */
    record Interval(ByteString start, ByteString end) {
    }

    private static final Comparator<ByteString> BYTES = KeyRange.ORDER;

    private final List<Interval> read;
    private final List<Interval> write;

    private KeyPermissions(List<Interval> read, List<Interval> write) {
        this.read = read;
        this.write = write;
    }

    static KeyPermissions of(User user, Map<String, Role> roles) {
        List<Interval> read = new ArrayList<>();
        List<Interval> write = new ArrayList<>();
        for (String name : user.getRolesList()) {
            Role role = roles.get(name);
            if (role == null) {
                continue;
            }
            for (Permission p : role.getKeyPermissionList()) {
                Interval i = interval(p.getKey(), p.getRangeEnd());
                if (p.getPermType() != Permission.Type.WRITE) {
                    read.add(i);
                }
                if (p.getPermType() != Permission.Type.READ) {
                    write.add(i);
                }
            }
        }
        return new KeyPermissions(merge(read), merge(write));
    }

    /** The interval of keys a request's {@code key} and {@code rangeEnd} name (see {@link KeyRange}). */
    static Interval interval(ByteString key, ByteString rangeEnd) {
        return new Interval(key, KeyRange.of(key, rangeEnd).exclusiveEnd());
    }

    public boolean canRead(ByteString key, ByteString rangeEnd) {
        return covers(read, key, rangeEnd);
    }

    public boolean canWrite(ByteString key, ByteString rangeEnd) {
        return covers(write, key, rangeEnd);
    }

    private static boolean covers(List<Interval> merged, ByteString key, ByteString rangeEnd) {
        Interval want = interval(key, rangeEnd);
        if (want.end() != null && BYTES.compare(want.start(), want.end()) >= 0) {
            return true; // an empty range touches no key
        }
        int lo = 0;
        int hi = merged.size() - 1;
        Interval candidate = null;
        while (lo <= hi) { // the last interval starting at or before the wanted start
            int mid = (lo + hi) >>> 1;
            if (BYTES.compare(merged.get(mid).start(), want.start()) <= 0) {
                candidate = merged.get(mid);
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (candidate == null) {
            return false;
        }
        if (candidate.end() == null) {
            return true;
        }
        return want.end() != null && BYTES.compare(want.end(), candidate.end()) <= 0;
    }

    private static List<Interval> merge(List<Interval> intervals) {
        intervals.sort((a, b) -> BYTES.compare(a.start(), b.start()));
        List<Interval> merged = new ArrayList<>();
        for (Interval next : intervals) {
            if (!merged.isEmpty()) {
                Interval last = merged.get(merged.size() - 1);
                if (last.end() == null) {
                    break;
                }
                if (BYTES.compare(next.start(), last.end()) <= 0) {
                    ByteString end = next.end() == null || BYTES.compare(next.end(), last.end()) > 0
                            ? next.end() : last.end();
                    merged.set(merged.size() - 1, new Interval(last.start(), end));
                    continue;
                }
            }
            merged.add(next);
        }
        return List.copyOf(merged);
    }
}
