package io.cairn.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a step recorded with etcdctl, a Go binary that starts in milliseconds, for cairnctl,
 * a JVM client that takes about a second (more on a busy machine). What a step asserts is kept;
 * only its clock is changed, and where it can be, replaced by an order of events:
 * <ul>
 *   <li>a background watcher {@code (... &)} no longer ends on a wall-clock {@code timeout}
 *       but when the step is done: after the step's last {@code sleep} it is stopped and waited
 *       for before its output is read, however long the clients started in between took;</li>
 *   <li>after the {@code sleep} that lets a background watcher start before the first write,
 *       the step also waits (up to 30 s) until the member counts the watcher's watches in its
 *       {@code cairn_watchers} gauge, and after the watcher is stopped, until the count is back,
 *       so the next step starts from the same count;</li>
 *   <li>the last {@code sleep} of a step (the wait for events to arrive) gets 2 s more;</li>
 *   <li>a client the step cuts off with {@code timeout} gets its recorded time counted from
 *       when it is under way (it has printed, the member counts its watch, or it has ended)
 *       rather than from its launch, which a machine busy with other tests can slow by
 *       several seconds;</li>
 *   <li>a short lease whose grant is not printed lives 5 s more, so that the clients started
 *       after it do not outlast it.</li>
 * </ul>
 */
final class JvmPacing {
    private static final Pattern BACKGROUND = Pattern.compile("\\((.*) &\\); sleep (\\d+(?:\\.\\d+)?)");
    private static final Pattern TIMEOUT = Pattern.compile("\\btimeout (\\d+(?:\\.\\d+)?)");
    /** A step that is one client cut off by {@code timeout}: the bound and the client. */
    private static final Pattern FOREGROUND_TIMEOUT = Pattern.compile("timeout (\\d+(?:\\.\\d+)?) (etcdctl [^;&|<>]*)");
    private static final Pattern SLEEP = Pattern.compile("\\bsleep (\\d+(?:\\.\\d+)?)");
    private static final Pattern SHORT_GRANT = Pattern.compile("lease grant (\\d) > out");
    /** A watch typed into {@code watch -i}: at a line's start in the fed text. */
    private static final Pattern INTERACTIVE_WATCH = Pattern.compile("(?:'|\\\\n)watch ");
    /** The member's watcher count, from its metrics on the client port the step's clients use. */
    private static final String WATCHERS =
            "$(curl -s \"$ETCDCTL_ENDPOINTS/metrics\" | awk '/^cairn_watchers /{n=int($2)} END{print n+0}')";
    /** Seconds a JVM client may need beyond the Go client's wait for events. */
    private static final double START = 2;
    /** A background watcher's safety bound, for a step that never reaches its end. */
    private static final double STOP_LATEST = 60;

    private JvmPacing() {}

    static String pace(String command) {
        Matcher cutOff = FOREGROUND_TIMEOUT.matcher(command);
        if (cutOff.matches()) {
            return timedFromItsStart(cutOff.group(2), cutOff.group(1));
        }
        String paced = longerShortLease(command);
        Matcher bg = BACKGROUND.matcher(paced);
        if (!bg.find()) {
            return lastSleepLonger(noOtherTimeout(paced), START, "");
        }
        String watcher = adjustTimeouts(bg.group(1), STOP_LATEST);
        watcher = lastSleepLonger(watcher, STOP_LATEST, "");
        String before = paced.substring(0, bg.start());
        String after = noOtherTimeout(paced.substring(bg.end()).replaceFirst("^;\\s*", ""));
        String started = before + "w0=" + WATCHERS + "; " + watcher + " & sleep " + bg.group(2)
                + "; " + awaitWatchers("-ge $((w0+" + watches(bg.group(1)) + "))");
        return started + lastSleepLonger(after, START,
                "kill %1 2>/dev/null; wait; " + awaitWatchers("-le $w0"));
    }

    /**
     * The client runs in the background under a long bound; once it is under way, it gets the
     * recorded seconds (unless it has ended by itself), and then a SIGALRM to {@code timeout},
     * which ends the client exactly as its own alarm would, exit code 124 included.
     */
    private static String timedFromItsStart(String client, String seconds) {
        String underWay = "[ -s fg ] || [ \"" + WATCHERS + "\" -gt $w0 ] || ! kill -0 $! 2>/dev/null";
        return "rm -f fg; w0=" + WATCHERS + "; timeout " + seconds(seconds, STOP_LATEST) + " " + client + " > fg 2>&1 & "
                + awaitUntil("{ " + underWay + "; }")
                + "kill -0 $! 2>/dev/null && sleep " + seconds + "; kill -ALRM $! 2>/dev/null; wait $!; s=$?; cat fg; "
                + awaitWatchers("-le $w0") + "exit $s";
    }

    /** A {@code timeout} in any other place would be timed for a Go client: say so rather than guess. */
    private static String noOtherTimeout(String command) {
        if (TIMEOUT.matcher(command).find()) {
            throw new IllegalArgumentException("no JVM pacing for a timeout in: " + command);
        }
        return command;
    }

    /** How many watches a background watcher opens: one, or each typed into {@code watch -i}. */
    static int watches(String watcher) {
        return Math.max(1, (int) INTERACTIVE_WATCH.matcher(watcher).results().count());
    }

    /**
     * A shell loop that waits, up to 30 s (well inside a step's 60 s), until the watcher count
     * is {@code condition}; past that the step goes on, and its output shows what went wrong.
     */
    private static String awaitWatchers(String condition) {
        return awaitUntil("[ \"" + WATCHERS + "\" " + condition + " ]");
    }

    /** A shell loop that waits, up to 30 s, until {@code test} holds. */
    private static String awaitUntil(String test) {
        return "for i in $(seq 300); do " + test + " && break; sleep 0.1; done; ";
    }

    private static String longerShortLease(String command) {
        Matcher grant = SHORT_GRANT.matcher(command);
        if (!grant.find() || command.contains("cat out")) {
            return command;
        }
        return grant.replaceFirst("lease grant " + (Integer.parseInt(grant.group(1)) + 5) + " > out");
    }

    private static String adjustTimeouts(String command, double extra) {
        return TIMEOUT.matcher(command).replaceAll(m -> "timeout " + seconds(m.group(1), extra));
    }

    /**
     * The last sleep gets {@code extra} seconds, and {@code then} runs right after it. In a
     * background pipeline, that keeps the feeding side open until the watcher is stopped.
     */
    private static String lastSleepLonger(String command, double extra, String then) {
        int last = command.lastIndexOf("sleep ");
        if (last < 0) {
            return command;
        }
        Matcher sleep = SLEEP.matcher(command);
        sleep.find(last);
        String rest = command.substring(sleep.end());
        return command.substring(0, last) + "sleep " + seconds(sleep.group(1), extra)
                + (then.isEmpty() ? rest : "; " + then + rest.replaceFirst("^;\\s*", ""));
    }

    private static String seconds(String recorded, double extra) {
        double s = Double.parseDouble(recorded) + extra;
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
