package io.cairn.console.views;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.cairn.client.Lease;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.MainLayout;
import io.cairn.console.views.leases.LeaseIds;
import io.cairn.console.views.leases.LeaseRow;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every lease alive, with what is left of it and the keys that go with it; {@code ?lease=<id>}
 * (decimal or hex) selects one, as the keys view links to a key's lease.
 */
@Route(value = "leases", layout = MainLayout.class)
@PageTitle("Leases · Cairn")
public class LeasesView extends VerticalLayout implements BeforeEnterObserver {
    private static final int KEYS_SHOWN = 3;
    private static final int KEYS_IN_TOOLTIP = 50;

    private final ConsoleSession session;
    private final Grid<LeaseRow> leases = new Grid<>();
    private final Span summary = new Span();
    private List<LeaseRow> rows = List.of();
    private Long wanted;
    private boolean loaded;

    public LeasesView(ConsoleSession session) {
        this.session = session;
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
        refresh.setId("leases-refresh");
        summary.setId("leases-summary");
        summary.addClassName("console-muted");
        HorizontalLayout toolbar = new HorizontalLayout(refresh, summary);
        toolbar.setAlignItems(FlexComponent.Alignment.CENTER);

        leases.setId("leases-grid");
        leases.addThemeVariants(GridVariant.LUMO_COMPACT);
        leases.addColumn(r -> LeaseIds.hex(r.id())).setHeader("Lease (hex)").setAutoWidth(true).setFlexGrow(0)
                .setPartNameGenerator(r -> "lease-id");
        leases.addColumn(LeaseRow::id).setHeader("Lease (decimal)").setAutoWidth(true).setFlexGrow(0);
        leases.addColumn(r -> r.problem() != null ? "" : r.grantedTtl() + " s").setHeader("Granted TTL").setAutoWidth(true);
        leases.addColumn(r -> r.problem() != null ? "" : r.remaining() + " s").setHeader("Remaining").setAutoWidth(true);
        leases.addColumn(r -> r.problem() != null ? "" : r.keys().size()).setHeader("Keys").setAutoWidth(true);
        leases.addColumn(r -> r.firstKeys(KEYS_SHOWN)).setHeader("Attached keys").setFlexGrow(1)
                .setTooltipGenerator(r -> r.firstKeys(KEYS_IN_TOOLTIP));
        leases.addComponentColumn(this::revokeButton).setHeader("").setAutoWidth(true).setFlexGrow(0);
        leases.setEmptyStateText("No leases");
        add(toolbar, leases);
        expand(leases);
        setSizeFull();
        addClassName("leases-view");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        wanted = event.getLocation().getQueryParameters().getSingleParameter("lease").flatMap(LeasesView::leaseId).orElse(null);
        if (loaded) {
            selectWanted(); // the same view, navigated to again with another lease
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        if (!loaded) {
            loaded = true;
            refresh();
        }
    }

    private void refresh() {
        Actions.read(this::readLeases).ifPresent(read -> {
            rows = read;
            leases.setItems(read);
            summary.setText(read.size() == 1 ? "1 lease" : read.size() + " leases");
            selectWanted();
        });
    }

    /** The listing, then every lease's TTL and keys at once; a lease that cannot be read shows why. */
    private List<LeaseRow> readLeases() {
        Lease lease = session.client().lease();
        List<CompletableFuture<LeaseRow>> reads = lease.sync().leases().items().stream()
                .map(id -> lease.timeToLive(id, true).thenApply(LeaseRow::of)
                        .exceptionally(e -> LeaseRow.unreadable(id, CairnErrors.describe(e))))
                .toList();
        return reads.stream().map(CompletableFuture::join).filter(LeaseRow::exists).toList();
    }

    private Button revokeButton(LeaseRow row) {
        Button revoke = new Button("Revoke", e -> confirmRevoke(row));
        revoke.addClassName("lease-revoke");
        revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        return revoke;
    }

    private void confirmRevoke(LeaseRow row) {
        String hex = LeaseIds.hex(row.id());
        String keys = row.problem() != null ? "Its keys are deleted." : "Its " + row.keyCount() + (row.keys().size() == 1 ? " is" : " are") + " deleted.";
        Actions.confirm("Revoke lease", "Revoke lease " + hex + "? " + keys, "Revoke", () -> {
            if (Actions.run("Revoked lease " + hex, () -> session.client().lease().sync().revoke(row.id()))) {
                refresh();
            }
        });
    }

    private void selectWanted() {
        if (wanted == null) {
            return;
        }
        long id = wanted;
        wanted = null; // selected once: a later refresh keeps whatever the person selects
        Optional<LeaseRow> row = rows.stream().filter(r -> r.id() == id).findFirst();
        if (row.isPresent()) {
            leases.select(row.get());
            leases.scrollToItem(row.get());
        } else {
            Actions.error("There is no lease " + LeaseIds.hex(id) + " (" + id + "): it has expired or been revoked");
        }
    }

    private static Optional<Long> leaseId(String text) {
        try {
            return Optional.of(LeaseIds.parse(text));
        } catch (IllegalArgumentException e) {
            Actions.error(e.getMessage());
            return Optional.empty();
        }
    }
}
