package io.cairn.console.views.services;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.NumberField;
import io.cairn.client.CairnException;
import io.cairn.client.ServiceInstances;
import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceListener;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServiceSettings;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.Badges;
import io.cairn.console.ui.RowButtons;
import io.cairn.console.ui.Times;
import io.cairn.console.views.leases.LeaseIds;
import java.util.List;

/**
 * One service: its instances, kept current by a subscription while shown, why it has no healthy
 * ones, its protection threshold, and the operator's actions on each instance.
 */
public class ServicePanel extends VerticalLayout {

    private final ConsoleSession session;
    private final H3 title = new H3();
    private final Span diagnosis = new Span();
    private final Span stale = new Span("Cluster unreachable: these are the last instances known");
    private final NumberField threshold = new NumberField("Protection threshold");
    private final Grid<ServiceInstance> instances = new Grid<>();
    private ServiceKey service;
    private Runnable onChange = () -> { };
    private Feed feed;
    private UI ui;

    public ServicePanel(ConsoleSession session) {
        this.session = session;
        diagnosis.setId("service-diagnosis");
        diagnosis.addClassName("service-diagnosis");
        stale.setId("service-stale");
        stale.getElement().getThemeList().add("badge contrast");
        stale.setVisible(false);

        threshold.setId("protection-threshold");
        threshold.setMin(0);
        threshold.setMax(1);
        threshold.setStep(0.05);
        threshold.setStepButtonsVisible(true);
        threshold.setHelperText("Below this share of healthy instances, lookups use every instance (0: off)");
        Button saveThreshold = new Button("Save", e -> saveThreshold());
        saveThreshold.setId("protection-save");
        HorizontalLayout protection = new HorizontalLayout(threshold, saveThreshold);
        protection.setAlignItems(FlexComponent.Alignment.BASELINE);

        instances.setId("instances-grid");
        instances.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        // id, status and actions stay in view however far the wide middle is scrolled
        instances.addColumn(ServiceInstance::id).setHeader("Id").setAutoWidth(true).setFrozen(true);
        // wide enough for OUT_OF_SERVICE: auto width is measured before the first rows arrive
        instances.addComponentColumn(ServicePanel::statusBadge).setHeader("Status").setWidth("150px").setFlexGrow(0).setFrozen(true);
        instances.addColumn(ServiceInstance::address).setHeader("Address").setAutoWidth(true);
        instances.addColumn(ServiceInstance::zone).setHeader("Zone").setAutoWidth(true);
        instances.addColumn(ServiceInstance::weight).setHeader("Weight").setAutoWidth(true);
        instances.addColumn(ServicePanel::healthCheck).setHeader("Health check").setAutoWidth(true);
        instances.addColumn(i -> MetadataText.inline(i.metadata())).setHeader("Metadata");
        instances.addColumn(i -> String.join(", ", i.tags())).setHeader("Tags").setAutoWidth(true);
        instances.addColumn(i -> Times.utc(i.registeredAt()))
                .setHeader("Registered (UTC)").setAutoWidth(true);
        instances.addColumn(i -> i.lease() == 0 ? "none" : LeaseIds.hex(i.lease())).setHeader("Lease").setAutoWidth(true);
        instances.addComponentColumn(this::actions).setHeader("Actions").setAutoWidth(true).setFlexGrow(0).setFrozenToEnd(true);
        instances.setEmptyStateText("No instances registered");

        add(title, new HorizontalLayout(diagnosis, stale), protection, instances);
        setSizeFull();
        expand(instances);
        addClassName("service-panel");
        setVisible(false);
    }

    /** Called in the UI when the shown service's instances changed, so the list's counts can follow. */
    public void onChange(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Shows {@code next}, subscribing to it in place of the service shown before. */
    public void show(ServiceKey next) {
        if (next.equals(service)) {
            return;
        }
        unsubscribe();
        service = next;
        title.setText(next.service());
        diagnosis.setText("");
        stale.setVisible(false);
        instances.setItems(List.of());
        threshold.clear();
        Actions.read(() -> session.client().discovery().sync().getService(next))
                .ifPresent(s -> threshold.setValue(s.protectionThreshold()));
        setVisible(true);
        subscribe();
    }

    /** Shows no service. */
    public void clear() {
        unsubscribe();
        service = null;
        setVisible(false);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        ui = event.getUI();
        subscribe(); // back after a detach: follow the service again
    }

    @Override
    protected void onDetach(DetachEvent event) {
        unsubscribe();
        ui = null;
        super.onDetach(event);
    }

    private void subscribe() {
        if (service == null || ui == null || feed != null) {
            return;
        }
        // deliveries reach the UI only after this request, so the feed is in place before any is shown
        Feed next = new Feed(ui);
        try {
            next.view = session.client().discovery().subscribe(service, next);
            feed = next;
        } catch (RuntimeException e) {
            Actions.error(CairnErrors.describe(e));
        }
    }

    private void unsubscribe() {
        if (feed != null) {
            feed.view.close();
            feed = null;
        }
    }

    /**
     * The subscription's listener. It is told on a client thread, so it hands what it hears to the
     * UI; a feed replaced meanwhile (another service selected) is ignored, since its last
     * deliveries may still be queued when it closes.
     */
    private final class Feed implements InstanceListener {
        private final UI owner;
        private ServiceInstances view;

        Feed(UI owner) {
            this.owner = owner;
        }

        // every instance, OUT_OF_SERVICE ones too: the operator must see them to bring them back
        @Override
        public void onUpdate(List<ServiceInstance> all, List<InstanceChange> changes) {
            inUi(() -> {
                instances.setItems(all);
                diagnosis.setText(ServiceDiagnosis.of(all));
                if (!changes.isEmpty()) {
                    onChange.run();
                }
            });
        }

        @Override
        public void onStale(boolean nowStale) {
            inUi(() -> stale.setVisible(nowStale));
        }

        @Override
        public void onError(CairnException error) {
            inUi(() -> Actions.error("Following " + service + " stopped: " + CairnErrors.describe(error)));
        }

        private void inUi(Runnable change) {
            try {
                owner.access(() -> {
                    if (feed == this) {
                        change.run();
                    }
                });
            } catch (UIDetachedException e) {
                // the page was closed: nobody to tell, and onDetach closes the subscription
            }
        }
    }

    private void saveThreshold() {
        ServiceKey key = service;
        Double value = threshold.getValue();
        Actions.run("Saved the protection threshold of " + key.service(), () -> {
            if (value == null) {
                throw new IllegalArgumentException("The protection threshold is empty (0 turns protection off)");
            }
            // the settings hold the default metadata and flap damping too: read them so as to keep them
            ServiceSettings now = session.client().discovery().sync().getService(key);
            session.client().discovery().sync().putService(key, now.withProtectionThreshold(value));
        });
    }

    private Component actions(ServiceInstance instance) {
        HorizontalLayout buttons = new HorizontalLayout();
        buttons.setSpacing(false);
        if (instance.status() == InstanceStatus.OUT_OF_SERVICE) {
            Button in = RowButtons.of("Back in service", e -> setStatus(instance, InstanceStatus.UP));
            in.addClassName("instance-in");
            buttons.add(in);
        } else {
            // a DOWN instance is its health check's or owner's to bring back, not the operator's
            Button out = RowButtons.of("Take out of service", e -> confirmOutOfService(instance));
            out.addClassName("instance-out");
            buttons.add(out);
        }
        Button edit = RowButtons.of("Edit", e -> new InstanceEditDialog(session.client(), instance).open());
        edit.addClassName("instance-edit");
        buttons.add(edit);
        return buttons;
    }

    private void confirmOutOfService(ServiceInstance instance) {
        Actions.confirm("Take out of service", "Take " + instance.id() + " (" + instance.address()
                        + ") out of service? Lookups and load balancers will skip it until it is put back in service;"
                        + " it stays registered and keeps running.",
                "Take out of service", () -> setStatus(instance, InstanceStatus.OUT_OF_SERVICE));
    }

    /**
     * Out of service, or back. A health-checked instance comes back DOWN: its check owns UP and
     * DOWN, and lets it take traffic once it passes, rather than before it was ever probed.
     */
    private void setStatus(ServiceInstance instance, InstanceStatus status) {
        boolean back = status == InstanceStatus.UP;
        InstanceStatus next = back && instance.healthCheck() != null ? InstanceStatus.DOWN : status;
        String done = !back ? instance.id() + " is out of service"
                : next == InstanceStatus.UP ? instance.id() + " is back in service"
                : instance.id() + " is back in service: UP once its " + instance.healthCheck().kind() + " check passes";
        Actions.run(done, () -> session.client().discovery().sync()
                .update(instance.key(), InstanceUpdate.builder().status(next).build()));
    }

    private static Span statusBadge(ServiceInstance instance) {
        // named as the API and the CLI name it
        return Badges.of(instance.status().name() + (instance.flapping() ? " (flapping)" : ""), switch (instance.status()) {
            case UP -> "success";
            case DOWN -> "error";
            case OUT_OF_SERVICE -> "contrast";
        });
    }

    /** How the instance is checked and how that goes; a leased instance stays while its owner renews the lease. */
    private static String healthCheck(ServiceInstance instance) {
        HealthCheck check = instance.healthCheck();
        if (check == null) {
            return "none (kept by its lease)";
        }
        String how = check.kind() + (check.target().isEmpty() ? "" : " " + check.target());
        if (instance.flapping()) {
            return how + " · flapping: held DOWN until its health stops changing";
        }
        return how + switch (instance.status()) {
            case UP -> " · passing";
            case DOWN -> " · failing, or not passed yet";
            case OUT_OF_SERVICE -> " · not checked while out of service";
        };
    }
}
