package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Permission;
import io.cairn.api.etcd.Role;
import io.cairn.api.etcd.User;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyPermissionsTest {
    private static final ByteString NONE = ByteString.EMPTY;
    private static final ByteString FROM_KEY = ByteString.copyFrom(new byte[] {0});

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static Permission perm(Permission.Type type, String key, ByteString end) {
        return Permission.newBuilder().setPermType(type).setKey(b(key)).setRangeEnd(end).build();
    }

    private static KeyPermissions of(Permission... perms) {
        Role a = Role.newBuilder().setName(b("a")).addKeyPermission(perms[0]).build();
        Role.Builder rest = Role.newBuilder().setName(b("b"));
        for (int i = 1; i < perms.length; i++) {
            rest.addKeyPermission(perms[i]);
        }
        User user = User.newBuilder().setName(b("u")).addRoles("a").addRoles("b").addRoles("missing").build();
        return KeyPermissions.of(user, Map.of("a", a, "b", rest.build()));
    }

    @Test
    void rangesOfSeveralRolesMergeWhenTheyTouch() {
        KeyPermissions p = of(perm(Permission.Type.READ, "a", b("c")), perm(Permission.Type.READWRITE, "c", b("e")));
        assertThat(p.canRead(b("a"), b("e"))).isTrue();
        assertThat(p.canRead(b("b"), NONE)).isTrue();
        assertThat(p.canRead(b("a"), b("e\0"))).isFalse();
        assertThat(p.canWrite(b("b"), NONE)).isFalse();
        assertThat(p.canWrite(b("c"), b("e"))).isTrue();
        assertThat(p.canWrite(b("c"), FROM_KEY)).isFalse();
    }

    @Test
    void aSingleKeyGrantCoversThatKeyOnly() {
        KeyPermissions p = of(perm(Permission.Type.WRITE, "k", NONE));
        assertThat(p.canWrite(b("k"), NONE)).isTrue();
        assertThat(p.canWrite(b("k"), b("k\0"))).isTrue();
        assertThat(p.canWrite(b("k0"), NONE)).isFalse();
        assertThat(p.canWrite(b("k"), b("l"))).isFalse();
        assertThat(p.canRead(b("k"), NONE)).isFalse();
    }

    @Test
    void anOpenEndedGrantCoversEveryLaterKey() {
        KeyPermissions p = of(perm(Permission.Type.READ, "m", FROM_KEY));
        assertThat(p.canRead(b("m"), FROM_KEY)).isTrue();
        assertThat(p.canRead(b("zzzz"), NONE)).isTrue();
        assertThat(p.canRead(b("l"), FROM_KEY)).isFalse();
        assertThat(p.canRead(b(""), FROM_KEY)).isFalse();
    }

    @Test
    void anEmptyOrInvertedRangeTouchesNoKey() {
        KeyPermissions p = of(perm(Permission.Type.READ, "m", NONE));
        assertThat(p.canRead(b("z"), b("a"))).isTrue();
    }
}
