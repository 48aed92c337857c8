package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.cairn.api.etcd.AuthUserChangePasswordRequest;
import io.cairn.api.etcd.AuthenticateResponse;
import io.cairn.server.command.Command;
import io.cairn.server.command.IssueToken;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuing simple tokens at apply, on a temporary LMDB without raft. */
class AuthApplierTest {
    @TempDir
    Path dir;

    private Backend backend;
    private MvccStore store;
    private AuthStore auth;
    private final SimpleTokens tokens = new SimpleTokens(300, System::nanoTime);
    private AuthApplier applier;
    private long index;

    @BeforeEach
    void open() throws Exception {
        backend = Backend.open(dir, 64L << 20);
        store = MvccStore.open(backend);
        auth = AuthStore.load(backend);
        applier = new AuthApplier(auth, tokens, lease -> List.of(), (batch, command) -> {
            throw new IllegalStateException("not an auth command: " + command.getOpCase());
        });
        try (WriteBatch batch = store.beginBatch()) {
            auth.addUser(batch, "alice", "$2a$06$hash-of-the-first-password", false);
            batch.commit(++index);
        }
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aTokenCarriesTheRaftIndexThatIssuedIt() {
        String proposed = tokens.issue("alice", auth.state().revision());
        AuthenticateResponse issued = (AuthenticateResponse) apply(issue(proposed, auth.state().revision()));

        assertThat(issued.getToken()).isEqualTo(proposed + "." + index);
        assertThat(tokens.issuingIndex(issued.getToken())).isEqualTo(index);
        assertThat(tokens.resolve(issued.getToken(), auth.state().revision())).isEqualTo("alice");
    }

    @Test
    void noTokenIsIssuedWhenAuthChangedAfterThePasswordWasChecked() {
        long checkedAt = auth.state().revision();
        String proposed = tokens.issue("alice", checkedAt);
        // applied between the password check and the issue: the old password no longer holds
        apply(Command.newBuilder().setUserChangePassword(AuthUserChangePasswordRequest.newBuilder()
                .setName("alice").setHashedPassword("$2a$06$hash-of-the-second-password")).build());

        assertThatThrownBy(() -> apply(issue(proposed, checkedAt)))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.error()).isEqualTo(ServerError.AUTH_OLD_REVISION))
                .hasMessage("etcdserver: revision of auth store is old");
        assertThatThrownBy(() -> tokens.resolve(proposed + "." + index, auth.state().revision()))
                .hasMessage("etcdserver: invalid auth token");
    }

    @Test
    void onlyADecimalIndexAfterTheLastDotCounts() {
        assertThat(tokens.issuingIndex("abc.17")).isEqualTo(17);
        assertThat(tokens.issuingIndex("abc")).isZero();
        assertThat(tokens.issuingIndex("abc.")).isZero();
        assertThat(tokens.issuingIndex("abc.1x")).isZero();
        assertThat(tokens.issuingIndex("abc.99999999999999999999")).isZero();
    }

    private static Command issue(String proposed, long authRevision) {
        return Command.newBuilder().setIssueToken(IssueToken.newBuilder()
                .setUser("alice").setToken(proposed).setAuthRevision(authRevision)).build();
    }

    /** Applies one command as the state machine does: its own batch, at the next raft index. */
    private Message apply(Command command) {
        try (WriteBatch batch = store.beginBatch()) {
            batch.beginEntry(++index);
            Message response = applier.apply(batch, command);
            batch.commit(index);
            return response;
        }
    }
}
