package io.cairn.samples.scheduler;

import io.cairn.client.Client;
import io.cairn.client.Cmp;
import io.cairn.client.Election;
import io.cairn.client.Op;
import io.cairn.client.Put;
import io.cairn.client.Session;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Campaigns for leadership of the job; the instance elected runs it every second until it loses
 * leadership, then campaigns again. Each run's write is fenced: it commits only if this
 * instance's leadership key is still the one it was elected with. An instance paused longer
 * than its session's TTL (a long GC, a frozen VM) has lost its key by the time it wakes, and
 * its late write is refused, so it cannot overwrite the work of the leader elected meanwhile.
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
            try (Session session = client.session(ttl).join()) {
                Election.Leadership leadership = election.campaign(ELECTION, session, id).join();
                log.info("LEADER {}: elected, running the job", id);
                for (int run = 1; running && !session.isLost(); run++) {
                    Thread.sleep(1000);
                    // the write happens only while our leadership key is the one we were elected with
                    boolean written = client.kv().txn()
                            .when(Cmp.createRevision(leadership.key()).eq(leadership.revision()))
                            .then(Op.put(Put.key(LAST_RUN, id + " run " + run)))
                            .commitSync().succeeded();
                    if (!written) {
                        log.warn("FENCED {}: no longer the leader; run {} was not written", id, run);
                        break;
                    }
                    log.info("RUN {}: run {} written", id, run);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("{}: {}; campaigning again", id, e.getMessage());
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
