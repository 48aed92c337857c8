package io.cairn.samples.scheduler;

import io.cairn.client.Client;
import io.cairn.client.Cmp;
import io.cairn.client.Election;
import io.cairn.client.Op;
import io.cairn.client.Put;
import io.cairn.client.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Campaigns for leadership of the job; the instance elected runs it every second until it loses
 * leadership, then campaigns again. Each run's write is fenced: it commits only if this
 * instance's election key is still the one it was elected with. An instance paused longer than
 * its session's TTL (a long GC, a frozen VM) has lost its key by the time it wakes, and its late
 * write is refused, so it cannot overwrite the work of the leader elected meanwhile. (Only
 * writes to Cairn are fenced so: a job's effects elsewhere need that system's own guard.)
 */
@Component
public class LeaderJob implements SmartLifecycle {
    static final String ELECTION = "samples/scheduler";
    static final String LAST_RUN = "/samples/scheduler/last-run";
    private static final Logger log = LoggerFactory.getLogger(LeaderJob.class);

    private final Client client;
    private final Election election;
    private final String id;
    private final Duration ttl;
    private volatile boolean running;
    private Thread worker;

    public LeaderJob(Client client, Election election, @Value("${scheduler.id:${random.uuid}}") String id,
                     @Value("${scheduler.ttl:3s}") Duration ttl) {
        this.client = client;
        this.election = election;
        this.id = id;
        this.ttl = ttl;
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::campaignAndRun, "leader-job");
        worker.start();
    }

    private void campaignAndRun() {
        while (running) {
            try (Session session = client.session(ttl).get()) {
                CompletableFuture<Election.Leadership> campaign = election.campaign(ELECTION, session, id);
                // wait to be elected, or for the session to be lost meanwhile (then campaign again)
                CompletableFuture.anyOf(campaign, session.lost()).get();
                if (!campaign.isDone() || session.isLost()) {
                    campaign.cancel(true);
                    continue;
                }
                Election.Leadership leadership = campaign.get();
                log.info("LEADER {}: elected (election key revision {}), running the job", id, leadership.revision());
                for (int run = 1; running && !session.isLost(); run++) {
                    Thread.sleep(1000);
                    // the write commits only while our election key is the one we were elected with
                    boolean written = client.kv().txn()
                            .when(Cmp.createRevision(leadership.key()).eq(leadership.revision()))
                            .then(Op.put(Put.key(LAST_RUN, id + " (key " + leadership.revision() + ") run " + run)))
                            .commitSync().succeeded();
                    if (!written) {
                        log.warn("FENCED {}: no longer the leader; run {} was not written", id, run);
                        break;
                    }
                    log.info("RUN {}: run {} written", id, run);
                }
            } catch (InterruptedException e) {
                return; // stopping
            } catch (ExecutionException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("{}: {}; campaigning again in a second", id, e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Stops the job and waits for its session to be revoked, so another instance takes over at once. */
    @Override
    public void stop(Runnable done) {
        running = false;
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            try {
                w.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        done.run();
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
