package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmPacingTest {
    private static final String WATCHERS =
            "$(curl -s \"$ETCDCTL_ENDPOINTS/metrics\" | awk '/^cairn_watchers /{n=int($2)} END{print n+0}')";

    private static String await(String condition) {
        return "for i in $(seq 300); do [ \"" + WATCHERS + "\" " + condition + " ] && break; sleep 0.1; done; ";
    }

    @Test
    void aBackgroundWatcherIsAwaitedByTheMembersCountAndStoppedWhenTheStepEnds() {
        assertThat(JvmPacing.pace("(timeout 4 etcdctl watch foo zoo > w 2>&1 &); sleep 2; etcdctl put goo g > /dev/null;"
                        + " etcdctl del foo > /dev/null; sleep 2.5; cat w"))
                .isEqualTo("w0=" + WATCHERS + "; timeout 64 etcdctl watch foo zoo > w 2>&1 & sleep 2; " + await("-ge $((w0+1))")
                        + "etcdctl put goo g > /dev/null; etcdctl del foo > /dev/null; sleep 4.5; kill %1 2>/dev/null; wait; "
                        + await("-le $w0") + "cat w");
    }

    @Test
    void anInteractiveWatchersInputStaysOpenUntilItIsStopped() {
        assertThat(JvmPacing.pace("((sleep 1; printf 'watch foo\\nwatch zoo\\n'; sleep 4) | timeout 4.5 etcdctl watch -i > w 2>&1 &);"
                        + " sleep 2.5; etcdctl put foo bar > /dev/null; sleep 2.5; cat w"))
                .isEqualTo("w0=" + WATCHERS + "; (sleep 1; printf 'watch foo\\nwatch zoo\\n'; sleep 64) | timeout 64.5 etcdctl watch -i"
                        + " > w 2>&1 & sleep 2.5; " + await("-ge $((w0+2))")
                        + "etcdctl put foo bar > /dev/null; sleep 4.5; kill %1 2>/dev/null; wait; " + await("-le $w0") + "cat w");
    }

    @Test
    void aShortUnprintedLeaseOutlivesTheClientsStartedAfterIt() {
        assertThat(JvmPacing.pace("etcdctl lease grant 3 > out; awk '{print $2}' out > id; (timeout 8 etcdctl watch e > w 2>&1 &);"
                        + " sleep 2; etcdctl put --lease=$(cat id) e v > /dev/null; sleep 6.5; cat w"))
                .startsWith("etcdctl lease grant 8 > out;");
        assertThat(JvmPacing.pace("etcdctl lease grant 2 > out; cat out")).isEqualTo("etcdctl lease grant 2 > out; cat out");
    }

    @Test
    void aClientCutOffByTimeoutGetsItsTimeOnceItIsUnderWay() {
        assertThat(JvmPacing.pace("timeout 2 etcdctl lease keep-alive $(cat id)"))
                .isEqualTo("rm -f fg; w0=" + WATCHERS + "; timeout 62 etcdctl lease keep-alive $(cat id) > fg 2>&1 & "
                        + "for i in $(seq 300); do { [ -s fg ] || [ \"" + WATCHERS + "\" -gt $w0 ] || ! kill -0 $! 2>/dev/null; }"
                        + " && break; sleep 0.1; done; kill -0 $! 2>/dev/null && sleep 2; kill -ALRM $! 2>/dev/null; wait $!; s=$?;"
                        + " cat fg; " + await("-le $w0") + "exit $s");
        assertThat(JvmPacing.pace("etcdctl put a b")).isEqualTo("etcdctl put a b");
        assertThat(JvmPacing.pace("sleep 4")).isEqualTo("sleep 6");
        assertThatThrownBy(() -> JvmPacing.pace("timeout 2 etcdctl watch a > w; cat w"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
